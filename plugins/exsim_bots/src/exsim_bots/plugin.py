"""The plugin module the ``exsim`` entry point names: registers the bot kinds."""

from __future__ import annotations

from exsim_core import Bot, Registrar, hookimpl

from .activity import ActivityBot
from .levels import KINDS

__all__ = ["BOTS", "exsim_register_bots"]

#: The bot kinds, in the order they are documented.
BOTS: tuple[type[Bot], ...] = (*KINDS.values(), ActivityBot)


@hookimpl
def exsim_register_bots(registry: Registrar) -> None:
    """Register every bot kind under its short name."""
    for bot in BOTS:
        registry.add(bot)
