"""Validation of inbound messages: what makes the acceptor answer with a session Reject.

:func:`check` returns the first :class:`Problem` of a message (or None), with the
SessionRejectReason(373), the tag at fault and the standard wording (the Text strings
conformance suites match). The rules are those of the FIX session test cases 14a-14i,
2q and 2r, applied per version: tags a version does not define, required tags of the
session messages and of the application messages exsim handles, empty values, repeated
tags outside repeating groups, header fields after body fields, NumInGroup counts, data
formats and the enumerations exsim acts on.
"""

from __future__ import annotations

import re
from typing import Final

from .dictionary import (
    ADMIN_BODY,
    BOOL_TAGS,
    ENUMS,
    GROUP_COUNTS,
    HEADER_TAGS,
    INT_TAGS,
    NUMBER,
    NUMBER_TAGS,
    TIME_TAGS,
    TIMESTAMP,
    TRAILER_TAGS,
    required_tags,
)
from .versions import FixVersion

__all__ = ["HEADER_TAGS", "Problem", "check", "required_tags", "value_pattern"]

INVALID_TAG = 0
REQUIRED_MISSING = 1
NOT_FOR_MSG_TYPE = 2
NO_VALUE = 4
BAD_VALUE = 5
BAD_FORMAT = 6
COMP_ID = 9
SENDING_TIME = 10
INVALID_MSG_TYPE = 11
REPEATED = 13
ORDER = 14
GROUP_COUNT = 16
OTHER = 99

TEXT: Final[dict[int, str]] = {
    INVALID_TAG: "Invalid tag number",
    REQUIRED_MISSING: "Required tag missing",
    NOT_FOR_MSG_TYPE: "Tag not defined for this message type",
    NO_VALUE: "Tag specified without a value",
    BAD_VALUE: "Value is incorrect (out of range) for this tag",
    BAD_FORMAT: "Incorrect data format for value",
    COMP_ID: "CompID problem",
    SENDING_TIME: "SendingTime accuracy problem",
    INVALID_MSG_TYPE: "Invalid MsgType",
    REPEATED: "Tag appears more than once",
    ORDER: "Tag specified out of required order",
    GROUP_COUNT: "Incorrect NumInGroup count for repeating group",
    OTHER: "Other",
}


class Problem:
    """Why a message is rejected: SessionRejectReason, the tag at fault, the text."""

    __slots__ = ("reason", "tag", "text")

    def __init__(self, reason: int, tag: bytes | None = None, text: str | None = None) -> None:
        self.reason = reason
        self.tag = tag
        self.text = text or TEXT.get(reason, "Other")

    def __repr__(self) -> str:
        return f"<Problem {self.reason} tag={self.tag!r} {self.text!r}>"


_H = 1  # header field
_F_INT = 2
_F_NUM = 4
_F_BOOL = 8
_F_TIME = 16
_F_ENUM = 32
_F_TRAILER = 64
_KIND: dict[bytes, int] = {}
for _tags, _flag in (
    (HEADER_TAGS, _H),
    (TRAILER_TAGS, _F_TRAILER),
    (INT_TAGS, _F_INT),
    (NUMBER_TAGS, _F_NUM),
    (BOOL_TAGS, _F_BOOL),
    (TIME_TAGS, _F_TIME),
    (frozenset(ENUMS), _F_ENUM),
):
    for _t in _tags:
        _KIND[_t] = _KIND.get(_t, 0) | _flag
#: tags whose value has a format or an enumeration to check
_CHECKED = frozenset(t for t, k in _KIND.items() if k & ~(_H | _F_TRAILER))
_DEFINED: dict[int, frozenset[bytes]] = {}


def _defined(version: FixVersion) -> frozenset[bytes]:
    tags = _DEFINED.get(version.max_tag)
    if tags is None:
        tags = _DEFINED[version.max_tag] = (
            frozenset(b"%d" % t for t in range(1, version.max_tag + 1)) | HEADER_TAGS
        )
    return tags


def check(
    fields: list[tuple[bytes, bytes]],
    values: dict[bytes, bytes],
    bad_tag: bytes | None,
    msg_type: str,
    version: FixVersion,
    *,
    user_defined_tags: bool = True,
) -> Problem | None:
    """The first reason to reject a message with a session Reject, or None.

    The per-field checks (defined tag, value present, header before body, data format,
    enumeration) run as set operations when the message is well formed, and field by
    field (to name the first problem) when it is not; the per-message checks follow.
    """
    if bad_tag is not None:
        return Problem(INVALID_TAG, bad_tag)
    defined = _defined(version)
    if not _fields_ok(fields, values, defined):
        problem = _field_problem(fields, defined, user_defined_tags)
        if problem is not None:
            return problem
    for tag in (b"49", b"56", b"52"):
        if tag not in values:
            return Problem(REQUIRED_MISSING, tag)
    if msg_type not in version.msg_types:
        return Problem(INVALID_MSG_TYPE, None)
    if len(values) != len(fields):
        problem = _repeats(fields)
        if problem is not None:
            return problem
    allowed = ADMIN_BODY.get(msg_type)
    if allowed is not None:
        for tag in values:
            if tag not in allowed and tag not in HEADER_TAGS and tag not in TRAILER_TAGS:
                return Problem(NOT_FOR_MSG_TYPE, tag)
    for tag in required_tags(version, msg_type):
        if tag not in values:
            return Problem(REQUIRED_MISSING, tag)
    if not GROUP_COUNTS.isdisjoint(values):
        return _groups(fields)
    return None


def _fields_ok(
    fields: list[tuple[bytes, bytes]], values: dict[bytes, bytes], defined: frozenset[bytes]
) -> bool:
    """The common case, cheaply: every tag defined and once, every value present and
    well formed, the header first."""
    if len(values) != len(fields) or b"" in values.values() or not defined.issuperset(values):
        return False
    leading = 0
    for tag, _ in fields:
        if tag not in HEADER_TAGS:
            break
        leading += 1
    if leading != len(HEADER_TAGS.intersection(values)):
        return False
    kinds = _KIND
    for tag in _CHECKED.intersection(values):
        kind = kinds[tag]
        value = values[tag]
        if kind & _F_INT:
            if not value.isdigit():
                return False
        elif kind & _F_NUM:
            if NUMBER.fullmatch(value) is None:
                return False
        elif kind & _F_BOOL:
            if value != b"Y" and value != b"N":
                return False
        elif kind & _F_TIME:
            if TIMESTAMP.fullmatch(value) is None:
                return False
        elif kind & _F_ENUM and value not in ENUMS[tag]:
            return False
    return True


def value_pattern(tag: bytes) -> bytes:
    """A regular expression, without capturing groups, that matches exactly the values
    of ``tag`` the per-field checks of :func:`check` accept: not empty, and of the tag's
    data format or enumeration (the same order of precedence as the checks)."""
    kind = _KIND.get(tag, 0)
    if kind & _F_INT:
        return rb"[0-9]+"
    if kind & _F_NUM:
        return NUMBER.pattern
    if kind & _F_BOOL:
        return rb"[YN]"
    if kind & _F_TIME:
        return TIMESTAMP.pattern
    if kind & _F_ENUM:
        return b"(?:" + b"|".join(re.escape(v) for v in sorted(ENUMS[tag])) + b")"
    return rb"[^\x01]+"


def _field_problem(
    fields: list[tuple[bytes, bytes]], defined: frozenset[bytes], user_defined_tags: bool
) -> Problem | None:
    """The first per-field problem, in field order."""
    kinds = _KIND
    in_body = False
    for tag, value in fields:
        if not value:
            return Problem(NO_VALUE, tag)
        kind = kinds.get(tag)
        if kind is None:
            if tag not in defined and not (user_defined_tags and int(tag) >= 5000):
                return Problem(INVALID_TAG, tag)
            in_body = True
            continue
        if kind & _H:
            if in_body:
                return Problem(ORDER, tag)
        elif not kind & _F_TRAILER:
            in_body = True
        if kind & _F_INT:
            if not value.isdigit():
                return Problem(BAD_FORMAT, tag)
        elif kind & _F_NUM:
            if NUMBER.fullmatch(value) is None:
                return Problem(BAD_FORMAT, tag)
        elif kind & _F_BOOL:
            if value != b"Y" and value != b"N":
                return Problem(BAD_FORMAT if len(value) != 1 else BAD_VALUE, tag)
        elif kind & _F_TIME:
            if TIMESTAMP.fullmatch(value) is None:
                return Problem(BAD_FORMAT, tag)
        elif kind & _F_ENUM and value not in ENUMS[tag]:
            return Problem(BAD_VALUE, tag)
    return None


def _repeats(fields: list[tuple[bytes, bytes]]) -> Problem | None:
    """A tag repeated outside a repeating group (tags after a NumInGroup field may
    repeat: they belong to its entries)."""
    seen: set[bytes] = set()
    grouped = False
    for tag, _ in fields:
        if tag in GROUP_COUNTS:
            grouped = True
        if tag in seen and not grouped:
            return Problem(REPEATED, tag)
        seen.add(tag)
    return None


def _groups(fields: list[tuple[bytes, bytes]]) -> Problem | None:
    """Each NumInGroup must count the entries that follow it (an entry starts with the
    group's first field)."""
    for i, (tag, value) in enumerate(fields):
        if tag not in GROUP_COUNTS:
            continue
        count = int(value) if value.isdigit() else -1
        if count < 0:
            return Problem(BAD_FORMAT, tag)
        if count == 0:
            continue
        if i + 1 >= len(fields):
            return Problem(GROUP_COUNT, tag)
        delimiter = fields[i + 1][0]
        entries = 0
        for t, _ in fields[i + 1 :]:
            if t == delimiter:
                entries += 1
        if entries != count:
            return Problem(GROUP_COUNT, tag)
    return None
