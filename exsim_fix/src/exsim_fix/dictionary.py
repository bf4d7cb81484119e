"""The parts of the FIX data dictionaries exsim validates against.

Header and trailer tags, the body tags of each session message, the NumInGroup tags,
the data formats and enumerations of the fields exsim acts on, and the required tags
of the messages it reads, per version (from the FIX 4.0-4.4 and 5.0 SP2 dictionaries).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from .versions import FixVersion

__all__ = [
    "ADMIN_BODY",
    "BOOL_TAGS",
    "ENUMS",
    "GROUP_COUNTS",
    "HEADER_TAGS",
    "INT_TAGS",
    "NUMBER",
    "NUMBER_TAGS",
    "TIMESTAMP",
    "TIME_TAGS",
    "TRAILER_TAGS",
    "required_tags",
]


def _b(*tags: int) -> frozenset[bytes]:
    return frozenset(b"%d" % t for t in tags)


HEADER_TAGS: Final = _b(
    8,
    9,
    35,
    34,
    43,
    49,
    50,
    52,
    56,
    57,
    97,
    115,
    116,
    122,
    128,
    129,
    142,
    143,
    144,
    145,
    212,
    213,
    347,
    369,
    370,
    627,
    628,
    629,
    630,
    1128,
    1129,
    1156,
    90,
    91,
)
TRAILER_TAGS = _b(93, 89)

#: body tags of each session message (a body tag not listed is "not defined" for it)
ADMIN_BODY: Final[dict[str, frozenset[bytes]]] = {
    "0": _b(112),
    "1": _b(112),
    "2": _b(7, 16),
    "3": _b(45, 371, 372, 373, 58, 354, 355),
    "4": _b(123, 36),
    "5": _b(58, 354, 355, 1409),
    "A": _b(
        98,
        108,
        141,
        383,
        384,
        372,
        385,
        95,
        96,
        464,
        553,
        554,
        925,
        789,
        1137,
        1409,
        1400,
        1401,
        1402,
        1403,
        1404,
        1406,
        1407,
        1408,
        58,
        354,
        355,
    ),
}

#: NumInGroup tags (the field after one starts the group's first entry)
GROUP_COUNTS: Final = _b(
    73,
    78,
    124,
    136,
    146,
    199,
    215,
    232,
    267,
    268,
    295,
    296,
    382,
    384,
    386,
    398,
    420,
    428,
    453,
    454,
    457,
    518,
    534,
    552,
    555,
    558,
    576,
    580,
    604,
    627,
    683,
    687,
    702,
    711,
    753,
    768,
    802,
    864,
    870,
    936,
    1116,
    1141,
)

INT_TAGS = _b(7, 16, 34, 36, 45, 108, 369, 383, 789, 263, 264, 265, 393, 559, 321, 530)
NUMBER_TAGS = _b(38, 44, 99, 110, 111, 152, 202, 210, 211, 31, 32, 14, 151, 6)
BOOL_TAGS = _b(43, 97, 123, 141, 464)
TIME_TAGS = _b(52, 122, 60, 126)
NUMBER = re.compile(rb"-?(?:\d+(?:\.\d*)?|\.\d+)")
TIMESTAMP = re.compile(rb"\d{8}-\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?")

_SECURITY_TYPES = frozenset(
    b"CS PS FUT OPT FOR FXSPOT FXFWD FXNDF FXSWAP NONE CORP GOVT MF WAR MLEG CASH "
    b"COMMON PREFERRED ? BA CB CD CMO CP CPP FHA FHL FN GN IET MIO MPO MPP MPT MUNI "
    b"RP RVRP SL TD USTB USTN ETF CFD SPOT REPO FWD OOF OOP OOC TBOND TBILL TNOTE".split()
)
ENUMS: Final[dict[bytes, frozenset[bytes]]] = {
    b"21": _b(1, 2, 3),
    b"98": _b(0, 1, 2, 3, 4, 5, 6),
    b"263": _b(0, 1, 2),
    b"265": _b(0, 1),
    b"167": _SECURITY_TYPES,
}


def _req(*tags: int) -> tuple[bytes, ...]:
    return tuple(b"%d" % t for t in tags)


_REQUIRED: dict[tuple[int, str], tuple[bytes, ...]] = {}


def required_tags(version: FixVersion, msg_type: str) -> tuple[bytes, ...]:
    """Body tags ``msg_type`` must carry in ``version`` (for the messages exsim reads)."""
    key = (version.rank, msg_type)
    tags = _REQUIRED.get(key)
    if tags is None:
        tags = _REQUIRED[key] = _required(version.rank, msg_type)
    return tags


def _required(r: int, msg_type: str) -> tuple[bytes, ...]:
    if msg_type == "D":
        if r <= 41:
            return _req(11, 21, 55, 54, 38, 40)
        if r == 42:
            return _req(11, 21, 55, 54, 60, 40)
        return _req(11, 55, 54, 60, 40)
    if msg_type == "F":
        return _req(41, 11, 55, 54, 38) if r <= 41 else _req(41, 11, 55, 54, 60)
    if msg_type == "G":
        if r <= 41:
            return _req(41, 11, 21, 55, 54, 38, 40)
        if r == 42:
            return _req(41, 11, 21, 55, 54, 60, 40)
        return _req(41, 11, 55, 54, 60, 40)
    if msg_type == "H":
        return _req(11, 55, 54)
    if msg_type == "q":
        return _req(11, 530, 60)
    if msg_type == "V":
        return _req(262, 263, 264, 267, 146)
    if msg_type == "x":
        return _req(320, 559)
    if msg_type == "c":
        return _req(320, 321)
    return _ADMIN_REQUIRED.get(msg_type, ())


_ADMIN_REQUIRED: Final[dict[str, tuple[bytes, ...]]] = {
    "1": _req(112),
    "2": _req(7, 16),
    "3": _req(45),
    "4": _req(36),
    "A": _req(98, 108),
}
