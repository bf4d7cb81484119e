"""The exceptions of exsim-core.

::

    ExsimError                  every error exsim-core raises on purpose
    ├── ConfigError             a configuration value or operation is invalid
    │   ├── NotFound            a named thing (venue, instrument, order...) does not exist
    │   ├── Conflict            a named thing already exists, or is in the wrong state
    │   └── InvalidField        one field of an operation is invalid (``loc`` names it)
    └── PluginError             a plugin could not be loaded or registered
        ├── PluginLoadError     an entry point failed to import
        └── DuplicateName       two plugins registered the same name

Errors say what was wrong and what to do about it. Orders from clients never raise:
they are rejected with a reason (see :class:`~exsim_core.RejectReason`).
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "Conflict",
    "DuplicateName",
    "ExsimError",
    "InvalidField",
    "NotFound",
    "PluginError",
    "PluginLoadError",
]


class ExsimError(Exception):
    """Base of every error exsim-core raises on purpose."""


class ConfigError(ExsimError, ValueError):
    """A configuration value or operation is invalid."""


class NotFound(ConfigError, LookupError):
    """A named thing (venue, instrument, endpoint, session, order, bot) does not exist."""


class Conflict(ConfigError):
    """A named thing already exists, or is in a state that refuses the operation."""


class InvalidField(ConfigError):
    """One field of an operation is invalid.

    :ivar loc: the path of the field, e.g. ``("instrument", "tick_size")``.
    """

    def __init__(self, loc: tuple[str | int, ...] | str, message: str) -> None:
        self.loc = (loc,) if isinstance(loc, str) else tuple(loc)
        self.message = message
        super().__init__(f"{'.'.join(map(str, self.loc))}: {message}")


class PluginError(ExsimError):
    """A plugin could not be loaded or registered."""


class PluginLoadError(PluginError):
    """An entry point of the ``exsim`` group failed to load."""


class DuplicateName(PluginError):
    """Two plugins registered the same name for the same kind of thing."""
