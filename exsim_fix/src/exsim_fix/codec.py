"""The FIX wire codec: framing a byte stream, a validating parser, a fast encoder.

simplefix neither checks BodyLength(9) nor CheckSum(10), and its parser is too slow for
an order-entry hot path, so inbound messages are framed and parsed here:

* :class:`FrameReader` cuts a byte stream into messages using BodyLength, checks that
  ``8``, ``9`` and ``35`` come first and that the CheckSum is the last field, three
  digits, SOH-terminated and correct. Anything else is *garbled* (reported, never
  raised) and the reader resynchronises at the next ``8=FIX``. Its buffer is bounded by
  the largest message it accepts.
* :func:`parse` splits a framed message into fields, honouring data fields (a length
  tag followed by a value that may contain SOH).

:func:`frame` encodes: it adds BeginString, BodyLength and CheckSum around a body that
starts with ``35=``. Cold-path messages are built with simplefix (see
:mod:`exsim_fix.outbound`); both yield the same bytes (tested).
"""

from __future__ import annotations

import re
import zlib
from typing import Final

from simplefix.data import RAW_DATA  # type: ignore[import-untyped]

__all__ = [
    "DATA_LENGTH_TAGS",
    "DATA_TAGS",
    "DEFAULT_MAX_MESSAGE_SIZE",
    "FixMessage",
    "FrameReader",
    "Garbled",
    "checksum",
    "frame",
    "parse",
]

SOH: Final = b"\x01"
DEFAULT_MAX_MESSAGE_SIZE: Final = 65_536

#: length tag -> the data tag whose value it measures (values may contain SOH): the
#: list simplefix keeps, from FIX 4.0 up to the FIX 5.0 SP2 extension packs
DATA_TAGS: Final[dict[int, int]] = {int(length): int(data) for length, data in RAW_DATA}
#: the length tags as they appear on the wire
DATA_LENGTH_TAGS: Final = frozenset(b"%d" % t for t in DATA_TAGS)
_DATA_OF = {b"%d" % k: b"%d" % v for k, v in DATA_TAGS.items()}
# a field starts the body or follows an SOH; its tag is a positive integer
_FIELD = re.compile(rb"(?<![^\x01])([1-9][0-9]{0,8})=([^\x01]*)\x01")
_START = b"8=FIX"
_NEXT = b"\x018=FIX"


class Garbled:
    """A message that could not be framed or split into fields, and why."""

    __slots__ = ("raw", "reason")

    def __init__(self, reason: str, raw: bytes = b"") -> None:
        self.reason = reason
        self.raw = raw

    def __repr__(self) -> str:
        return f"<Garbled {self.reason}: {self.raw[:60]!r}>"


class FixMessage:
    """A framed, parsed inbound message.

    Tags stay bytes (``b"55"``): converting every tag to an int costs more than the
    rest of parsing, and lookups by bytes are as fast.

    :ivar raw: the message as received.
    :ivar begin_string: the BeginString(8) value.
    :ivar msg_type: the MsgType(35) value.
    :ivar values: the value of each tag (the last one when a tag repeats).
    :ivar bad_tag: the first tag that is not a positive integer (None if all are).
    :ivar checked: the message is known to pass :func:`exsim_fix.validate.check` for
        the session it came on (it matched one of the session's
        :class:`~exsim_fix.layouts.Layouts`).

    ``fields`` may be given as None with ``pairs``, the tags and the values in order:
    the list is then built when first asked for (the hot path never asks).
    """

    __slots__ = (
        "_fields",
        "_pairs",
        "bad_tag",
        "begin_string",
        "checked",
        "msg_type",
        "raw",
        "values",
    )

    def __init__(
        self,
        raw: bytes,
        begin_string: str,
        fields: list[tuple[bytes, bytes]] | None,
        values: dict[bytes, bytes],
        bad_tag: bytes | None,
        *,
        msg_type: str | None = None,
        checked: bool = False,
        pairs: tuple[tuple[bytes, ...], tuple[bytes, ...]] | None = None,
    ) -> None:
        self.raw = raw
        self.begin_string = begin_string
        self._fields = fields
        self._pairs = pairs
        self.values = values
        self.bad_tag = bad_tag
        self.msg_type = values[b"35"].decode("latin-1") if msg_type is None else msg_type
        self.checked = checked

    @property
    def fields(self) -> list[tuple[bytes, bytes]]:
        """Every field from MsgType(35) up to (not including) CheckSum(10), in order."""
        fields = self._fields
        if fields is None:
            assert self._pairs is not None, "a message without fields has its pairs"
            tags, values = self._pairs
            fields = self._fields = list(zip(tags, values, strict=True))
        return fields

    @property
    def repeats(self) -> bool:
        """Does any tag occur more than once?"""
        return len(self.values) != len(self.fields)

    def get(self, tag: int, default: str | None = None) -> str | None:
        """The value of ``tag`` as text, or ``default``."""
        value = self.values.get(b"%d" % tag)
        return default if value is None else value.decode("latin-1")

    def __contains__(self, tag: int) -> bool:
        return b"%d" % tag in self.values

    def __repr__(self) -> str:
        return f"<FixMessage {self.raw.replace(SOH, b'|').decode('latin-1')}>"


_adler32 = zlib.adler32
#: bytes per Adler-32 call: the sum of 256 bytes (at most 65,280) stays below the
#: Adler-32 modulus (65,521), so the low half of the result is the exact sum
_CHUNK: Final = 256


def checksum(data: bytes | bytearray | memoryview) -> int:
    """CheckSum(10) of ``data``: the sum of its bytes modulo 256.

    Computed with :func:`zlib.adler32`, whose low 16 bits are 1 + the byte sum modulo
    65,521: exact for up to 256 bytes, so longer data is summed in 256-byte pieces. This
    is about twenty times faster than ``sum(data)``, which walks the bytes as Python ints.
    """
    if len(data) <= _CHUNK:
        return (_adler32(data) - 1) & 255
    view = memoryview(data)
    total = 0
    for start in range(0, len(view), _CHUNK):
        total += _adler32(view[start : start + _CHUNK], 0) & 0xFFFF
    return total & 255


def frame(begin_string: bytes, body: bytes) -> bytes:
    """A complete message: ``8=begin|9=len|`` + ``body`` + ``10=sum|``. ``body`` starts
    with ``35=`` and ends with SOH."""
    msg = b"8=%s\x019=%d\x01%s" % (begin_string, len(body), body)
    return msg + b"10=%03d\x01" % checksum(msg)


class FrameReader:
    """Cuts a byte stream into FIX messages.

    :param max_message_size: the largest message accepted; a BodyLength announcing more
        is garbled, and no more than this is ever buffered for one message.

    :meth:`feed` returns, in order, each complete message (``bytes``, framing and
    checksum verified) and each :class:`Garbled` stretch of input.
    """

    __slots__ = ("_buf", "max_message_size")

    def __init__(self, max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE) -> None:
        self._buf = b""
        self.max_message_size = max_message_size

    @property
    def pending(self) -> int:
        """Bytes held back waiting for the rest of a message."""
        return len(self._buf)

    def feed(self, data: bytes) -> list[bytes | Garbled]:
        buf = self._buf + data if self._buf else data
        out: list[bytes | Garbled] = []
        pos = 0
        n = len(buf)
        limit = self.max_message_size
        while pos < n:
            if not buf.startswith(_START, pos):
                nxt = buf.find(_START, pos + 1)
                if nxt < 0:
                    # keep a tail that may be the beginning of the next message
                    keep = max(pos, n - 4)
                    while keep < n and not _START.startswith(buf[keep:]):
                        keep += 1
                    if keep > pos:
                        out.append(Garbled("no BeginString(8) at the start", buf[pos:keep]))
                    pos = keep
                    break
                out.append(Garbled("no BeginString(8) at the start", buf[pos:nxt]))
                pos = nxt
                continue
            soh = buf.find(SOH, pos + 5, pos + 40)
            if soh < 0:
                if n - pos < 40:
                    break
                pos = self._skip(buf, pos, out, "BeginString(8) is not SOH-terminated")
                continue
            if not buf.startswith(b"9=", soh + 1):
                if n - soh < 3:
                    break
                pos = self._skip(buf, pos, out, "BodyLength(9) is not the second field")
                continue
            soh2 = buf.find(SOH, soh + 3, soh + 14)
            if soh2 < 0:
                if n - soh < 14:
                    break
                pos = self._skip(buf, pos, out, "BodyLength(9) is not a number")
                continue
            digits = buf[soh + 3 : soh2]
            if not digits.isdigit():
                pos = self._skip(buf, pos, out, "BodyLength(9) is not a number")
                continue
            body_len = int(digits)
            start = soh2 + 1
            end = start + body_len
            total = end + 7 - pos
            if total > limit:
                pos = self._skip(buf, pos, out, f"message longer than {limit} bytes")
                continue
            if buf.find(_NEXT, start, min(n, end + 7)) >= 0:
                # the declared body runs into the next message: BodyLength is wrong
                pos = self._skip(buf, pos, out, "BodyLength(9) runs into the next message")
                continue
            if n < end + 7:
                break
            if (
                not buf.startswith(b"35=", start)
                or not buf.startswith(b"10=", end)
                or buf[end + 6] != 1
                or buf[end - 1] != 1
            ):
                pos = self._skip(
                    buf,
                    pos,
                    out,
                    "BodyLength(9) does not end at CheckSum(10), or MsgType(35) "
                    "is not the third field",
                )
                continue
            check = buf[end + 3 : end + 6]
            if not check.isdigit() or int(check) != checksum(buf[pos:end]):
                pos = self._skip(buf, pos, out, "CheckSum(10) is wrong")
                continue
            out.append(buf[pos : end + 7])
            pos = end + 7
        rest = buf[pos:]
        if len(rest) > limit:
            out.append(Garbled(f"message longer than {limit} bytes", rest[:200]))
            rest = b""
        self._buf = rest
        return out

    @staticmethod
    def _skip(buf: bytes, pos: int, out: list[bytes | Garbled], reason: str) -> int:
        """Report the message starting at ``pos`` as garbled; resume at the next one."""
        nxt = buf.find(_START, pos + 1)
        stop = len(buf) if nxt < 0 else nxt
        out.append(Garbled(reason, buf[pos:stop]))
        return stop


def parse(raw: bytes) -> FixMessage | Garbled:
    """Split a framed message (from :class:`FrameReader`) into fields."""
    soh = raw.index(SOH)
    begin = raw[2:soh].decode("latin-1")
    start = raw.index(SOH, soh + 1) + 1
    body = raw[start:-7]
    pairs: list[tuple[bytes, bytes]] = _FIELD.findall(body)
    if len(pairs) == body.count(SOH):
        values = dict(pairs)
        if DATA_LENGTH_TAGS.isdisjoint(values):
            if b"10" in values:
                return Garbled("CheckSum(10) is not the last field", raw)
            return FixMessage(raw, begin, pairs, values, None)
    return _parse_with_data(raw, begin, body)


def _parse_with_data(raw: bytes, begin: str, body: bytes) -> FixMessage | Garbled:
    """The slow path: walk the body field by field, taking data fields by length and
    noting tags that are not positive integers."""
    fields: list[tuple[bytes, bytes]] = []
    bad: bytes | None = None
    pos = 0
    n = len(body)
    data: tuple[bytes, int] | None = None
    while pos < n:
        eq = body.find(b"=", pos)
        if eq < 0:
            return Garbled("a field has no '='", raw)
        tag = body[pos:eq]
        if SOH in tag:
            return Garbled("a field has no '='", raw)
        if bad is None and not (tag.isdigit() and tag[:1] != b"0" and len(tag) < 10):
            bad = tag
        if data is not None and data[0] == tag:
            end = eq + 1 + data[1]
            if end >= n or body[end] != 1:
                return Garbled(f"data field {tag.decode('latin-1')} does not match its length", raw)
        else:
            end = body.find(SOH, eq + 1)
            if end < 0:
                return Garbled("the last field is not SOH-terminated", raw)
        value = body[eq + 1 : end]
        fields.append((tag, value))
        data = None
        if tag in _DATA_OF:
            if not value.isdigit():
                return Garbled(f"length field {tag.decode('latin-1')} is not a number", raw)
            data = (_DATA_OF[tag], int(value))
        elif tag == b"10":
            return Garbled("CheckSum(10) is not the last field", raw)
        pos = end + 1
    if not fields or fields[0][0] != b"35":
        return Garbled("MsgType(35) is not the third field", raw)
    return FixMessage(raw, begin, fields, dict(fields), bad)
