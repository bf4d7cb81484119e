"""The plugin module the ``exsim`` entry point names: registers the behaviour engines."""

from __future__ import annotations

from exsim_core import Registrar, hookimpl

from .cancels import AutoCancel, PartialThenCancel
from .fills import AutoFill, AutoPartial
from .reject import AutoReject

__all__ = ["ENGINES", "exsim_register_engines"]

#: The behaviour engines, in the order they are documented.
ENGINES = (AutoFill, AutoPartial, AutoReject, AutoCancel, PartialThenCancel)


@hookimpl
def exsim_register_engines(registry: Registrar) -> None:
    """Register every behaviour engine under its short name."""
    for engine in ENGINES:
        registry.add(engine)
