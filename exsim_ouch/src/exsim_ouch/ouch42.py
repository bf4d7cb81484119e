"""OUCH 4.2 messages, byte-exact (PROTOCOLS.md section 2).

Inbound messages (client to exchange, in Unsequenced Data) decode into named tuples
whose fields are the raw wire values: alpha fields as ``bytes`` with their padding,
one-character codes as one-byte ``bytes``, numbers as ``int``. Outbound messages
(exchange to client, in Sequenced Data) are built by one function each from the same
kind of values. Every OUCH 4.2 message has a fixed length per type; a message of another
length is refused with :class:`~exsim_ouch.errors.DecodeError`.
"""

# The builders take the fields in wire order, positionally: each signature is the layout.

from __future__ import annotations

import struct
from typing import NamedTuple

from .errors import DecodeError

__all__ = [
    "ACCEPTED",
    "ENTER",
    "INBOUND_SIZES",
    "CancelOrder",
    "EnterOrder",
    "ModifyOrder",
    "ReplaceOrder",
    "accepted",
    "aiq_canceled",
    "broken_trade",
    "cancel_pending",
    "cancel_reject",
    "canceled",
    "decode",
    "executed",
    "order_modified",
    "priority_update",
    "rejected",
    "replaced",
    "system_event",
]

_ENTER = struct.Struct(">c14scI8sII4scccIcc")
_REPLACE = struct.Struct(">c14s14sIIIccI")
_CANCEL = struct.Struct(">c14sI")
_MODIFY = struct.Struct(">c14scI")

_SYSTEM_EVENT = struct.Struct(">cQc")
_ACCEPTED = struct.Struct(">cQ14scI8sII4scQccIccc")
_REPLACED = struct.Struct(">cQ14scI8sII4scQccIcc14sc")
_CANCELED = struct.Struct(">cQ14sIc")
_AIQ_CANCELED = struct.Struct(">cQ14sIcIIcc")
_EXECUTED = struct.Struct(">cQ14sIIcQ")
_BROKEN = struct.Struct(">cQ14sQc")
_REJECTED = struct.Struct(">cQ14sc")
_TOKEN_ONLY = struct.Struct(">cQ14s")
_PRIORITY = struct.Struct(">cQ14sIcQ")
_MODIFIED = struct.Struct(">cQ14scI")

#: the layouts of the hot path, Enter Order in and Accepted out: order entry unpacks and
#: packs them inline (``ENTER.unpack`` gives :class:`EnterOrder`'s fields, and
#: ``ACCEPTED.pack`` takes :func:`accepted`'s arguments after the type byte ``b"A"``)
ENTER = _ENTER
ACCEPTED = _ACCEPTED


class EnterOrder(NamedTuple):
    """Enter Order 'O' (49 bytes)."""

    type: bytes
    token: bytes
    side: bytes
    shares: int
    stock: bytes
    price: int
    tif: int
    firm: bytes
    display: bytes
    capacity: bytes
    iso: bytes
    min_qty: int
    cross_type: bytes
    customer_type: bytes


class ReplaceOrder(NamedTuple):
    """Replace Order 'U' (47 bytes)."""

    type: bytes
    token: bytes
    new_token: bytes
    shares: int
    price: int
    tif: int
    display: bytes
    iso: bytes
    min_qty: int


class CancelOrder(NamedTuple):
    """Cancel Order 'X' (19 bytes): ``shares`` is the intended size left, 0 for all."""

    type: bytes
    token: bytes
    shares: int


class ModifyOrder(NamedTuple):
    """Modify Order 'M' (20 bytes)."""

    type: bytes
    token: bytes
    side: bytes
    shares: int


Inbound = EnterOrder | ReplaceOrder | CancelOrder | ModifyOrder

_DECODERS: dict[int, tuple[struct.Struct, type[Inbound], str]] = {
    0x4F: (_ENTER, EnterOrder, "Enter Order"),
    0x55: (_REPLACE, ReplaceOrder, "Replace Order"),
    0x58: (_CANCEL, CancelOrder, "Cancel Order"),
    0x4D: (_MODIFY, ModifyOrder, "Modify Order"),
}

#: length of each inbound message, by type byte
INBOUND_SIZES = {t: s.size for t, (s, _, _) in _DECODERS.items()}


def decode(payload: bytes) -> Inbound:
    """Decode one inbound message; raise :class:`DecodeError` for an unknown type or a
    wrong length."""
    if not payload:
        raise DecodeError("empty OUCH message (no message type)")
    entry = _DECODERS.get(payload[0])
    if entry is None:
        raise DecodeError(
            f"unknown OUCH 4.2 message type {payload[:1]!r}; clients send O (Enter), "
            "U (Replace), X (Cancel) or M (Modify)"
        )
    codec, cls, name = entry
    if len(payload) != codec.size:
        raise DecodeError(f"OUCH 4.2 {name} is {codec.size} bytes, this one is {len(payload)}")
    return cls._make(codec.unpack(payload))


# ---------------------------------------------------------------------- outbound


def system_event(ts: int, code: bytes) -> bytes:
    """System Event 'S': ``code`` S start of day, E end of day."""
    return _SYSTEM_EVENT.pack(b"S", ts, code)


def accepted(
    ts: int,
    token: bytes,
    side: bytes,
    shares: int,
    stock: bytes,
    price: int,
    tif: int,
    firm: bytes,
    display: bytes,
    orn: int,
    capacity: bytes,
    iso: bytes,
    min_qty: int,
    cross_type: bytes,
    state: bytes,
    bbo_weight: bytes = b" ",
) -> bytes:
    """Accepted 'A' (66 bytes)."""
    return _ACCEPTED.pack(
        b"A", ts, token, side, shares, stock, price, tif, firm, display, orn, capacity, iso,
        min_qty, cross_type, state, bbo_weight,
    )  # fmt: skip


def replaced(
    ts: int,
    token: bytes,
    side: bytes,
    shares: int,
    stock: bytes,
    price: int,
    tif: int,
    firm: bytes,
    display: bytes,
    orn: int,
    capacity: bytes,
    iso: bytes,
    min_qty: int,
    cross_type: bytes,
    state: bytes,
    previous_token: bytes,
    bbo_weight: bytes = b" ",
) -> bytes:
    """Replaced 'U' (80 bytes): ``token`` is the replacement token."""
    return _REPLACED.pack(
        b"U", ts, token, side, shares, stock, price, tif, firm, display, orn, capacity, iso,
        min_qty, cross_type, state, previous_token, bbo_weight,
    )  # fmt: skip


def canceled(ts: int, token: bytes, decrement: int, reason: bytes) -> bytes:
    """Canceled 'C' (28 bytes): ``decrement`` shares just removed."""
    return _CANCELED.pack(b"C", ts, token, decrement, reason)


def aiq_canceled(
    ts: int,
    token: bytes,
    decrement: int,
    prevented: int,
    price: int,
    liquidity: bytes,
    strategy: bytes = b" ",
) -> bytes:
    """AIQ Canceled 'D' (38 bytes, the revision with the AIQ Strategy byte)."""
    return _AIQ_CANCELED.pack(
        b"D", ts, token, decrement, b"Q", prevented, price, liquidity, strategy
    )


def executed(ts: int, token: bytes, shares: int, price: int, liquidity: bytes, match: int) -> bytes:
    """Executed 'E' (40 bytes)."""
    return _EXECUTED.pack(b"E", ts, token, shares, price, liquidity, match)


def broken_trade(ts: int, token: bytes, match: int, reason: bytes) -> bytes:
    """Broken Trade 'B' (32 bytes)."""
    return _BROKEN.pack(b"B", ts, token, match, reason)


def rejected(ts: int, token: bytes, reason: bytes) -> bytes:
    """Rejected 'J' (24 bytes)."""
    return _REJECTED.pack(b"J", ts, token, reason)


def cancel_pending(ts: int, token: bytes) -> bytes:
    """Cancel Pending 'P' (23 bytes)."""
    return _TOKEN_ONLY.pack(b"P", ts, token)


def cancel_reject(ts: int, token: bytes) -> bytes:
    """Cancel Reject 'I' (23 bytes)."""
    return _TOKEN_ONLY.pack(b"I", ts, token)


def priority_update(ts: int, token: bytes, price: int, display: bytes, orn: int) -> bytes:
    """Order Priority Update 'T' (36 bytes)."""
    return _PRIORITY.pack(b"T", ts, token, price, display, orn)


def order_modified(ts: int, token: bytes, side: bytes, shares: int) -> bytes:
    """Order Modified 'M' (28 bytes)."""
    return _MODIFIED.pack(b"M", ts, token, side, shares)
