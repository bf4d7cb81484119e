"""Layouts: parsing and validating, in one pass, the messages a client sends again and again.

An order-entry client sends the same message types with the same tags in the same order
over and over: every NewOrderSingle of a gateway has one *layout*. Once a message has been
parsed field by field (:func:`~exsim_fix.codec.parse`) and passed validation
(:func:`~exsim_fix.validate.check`), :meth:`Layouts.learn` compiles its layout
(BeginString, MsgType and the sequence of tags) into one regular expression that matches a
whole message of that layout whose every value passes the per-field checks: present, and
of its tag's data format or enumeration. :meth:`Layouts.parse` tries a framed message
against the layouts of its MsgType: a match is the parsed message, known to be valid,
found by the regular-expression engine with no Python code per field. Anything else (a
new layout, a value that fails a check, a data field) takes the field-by-field path,
which finds and names the problem; both paths give the same result (tested).

What a layout encodes depends on the session's FIX version and on whether it accepts
user-defined tags, so each session has its own :class:`Layouts`, bounded in number and
in size.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from .codec import DATA_LENGTH_TAGS, FixMessage
from .dictionary import GROUP_COUNTS
from .validate import value_pattern

if TYPE_CHECKING:
    from .versions import FixVersion

__all__ = ["Layouts"]

#: layouts kept per session: a client has a handful; a client that keeps inventing new
#: ones is served by the field-by-field path
MAX_LAYOUTS: Final = 32
#: fields of the largest message worth a layout
MAX_FIELDS: Final = 100
_MSG_TYPE: Final = b"\x0135="


class _Layout:
    __slots__ = ("msg_type", "pattern", "tags")

    def __init__(self, pattern: re.Pattern[bytes], tags: tuple[bytes, ...], msg_type: str) -> None:
        self.pattern = pattern
        self.tags = tags
        self.msg_type = msg_type


class Layouts:
    """The layouts of one session's inbound messages.

    :param version: the session's FIX version (its BeginString is part of every layout).
    :param limit: the most layouts kept.
    """

    __slots__ = ("_begin", "_by_type", "_count", "begin_string", "limit")

    def __init__(self, version: FixVersion, limit: int = MAX_LAYOUTS) -> None:
        self.begin_string = version.begin_string
        self._begin = b"8=" + re.escape(version.bytes) + rb"\x019=[0-9]+\x01"
        self._by_type: dict[bytes, list[_Layout]] = {}
        self._count = 0
        self.limit = limit

    def __len__(self) -> int:
        return self._count

    def parse(self, raw: bytes) -> FixMessage | None:
        """``raw`` (framed by :class:`~exsim_fix.codec.FrameReader`) parsed, when it has a
        known layout and passes the per-field checks; otherwise None."""
        start = raw.find(_MSG_TYPE) + 4
        layouts = self._by_type.get(raw[start : raw.find(b"\x01", start)])
        if layouts is None:
            return None
        end = len(raw) - 7
        for layout in layouts:
            match = layout.pattern.fullmatch(raw, 0, end)
            if match is not None:
                tags = layout.tags
                found = match.groups()
                return FixMessage(
                    raw,
                    self.begin_string,
                    None,
                    dict(zip(tags, found, strict=True)),
                    None,
                    msg_type=layout.msg_type,
                    checked=True,
                    pairs=(tags, found),
                )
        return None

    def learn(self, msg: FixMessage) -> None:
        """Remember the layout of ``msg``, which :func:`~exsim_fix.validate.check` has
        passed for this session (a layout is only ever learnt from a valid message)."""
        fields = msg.fields
        if (
            self._count >= self.limit
            or len(fields) > MAX_FIELDS
            or msg.begin_string != self.begin_string
            or not DATA_LENGTH_TAGS.isdisjoint(msg.values)
        ):
            return
        tags = tuple(tag for tag, _ in fields)
        msg_type = msg.values[b"35"]
        layouts = self._by_type.setdefault(msg_type, [])
        if any(layout.tags == tags for layout in layouts):
            return
        parts = [self._begin, b"35=(", re.escape(msg_type), rb")\x01"]
        for i, tag in enumerate(tags[1:], 1):
            parts.append(tag + b"=(" + _pattern(tags, i) + rb")\x01")
        pattern = re.compile(b"".join(parts))
        layouts.append(_Layout(pattern, tags, msg.msg_type))
        self._count += 1


def _pattern(tags: tuple[bytes, ...], i: int) -> bytes:
    """What the value of field ``i`` may be in a message with these ``tags``: whatever
    the per-field checks accept, or, for a NumInGroup, the counts the group check
    accepts: 0, or the number of entries that follow (those starting with the tag
    after it)."""
    tag = tags[i]
    if tag not in GROUP_COUNTS:
        return value_pattern(tag)
    if i + 1 == len(tags):
        return b"0+"
    entries = tags[i + 1 :].count(tags[i + 1])
    return b"0*%d|0+" % entries
