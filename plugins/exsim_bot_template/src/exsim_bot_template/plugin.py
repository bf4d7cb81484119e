"""The plugin module: the ``exsim`` entry point in pyproject.toml names it.

exsim imports it when it loads plugins and calls its hook implementations; this one
registers the template's bot kind.
"""

from __future__ import annotations

from exsim_core import Registrar, hookimpl

from .quoter import QuoterBot

__all__ = ["exsim_register_bots"]


@hookimpl
def exsim_register_bots(registry: Registrar) -> None:
    """Register the bot kinds of this distribution."""
    registry.add(QuoterBot)
