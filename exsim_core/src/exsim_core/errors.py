"""The exceptions of exsim-core.

::

    ExsimError                  every error exsim-core raises on purpose
    ├── ConfigError             a configuration value or operation is invalid
    │   └── NotFound            a named thing (venue, instrument, order...) does not exist
    └── PluginError             a plugin could not be loaded or registered
        ├── PluginLoadError     an entry point failed to import
        └── DuplicateName       two plugins registered the same name

Errors say what was wrong and what to do about it. Orders from clients never raise:
they are rejected with a reason (see :class:`~exsim_core.RejectReason`).
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DuplicateName",
    "ExsimError",
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


class PluginError(ExsimError):
    """A plugin could not be loaded or registered."""


class PluginLoadError(PluginError):
    """An entry point of the ``exsim`` group failed to load."""


class DuplicateName(PluginError):
    """Two plugins registered the same name for the same kind of thing."""
