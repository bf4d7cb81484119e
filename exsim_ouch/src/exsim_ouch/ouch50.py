"""OUCH 5.0 messages, byte-exact (PROTOCOLS.md section 3).

Every message is a fixed part, ``Appendage Length`` (U16) and TagValue options
(:mod:`exsim_ouch.appendage`). Inbound messages whose appendage is optional are accepted
with or without ``Appendage Length``; outbound messages carry it where the newest texts
require it (Accepted, Replaced, Executed, Restated, the responses) and otherwise only
when they have options to carry (``options=None`` leaves it out).
"""

# The builders take the fields in wire order, positionally: each signature is the layout.

from __future__ import annotations

import struct
from typing import NamedTuple

from . import appendage as ap
from .errors import DecodeError

__all__ = [
    "ACCEPTED",
    "ENTER",
    "AccountQuery",
    "CancelOrder",
    "EnterOrder",
    "MassCancel",
    "ModifyOrder",
    "OrderEntryControl",
    "ReplaceOrder",
    "accepted",
    "account_query_response",
    "aiq_canceled",
    "broken_trade",
    "cancel_pending",
    "cancel_reject",
    "canceled",
    "decode",
    "entry_control_response",
    "executed",
    "mass_cancel_response",
    "order_modified",
    "priority_update",
    "rejected",
    "replaced",
    "restated",
    "system_event",
]

_ENTER = struct.Struct(">cIcI8sQccccc14sH")
#: Enter Order with its Appendage Length: an order without options is ``ENTER.size``
#: bytes ending in a length of 0 (order entry unpacks those inline)
ENTER = _ENTER
_REPLACE = struct.Struct(">cIIIQccc14sH")
_CANCEL = struct.Struct(">cII")
_MODIFY = struct.Struct(">cIcI")
_MASS_CANCEL = struct.Struct(">cI4s8sH")
_CONTROL = struct.Struct(">cI4s")
_QUERY = struct.Struct(">c")
_U16 = struct.Struct(">H")


class EnterOrder(NamedTuple):
    """Enter Order 'O' (47 bytes and options)."""

    type: bytes
    urn: int
    side: bytes
    quantity: int
    symbol: bytes
    price: int
    tif: bytes
    display: bytes
    capacity: bytes
    iso: bytes
    cross_type: bytes
    clordid: bytes
    options: dict[int, bytes]


class ReplaceOrder(NamedTuple):
    """Replace Order 'U' (40 bytes and options)."""

    type: bytes
    orig_urn: int
    urn: int
    quantity: int
    price: int
    tif: bytes
    display: bytes
    iso: bytes
    clordid: bytes
    options: dict[int, bytes]


class CancelOrder(NamedTuple):
    """Cancel Order 'X' (9 bytes, or 11 and options)."""

    type: bytes
    urn: int
    quantity: int
    options: dict[int, bytes]


class ModifyOrder(NamedTuple):
    """Modify Order 'M' (10 bytes, or 12 and options)."""

    type: bytes
    urn: int
    side: bytes
    quantity: int
    options: dict[int, bytes]


class MassCancel(NamedTuple):
    """Mass Cancel Request 'C' (19 bytes and options)."""

    type: bytes
    urn: int
    firm: bytes
    symbol: bytes
    options: dict[int, bytes]


class OrderEntryControl(NamedTuple):
    """Disable Order Entry 'D' or Enable Order Entry 'E' (11 bytes and options)."""

    type: bytes
    urn: int
    firm: bytes
    options: dict[int, bytes]


class AccountQuery(NamedTuple):
    """Account Query Request 'Q' (1 byte, or 3 and options)."""

    type: bytes
    options: dict[int, bytes]


Inbound = (
    EnterOrder | ReplaceOrder | CancelOrder | ModifyOrder | MassCancel | OrderEntryControl
    | AccountQuery
)  # fmt: skip

_T = frozenset
#: type byte -> (fixed part without Appendage Length, class, name, allowed tags,
#: appendage optional)
_INBOUND: dict[int, tuple[struct.Struct, type[Inbound], str, frozenset[int], bool]] = {
    0x4F: (struct.Struct(_ENTER.format[:-1]), EnterOrder, "Enter Order",
           _T({2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 15, 16, 17, 24, 25, 26, 28, 29, 30}), False),
    0x55: (struct.Struct(_REPLACE.format[:-1]), ReplaceOrder, "Replace Order",
           _T({3, 5, 6, 7, 9, 10, 11, 12, 13, 15, 16, 17, 25, 26, 27, 28, 29, 30}), False),
    0x58: (_CANCEL, CancelOrder, "Cancel Order", _T({28}), True),
    0x4D: (_MODIFY, ModifyOrder, "Modify Order", _T({25, 26, 28}), True),
    0x43: (struct.Struct(_MASS_CANCEL.format[:-1]), MassCancel, "Mass Cancel Request",
           _T({24, 27, 28}), False),
    0x44: (_CONTROL, OrderEntryControl, "Disable Order Entry", _T({28}), False),
    0x45: (_CONTROL, OrderEntryControl, "Enable Order Entry", _T({28}), False),
    0x51: (_QUERY, AccountQuery, "Account Query Request", _T({28}), True),
}  # fmt: skip


def decode(payload: bytes) -> Inbound:
    """Decode one inbound message; raise :class:`DecodeError` for an unknown type, a
    wrong length or a bad appendage."""
    if not payload:
        raise DecodeError("empty OUCH message (no message type)")
    entry = _INBOUND.get(payload[0])
    if entry is None:
        raise DecodeError(
            f"unknown OUCH 5.0 message type {payload[:1]!r}; clients send O, U, X, M, C, D, E or Q"
        )
    fixed, cls, name, allowed, optional = entry
    size = fixed.size
    if optional and len(payload) == size:
        options: dict[int, bytes] = {}
    else:
        if len(payload) < size + 2:
            need = f"{size} or at least {size + 2}" if optional else f"at least {size + 2}"
            raise DecodeError(f"OUCH 5.0 {name} is {need} bytes, this one is {len(payload)}")
        (length,) = _U16.unpack_from(payload, size)
        if len(payload) != size + 2 + length:
            raise DecodeError(
                f"OUCH 5.0 {name} with Appendage Length {length} is {size + 2 + length} "
                f"bytes, this one is {len(payload)}"
            )
        options = ap.decode(payload[size + 2 :], allowed)
    return cls._make((*fixed.unpack_from(payload), options))


# ---------------------------------------------------------------------- outbound

_SYSTEM_EVENT = struct.Struct(">cQc")
_ACCEPTED = struct.Struct(">cQIcI8sQccQcccc14sH")
#: Order Accepted without its options: ``ACCEPTED.pack`` takes :func:`accepted`'s
#: arguments after the type byte ``b"A"``, then the options' length
ACCEPTED = _ACCEPTED
_REPLACED = struct.Struct(">cQIIcI8sQccQcccc14sH")
_CANCELED = struct.Struct(">cQIIc")
_AIQ_CANCELED = struct.Struct(">cQIIcIQcc")
_EXECUTED = struct.Struct(">cQIIQcQH")
_BROKEN = struct.Struct(">cQIQc14s")
_REJECTED = struct.Struct(">cQIH14s")
_URN_ONLY = struct.Struct(">cQI")
_PRIORITY = struct.Struct(">cQIQcQ")
_MODIFIED = struct.Struct(">cQIcI")
_RESTATED = struct.Struct(">cQIcH")
_MASS_RESPONSE = struct.Struct(">cQI4s8sH")
_CONTROL_RESPONSE = struct.Struct(">cQI4sH")


def _tail(options: bytes | None) -> bytes:
    return b"" if options is None else _U16.pack(len(options)) + options


def system_event(ts: int, code: bytes) -> bytes:
    """System Event 'S' (10 bytes, no appendage)."""
    return _SYSTEM_EVENT.pack(b"S", ts, code)


def accepted(
    ts: int, urn: int, side: bytes, quantity: int, symbol: bytes, price: int, tif: bytes,
    display: bytes, orn: int, capacity: bytes, iso: bytes, cross_type: bytes, state: bytes,
    clordid: bytes, options: bytes = b"",
) -> bytes:  # fmt: skip
    """Order Accepted 'A' (64 bytes and options)."""
    return _ACCEPTED.pack(
        b"A", ts, urn, side, quantity, symbol, price, tif, display, orn, capacity, iso,
        cross_type, state, clordid, len(options),
    ) + options  # fmt: skip


def replaced(
    ts: int, orig_urn: int, urn: int, side: bytes, quantity: int, symbol: bytes, price: int,
    tif: bytes, display: bytes, orn: int, capacity: bytes, iso: bytes, cross_type: bytes,
    state: bytes, clordid: bytes, options: bytes = b"",
) -> bytes:  # fmt: skip
    """Order Replaced 'U' (68 bytes and options)."""
    return _REPLACED.pack(
        b"U", ts, orig_urn, urn, side, quantity, symbol, price, tif, display, orn, capacity,
        iso, cross_type, state, clordid, len(options),
    ) + options  # fmt: skip


def canceled(
    ts: int, urn: int, decrement: int, reason: bytes, options: bytes | None = None
) -> bytes:
    """Order Canceled 'C' (18 bytes; 20 and options with an appendage)."""
    return _CANCELED.pack(b"C", ts, urn, decrement, reason) + _tail(options)


def aiq_canceled(
    ts: int, urn: int, decrement: int, prevented: int, price: int, liquidity: bytes,
    strategy: bytes = b" ", options: bytes | None = None,
) -> bytes:  # fmt: skip
    """AIQ Canceled 'D' (32 bytes; 34 and options with an appendage)."""
    body = _AIQ_CANCELED.pack(b"D", ts, urn, decrement, b"Q", prevented, price, liquidity, strategy)
    return body + _tail(options)


def executed(
    ts: int, urn: int, quantity: int, price: int, liquidity: bytes, match: int, options: bytes = b""
) -> bytes:
    """Order Executed 'E' (36 bytes and options)."""
    return _EXECUTED.pack(b"E", ts, urn, quantity, price, liquidity, match, len(options)) + options


def broken_trade(
    ts: int, urn: int, match: int, reason: bytes, clordid: bytes, options: bytes | None = None
) -> bytes:
    """Broken Trade 'B' (36 bytes; 38 and options with an appendage)."""
    return _BROKEN.pack(b"B", ts, urn, match, reason, clordid) + _tail(options)


def rejected(ts: int, urn: int, reason: int, clordid: bytes, options: bytes | None = None) -> bytes:
    """Rejected 'J' (29 bytes; 31 and options with an appendage)."""
    return _REJECTED.pack(b"J", ts, urn, reason, clordid) + _tail(options)


def cancel_pending(ts: int, urn: int, options: bytes | None = None) -> bytes:
    """Cancel Pending 'P' (13 bytes; 15 and options with an appendage)."""
    return _URN_ONLY.pack(b"P", ts, urn) + _tail(options)


def cancel_reject(ts: int, urn: int, options: bytes | None = None) -> bytes:
    """Cancel Reject 'I' (13 bytes; 15 and options with an appendage)."""
    return _URN_ONLY.pack(b"I", ts, urn) + _tail(options)


def priority_update(
    ts: int, urn: int, price: int, display: bytes, orn: int, options: bytes | None = None
) -> bytes:
    """Order Priority Update 'T' (30 bytes; 32 and options with an appendage)."""
    return _PRIORITY.pack(b"T", ts, urn, price, display, orn) + _tail(options)


def order_modified(
    ts: int, urn: int, side: bytes, quantity: int, options: bytes | None = None
) -> bytes:
    """Order Modified 'M' (18 bytes; 20 and options with an appendage)."""
    return _MODIFIED.pack(b"M", ts, urn, side, quantity) + _tail(options)


def restated(ts: int, urn: int, reason: bytes, options: bytes = b"") -> bytes:
    """Order Restated 'R' (16 bytes and options: Display Quantity, Display Price,
    SecondaryOrdRefNum)."""
    return _RESTATED.pack(b"R", ts, urn, reason, len(options)) + options


def mass_cancel_response(
    ts: int, urn: int, firm: bytes, symbol: bytes, options: bytes = b""
) -> bytes:
    """Mass Cancel Response 'X' (27 bytes and options)."""
    return _MASS_RESPONSE.pack(b"X", ts, urn, firm, symbol, len(options)) + options


def entry_control_response(
    ts: int, kind: bytes, urn: int, firm: bytes, options: bytes = b""
) -> bytes:
    """Disable ('G') or Enable ('K') Order Entry Response (19 bytes and options)."""
    return _CONTROL_RESPONSE.pack(kind, ts, urn, firm, len(options)) + options


def account_query_response(ts: int, next_urn: int, options: bytes | None = None) -> bytes:
    """Account Query Response 'Q' (13 bytes; 15 and options with an appendage)."""
    return _URN_ONLY.pack(b"Q", ts, next_urn) + _tail(options)
