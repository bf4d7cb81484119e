"""OUCH 5.0 optional appendage: TagValue options (PROTOCOLS.md 3.3).

Each option is ``Length`` (U8: size of tag + value), ``OptionTag`` (U8) and a value of
the tag's fixed size. The options of a message follow its ``Appendage Length`` (U16).
Options are kept as raw values by tag; :func:`number` reads an unsigned one and
:func:`signed` a signed price.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from .errors import DecodeError

__all__ = [
    "BBO_WEIGHT",
    "CUSTOMER_TYPE",
    "DISCRETION_PEG_OFFSET",
    "DISCRETION_PRICE",
    "DISCRETION_PRICE_TYPE",
    "DISPLAY_PRICE",
    "DISPLAY_QUANTITY",
    "EXPIRE_TIME",
    "FIRM",
    "GROUP_ID",
    "HANDLE_INST",
    "MAX_FLOOR",
    "MIN_QTY",
    "PEG_OFFSET",
    "POST_ONLY",
    "PRICE_TYPE",
    "SECONDARY_ORD_REF_NUM",
    "SIDE",
    "SIZES",
    "USER_REF_IDX",
    "decode",
    "element",
    "encode",
    "idx_echo",
    "number",
    "signed",
]

SECONDARY_ORD_REF_NUM: Final = 1
FIRM: Final = 2
MIN_QTY: Final = 3
CUSTOMER_TYPE: Final = 4
MAX_FLOOR: Final = 5
PRICE_TYPE: Final = 6
PEG_OFFSET: Final = 7
DISCRETION_PRICE: Final = 9
DISCRETION_PRICE_TYPE: Final = 10
DISCRETION_PEG_OFFSET: Final = 11
POST_ONLY: Final = 12
RANDOM_RESERVES: Final = 13
ROUTE: Final = 14
EXPIRE_TIME: Final = 15
TRADE_NOW: Final = 16
HANDLE_INST: Final = 17
BBO_WEIGHT: Final = 18
DISPLAY_QUANTITY: Final = 22
DISPLAY_PRICE: Final = 23
GROUP_ID: Final = 24
SHARES_LOCATED: Final = 25
LOCATE_BROKER: Final = 26
SIDE: Final = 27
USER_REF_IDX: Final = 28
AIQ_STRATEGY: Final = 29
AIQ_GROUP_ID: Final = 30

#: value size of every assigned tag
SIZES: Final[dict[int, int]] = {
    SECONDARY_ORD_REF_NUM: 8,
    FIRM: 4,
    MIN_QTY: 4,
    CUSTOMER_TYPE: 1,
    MAX_FLOOR: 4,
    PRICE_TYPE: 1,
    PEG_OFFSET: 4,
    DISCRETION_PRICE: 8,
    DISCRETION_PRICE_TYPE: 1,
    DISCRETION_PEG_OFFSET: 4,
    POST_ONLY: 1,
    RANDOM_RESERVES: 4,
    ROUTE: 4,
    EXPIRE_TIME: 4,
    TRADE_NOW: 1,
    HANDLE_INST: 1,
    BBO_WEIGHT: 1,
    DISPLAY_QUANTITY: 4,
    DISPLAY_PRICE: 8,
    GROUP_ID: 2,
    SHARES_LOCATED: 1,
    LOCATE_BROKER: 4,
    SIDE: 1,
    USER_REF_IDX: 1,
    AIQ_STRATEGY: 1,
    AIQ_GROUP_ID: 2,
}


def decode(data: bytes, allowed: frozenset[int]) -> dict[int, bytes]:
    """The options of an appendage by tag; raise :class:`DecodeError` for a truncated
    element, an unassigned tag, a tag this message does not take, a wrong value size,
    or a tag given twice."""
    options: dict[int, bytes] = {}
    pos = 0
    end = len(data)
    while pos < end:
        if end - pos < 2:
            raise DecodeError(f"appendage ends inside an option at byte {pos}")
        length, tag = data[pos], data[pos + 1]
        size = SIZES.get(tag)
        if size is None:
            raise DecodeError(f"appendage option tag {tag} is not assigned")
        if tag not in allowed:
            raise DecodeError(f"appendage option tag {tag} is not allowed in this message")
        if length != size + 1:
            raise DecodeError(
                f"appendage option tag {tag} has length {length}; it must be {size + 1}"
            )
        stop = pos + 1 + length
        if stop > end:
            raise DecodeError(f"appendage option tag {tag} is cut short")
        if tag in options:
            raise DecodeError(f"appendage option tag {tag} is given twice")
        options[tag] = bytes(data[pos + 2 : stop])
        pos = stop
    return options


def element(tag: int, value: bytes) -> bytes:
    """One TagValue element."""
    return bytes((len(value) + 1, tag)) + value


def encode(options: Iterable[tuple[int, bytes]]) -> bytes:
    """Concatenated TagValue elements (without the Appendage Length)."""
    return b"".join(element(tag, value) for tag, value in options)


def idx_echo(idx: int) -> bytes | None:
    """The UserRefIdx option that answers on channel ``idx`` carry (None: channel 0)."""
    return element(USER_REF_IDX, bytes((idx,))) if idx else None


def number(value: bytes) -> int:
    """An unsigned big-endian option value."""
    return int.from_bytes(value, "big")


def signed(value: bytes) -> int:
    """A signed big-endian option value (SignedPrice)."""
    return int.from_bytes(value, "big", signed=True)
