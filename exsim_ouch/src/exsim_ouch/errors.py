"""The exceptions of exsim-ouch.

::

    ExsimError (exsim-core)
    └── OuchError               every error exsim-ouch raises on purpose
        ├── FramingError        a SoupBinTCP byte stream broke the framing or session
        │                       rules; the connection is closed (and the reason logged)
        └── DecodeError         one OUCH, ITCH or MoldUDP64 message is malformed; the
                                message is refused, the session goes on

Neither escapes a session: the SoupBinTCP driver turns a :class:`FramingError` into a
logged disconnect, and the order-entry layer turns a :class:`DecodeError` into the
protocol's answer (a Rejected message, or a Debug packet saying what was wrong).
"""

from __future__ import annotations

from exsim_core import ExsimError

__all__ = ["DecodeError", "FramingError", "OuchError"]


class OuchError(ExsimError):
    """Base of every error exsim-ouch raises on purpose."""


class FramingError(OuchError):
    """A SoupBinTCP byte stream broke the framing or the session rules."""


class DecodeError(OuchError, ValueError):
    """One message is malformed (wrong length, unknown type, bad field)."""
