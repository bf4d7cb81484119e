"""exsim-fix: a standards-correct FIX 4.x venue for exsim.

Installs the ``fix`` protocol (FIX 4.0-4.4 and FIXT.1.1 with FIX 5.0 SP2 application
messages): the session layer, order entry, drop copy and market data. The public API is
what this module exports; submodules are implementation details unless documented.
"""

from __future__ import annotations

from .codec import FixMessage, FrameReader, Garbled, frame, parse
from .config import FaultSpec, FixEndpointParams, FixSessionParams
from .errors import FixConfigError
from .protocol import FixProtocol
from .session import FixSession
from .versions import VERSIONS, FixVersion

__all__ = [
    "VERSIONS",
    "FaultSpec",
    "FixConfigError",
    "FixEndpointParams",
    "FixMessage",
    "FixProtocol",
    "FixSession",
    "FixSessionParams",
    "FixVersion",
    "FrameReader",
    "Garbled",
    "frame",
    "parse",
]
