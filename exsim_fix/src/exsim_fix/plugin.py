"""The plugin module the ``exsim`` entry point ``fix`` names."""

from __future__ import annotations

from exsim_core import Registrar, hookimpl

from .protocol import FixProtocol

__all__ = ["exsim_register_protocols"]


@hookimpl
def exsim_register_protocols(registry: Registrar) -> None:
    """Register the ``fix`` protocol."""
    registry.add(FixProtocol)
