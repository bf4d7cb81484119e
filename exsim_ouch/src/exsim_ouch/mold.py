"""MoldUDP64 1.00 framing, without I/O (PROTOCOLS.md 4.4).

A downstream packet is Session (10, alpha), Sequence Number (U64: the number of its
first message) and Message Count (U16), then per message a U16 length and the message.
A count of 0 is a heartbeat and 0xFFFF the end of the session (both carry the next
sequence number). A re-request is Session, Sequence Number and Requested Message Count.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

from .errors import DecodeError

__all__ = [
    "END_OF_SESSION",
    "HEADER_SIZE",
    "end_of_session",
    "heartbeat",
    "pack",
    "parse_request",
]

_HEADER = struct.Struct(">10sQH")
_REQUEST = struct.Struct(">10sQH")
_LEN = struct.Struct(">H")
HEADER_SIZE = _HEADER.size
END_OF_SESSION = 0xFFFF


def pack(session: bytes, first_seq: int, messages: Sequence[bytes]) -> bytes:
    """A downstream packet carrying ``messages`` numbered from ``first_seq``."""
    parts = [_HEADER.pack(session, first_seq, len(messages))]
    for message in messages:
        parts.append(_LEN.pack(len(message)))
        parts.append(message)
    return b"".join(parts)


def heartbeat(session: bytes, next_seq: int) -> bytes:
    """A heartbeat: no messages, the next sequence number."""
    return _HEADER.pack(session, next_seq, 0)


def end_of_session(session: bytes, next_seq: int) -> bytes:
    """End of Session: count 0xFFFF, the next sequence number."""
    return _HEADER.pack(session, next_seq, END_OF_SESSION)


def parse_request(data: bytes) -> tuple[bytes, int, int]:
    """A re-request as ``(session, first sequence number, count)``; raise
    :class:`DecodeError` when it is not 20 bytes."""
    if len(data) != _REQUEST.size:
        raise DecodeError(
            f"MoldUDP64 re-request is {_REQUEST.size} bytes (session, sequence number, "
            f"count), this one is {len(data)}"
        )
    session, seq, count = _REQUEST.unpack(data)
    return session, seq, count
