"""``python -m exsim_core``: the ``exsim`` command (what :func:`exsim_core.spawn` runs)."""

from __future__ import annotations

from .cli import main

main()
