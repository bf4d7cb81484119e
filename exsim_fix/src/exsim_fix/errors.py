"""The exceptions of exsim-fix.

::

    exsim_core.ConfigError
    └── FixConfigError      a FIX endpoint, session or fault setting is invalid

Wire input never raises: a malformed or unacceptable message is answered on the wire
(session Reject, BusinessMessageReject, a rejected ExecutionReport, Logout) and logged.
"""

from __future__ import annotations

from exsim_core import ConfigError

__all__ = ["FixConfigError"]


class FixConfigError(ConfigError):
    """A FIX endpoint, session or fault setting is invalid."""
