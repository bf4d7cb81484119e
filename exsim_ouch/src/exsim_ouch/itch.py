"""ITCH 5.0 messages a venue publishes, byte-exact (PROTOCOLS.md 4.2).

Every message starts with Message Type (1), Stock Locate (U16), Tracking Number (U16)
and a 6-byte Timestamp (nanoseconds since midnight); the transport supplies the length.
Prices are U32 with 4 implied decimals; alpha fields are left-justified and space
padded. Builders take ``locate`` and ``ts``; the tracking number is always 0.
"""

# The builders take the fields in wire order, positionally: each signature is the layout.

from __future__ import annotations

import struct

__all__ = [
    "SIZES",
    "add_order",
    "add_order_mpid",
    "broken_trade",
    "cross_trade",
    "order_cancel",
    "order_delete",
    "order_executed",
    "order_executed_with_price",
    "order_replace",
    "stock_directory",
    "system_event",
    "trade",
    "trading_action",
]

_SYSTEM_EVENT = struct.Struct(">cHHHIc")
_DIRECTORY = struct.Struct(">cHHHI8sccIcc2scccccIc")
_TRADING_ACTION = struct.Struct(">cHHHI8scc4s")
_ADD = struct.Struct(">cHHHIQcI8sI")
_ADD_MPID = struct.Struct(">cHHHIQcI8sI4s")
_EXECUTED = struct.Struct(">cHHHIQIQ")
_EXECUTED_PRICE = struct.Struct(">cHHHIQIQcI")
_CANCEL = struct.Struct(">cHHHIQI")
_DELETE = struct.Struct(">cHHHIQ")
_REPLACE = struct.Struct(">cHHHIQQII")
_TRADE = struct.Struct(">cHHHIQcI8sIQ")
_CROSS = struct.Struct(">cHHHIQ8sIQc")
_BROKEN = struct.Struct(">cHHHIQ")

#: length of every message this module builds, by type byte
SIZES = {
    b"S": _SYSTEM_EVENT.size,
    b"R": _DIRECTORY.size,
    b"H": _TRADING_ACTION.size,
    b"A": _ADD.size,
    b"F": _ADD_MPID.size,
    b"E": _EXECUTED.size,
    b"C": _EXECUTED_PRICE.size,
    b"X": _CANCEL.size,
    b"D": _DELETE.size,
    b"U": _REPLACE.size,
    b"P": _TRADE.size,
    b"Q": _CROSS.size,
    b"B": _BROKEN.size,
}

_MASK32 = 0xFFFFFFFF


def system_event(ts: int, code: bytes) -> bytes:
    """System Event 'S': O, S, Q, M, E, C (start of messages ... end of messages)."""
    return _SYSTEM_EVENT.pack(b"S", 0, 0, ts >> 32, ts & _MASK32, code)


def stock_directory(
    locate: int,
    ts: int,
    stock: bytes,
    round_lot: int,
    market_category: bytes = b"Q",
    financial_status: bytes = b"N",
    round_lots_only: bytes = b"N",
    classification: bytes = b"C",
    sub_type: bytes = b"Z ",
    authenticity: bytes = b"P",
    short_sale_threshold: bytes = b"N",
    ipo: bytes = b"N",
    luld_tier: bytes = b"1",
    etp: bytes = b"N",
    etp_leverage: int = 0,
    inverse: bytes = b"N",
) -> bytes:
    """Stock Directory 'R' (39 bytes)."""
    return _DIRECTORY.pack(
        b"R", locate, 0, ts >> 32, ts & _MASK32, stock, market_category, financial_status,
        round_lot, round_lots_only, classification, sub_type, authenticity,
        short_sale_threshold, ipo, luld_tier, etp, etp_leverage, inverse,
    )  # fmt: skip


def trading_action(
    locate: int, ts: int, stock: bytes, state: bytes, reason: bytes = b"    "
) -> bytes:
    """Stock Trading Action 'H' (25 bytes): T trading, H halted, P paused, Q quotation."""
    return _TRADING_ACTION.pack(b"H", locate, 0, ts >> 32, ts & _MASK32, stock, state, b" ", reason)


def add_order(
    locate: int, ts: int, orn: int, side: bytes, shares: int, stock: bytes, price: int
) -> bytes:
    """Add Order (no MPID) 'A' (36 bytes)."""
    return _ADD.pack(b"A", locate, 0, ts >> 32, ts & _MASK32, orn, side, shares, stock, price)


def add_order_mpid(
    locate: int, ts: int, orn: int, side: bytes, shares: int, stock: bytes, price: int, mpid: bytes
) -> bytes:
    """Add Order with MPID attribution 'F' (40 bytes)."""
    return _ADD_MPID.pack(
        b"F", locate, 0, ts >> 32, ts & _MASK32, orn, side, shares, stock, price, mpid
    )


def order_executed(locate: int, ts: int, orn: int, shares: int, match: int) -> bytes:
    """Order Executed 'E' (31 bytes), at the order's display price."""
    return _EXECUTED.pack(b"E", locate, 0, ts >> 32, ts & _MASK32, orn, shares, match)


def order_executed_with_price(
    locate: int, ts: int, orn: int, shares: int, match: int, printable: bytes, price: int
) -> bytes:
    """Order Executed With Price 'C' (36 bytes), at a price other than the display price."""
    return _EXECUTED_PRICE.pack(
        b"C", locate, 0, ts >> 32, ts & _MASK32, orn, shares, match, printable, price
    )


def order_cancel(locate: int, ts: int, orn: int, shares: int) -> bytes:
    """Order Cancel 'X' (23 bytes): shares removed from the order."""
    return _CANCEL.pack(b"X", locate, 0, ts >> 32, ts & _MASK32, orn, shares)


def order_delete(locate: int, ts: int, orn: int) -> bytes:
    """Order Delete 'D' (19 bytes)."""
    return _DELETE.pack(b"D", locate, 0, ts >> 32, ts & _MASK32, orn)


def order_replace(locate: int, ts: int, orn: int, new_orn: int, shares: int, price: int) -> bytes:
    """Order Replace 'U' (35 bytes): remove ``orn``, add ``new_orn`` (same side, stock and
    attribution) with the new shares and price."""
    return _REPLACE.pack(b"U", locate, 0, ts >> 32, ts & _MASK32, orn, new_orn, shares, price)


def trade(
    locate: int, ts: int, orn: int, side: bytes, shares: int, stock: bytes, price: int, match: int
) -> bytes:
    """Trade (non-cross) 'P' (44 bytes): an execution of a non-displayed order."""
    return _TRADE.pack(
        b"P", locate, 0, ts >> 32, ts & _MASK32, orn, side, shares, stock, price, match
    )


def cross_trade(
    locate: int, ts: int, shares: int, stock: bytes, price: int, match: int, cross_type: bytes
) -> bytes:
    """Cross Trade 'Q' (40 bytes)."""
    return _CROSS.pack(
        b"Q", locate, 0, ts >> 32, ts & _MASK32, shares, stock, price, match, cross_type
    )


def broken_trade(locate: int, ts: int, match: int) -> bytes:
    """Broken Trade 'B' (19 bytes)."""
    return _BROKEN.pack(b"B", locate, 0, ts >> 32, ts & _MASK32, match)
