"""SoupBinTCP 3.00/4.x, server side, without I/O: framing, packets, the login request.

A logical packet is a big-endian ``U16`` length (counting the type byte and the payload,
not itself), one type byte and the payload. :class:`PacketReader` cuts a byte stream into
packets whatever the TCP segmentation; the functions below build the server's packets
byte-exact to the specification.

Padding: the server emits the specification's form (alpha fields left-justified, numeric
fields and the Login Accepted session right-justified, both space padded) and accepts
either justification on input, as clients in the wild use both.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from .errors import FramingError

__all__ = [
    "CLIENT_HEARTBEAT",
    "DEBUG",
    "END_OF_SESSION",
    "HEADER",
    "LOGIN_ACCEPTED",
    "LOGIN_REJECTED",
    "LOGIN_REQUEST",
    "LOGOUT_REQUEST",
    "REJECT_NOT_AUTHORIZED",
    "REJECT_SESSION_UNAVAILABLE",
    "SEQUENCED_DATA",
    "SERVER_HEARTBEAT",
    "UNSEQUENCED_DATA",
    "LoginRequest",
    "PacketReader",
    "debug",
    "login_accepted",
    "login_rejected",
    "parse_login",
    "sequenced",
    "unsequenced",
]

# packet types (the byte after the length)
DEBUG = 0x2B  # '+', either direction
LOGIN_ACCEPTED = 0x41  # 'A'
LOGIN_REJECTED = 0x4A  # 'J'
SEQUENCED_DATA = 0x53  # 'S'
SERVER_HEARTBEAT = 0x48  # 'H'
END_OF_SESSION = 0x5A  # 'Z'
LOGIN_REQUEST = 0x4C  # 'L'
UNSEQUENCED_DATA = 0x55  # 'U'
CLIENT_HEARTBEAT = 0x52  # 'R'
LOGOUT_REQUEST = 0x4F  # 'O'

#: Login Rejected reason codes
REJECT_NOT_AUTHORIZED = b"A"
REJECT_SESSION_UNAVAILABLE = b"S"

#: payload sizes of a Login Request: SoupBinTCP 3.00/4.00, and 4.10 (heartbeat timeout)
LOGIN_SIZES = (46, 51)

#: a packet's Packet Length and Packet Type
HEADER = _HEADER = struct.Struct(">HB")
_pack_len = struct.Struct(">H").pack


@dataclass(frozen=True, slots=True)
class LoginRequest:
    """A decoded Login Request: fields stripped of their padding.

    :ivar sequence: the requested sequence number (0: start with the next new message).
    :ivar heartbeat_timeout_ms: the 4.10 client-stated timeout, None for 3.00/4.00.
    """

    username: str
    password: str
    session: str
    sequence: int
    heartbeat_timeout_ms: int | None = None


def _alpha(field: bytes, name: str) -> str:
    try:
        return field.decode("ascii").strip(" ")
    except UnicodeDecodeError:
        raise FramingError(f"login {name} is not ASCII: {field!r}") from None


def _numeric(field: bytes, name: str) -> int:
    digits = field.strip(b" ")
    if not digits:
        return 0
    if not digits.isdigit():
        raise FramingError(f"login {name} must be digits padded with spaces, got {field!r}")
    return int(digits)


def parse_login(payload: bytes) -> LoginRequest:
    """Decode a Login Request payload (46 or 51 bytes); raise :class:`FramingError`."""
    size = len(payload)
    if size not in LOGIN_SIZES:
        raise FramingError(
            f"login request payload is {size} bytes; SoupBinTCP expects 46 (3.00/4.00) or 51 (4.10)"
        )
    timeout = _numeric(payload[46:51], "heartbeat timeout") if size == 51 else None
    return LoginRequest(
        username=_alpha(payload[0:6], "username"),
        password=_alpha(payload[6:16], "password"),
        session=_alpha(payload[16:26], "requested session"),
        sequence=_numeric(payload[26:46], "requested sequence number"),
        heartbeat_timeout_ms=timeout,
    )


def login_accepted(session: str, next_seq: int) -> bytes:
    """Login Accepted: the session joined and the number of the next sequenced message."""
    return b"\x00\x1fA" + session.encode("ascii").rjust(10) + str(next_seq).encode().rjust(20)


def login_rejected(reason: bytes) -> bytes:
    """Login Rejected with ``REJECT_NOT_AUTHORIZED`` or ``REJECT_SESSION_UNAVAILABLE``."""
    return b"\x00\x02J" + reason


def sequenced(payload: bytes) -> bytes:
    """A Sequenced Data packet carrying one message."""
    return _pack_len(len(payload) + 1) + b"S" + payload


def unsequenced(payload: bytes) -> bytes:
    """An Unsequenced Data packet carrying one message."""
    return _pack_len(len(payload) + 1) + b"U" + payload


def debug(text: str) -> bytes:
    """A Debug packet (printable ASCII; receivers ignore it)."""
    data = text.encode("ascii", "replace")[:1000]
    return _pack_len(len(data) + 1) + b"+" + data


class PacketReader:
    """Cuts a byte stream into ``(type, payload)`` packets.

    :param max_length: the largest Packet Length accepted; a longer one, or a length of
        0, raises :class:`FramingError` (the buffer never holds more than one packet
        plus one read).
    """

    __slots__ = ("_buf", "max_length")

    def __init__(self, max_length: int = 65535) -> None:
        self._buf = b""
        self.max_length = max_length

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        """Add received bytes; return the packets now complete, in order."""
        # bytes, not a bytearray: each payload is one slice (one copy), and a read of
        # whole packets, the usual case, is never copied into a buffer first
        buf = self._buf + data if self._buf else bytes(data)
        out: list[tuple[int, bytes]] = []
        pos = 0
        end = len(buf)
        unpack = _HEADER.unpack_from
        while end - pos >= 3:
            length, ptype = unpack(buf, pos)
            if length == 0:
                raise FramingError("packet length 0 (a packet has at least its type byte)")
            if length > self.max_length:
                raise FramingError(
                    f"packet length {length} exceeds this endpoint's limit of "
                    f"{self.max_length} bytes"
                )
            stop = pos + 2 + length
            if stop > end:
                break
            out.append((ptype, buf[pos + 3 : stop]))
            pos = stop
        # a length prefix alone: a zero length is an error we can see already
        if end - pos == 2 and buf[pos] == 0 and buf[pos + 1] == 0:
            raise FramingError("packet length 0 (a packet has at least its type byte)")
        self._buf = buf[pos:] if pos < end else b""
        return out

    @property
    def buffered(self) -> int:
        """Bytes of an incomplete packet held."""
        return len(self._buf)
