"""OUCH 4.2 messages for tests, written from PROTOCOLS.md section 2 alone (no exsim_ouch
code): inbound messages built field by field, outbound messages read into dicts."""

from __future__ import annotations

import struct
from typing import Any


def alpha(text: str | bytes, size: int) -> bytes:
    data = text.encode() if isinstance(text, str) else text
    return data.ljust(size)


def enter(
    token: str,
    side: str,
    shares: int,
    stock: str,
    price: int,
    *,
    tif: int = 99998,
    firm: str = "",
    display: str = "Y",
    capacity: str = "A",
    iso: str = "N",
    min_qty: int = 0,
    cross: str = "N",
    customer: str = " ",
) -> bytes:
    """Enter Order 'O' (49 bytes); ``price`` has 4 implied decimals."""
    return (
        b"O"
        + alpha(token, 14)
        + side.encode()
        + struct.pack(">I", shares)
        + alpha(stock, 8)
        + struct.pack(">II", price, tif)
        + alpha(firm, 4)
        + display.encode()
        + capacity.encode()
        + iso.encode()
        + struct.pack(">I", min_qty)
        + cross.encode()
        + customer.encode()
    )


def replace(
    token: str,
    new_token: str,
    shares: int,
    price: int,
    *,
    tif: int = 99998,
    display: str = "Y",
    iso: str = "N",
    min_qty: int = 0,
) -> bytes:
    """Replace Order 'U' (47 bytes)."""
    return (
        b"U"
        + alpha(token, 14)
        + alpha(new_token, 14)
        + struct.pack(">III", shares, price, tif)
        + display.encode()
        + iso.encode()
        + struct.pack(">I", min_qty)
    )


def cancel(token: str, shares: int = 0) -> bytes:
    """Cancel Order 'X' (19 bytes): ``shares`` is the size left afterwards."""
    return b"X" + alpha(token, 14) + struct.pack(">I", shares)


def modify(token: str, side: str, shares: int) -> bytes:
    """Modify Order 'M' (20 bytes)."""
    return b"M" + alpha(token, 14) + side.encode() + struct.pack(">I", shares)


# (name, offset, length, kind) per outbound type; kind: a alpha, c char, u unsigned
_LAYOUTS: dict[bytes, tuple[int, list[tuple[str, int, int, str]]]] = {
    b"S": (10, [("ts", 1, 8, "u"), ("event", 9, 1, "c")]),
    b"A": (
        66,
        [
            ("ts", 1, 8, "u"), ("token", 9, 14, "a"), ("side", 23, 1, "c"),
            ("shares", 24, 4, "u"), ("stock", 28, 8, "a"), ("price", 36, 4, "u"),
            ("tif", 40, 4, "u"), ("firm", 44, 4, "a"), ("display", 48, 1, "c"),
            ("orn", 49, 8, "u"), ("capacity", 57, 1, "c"), ("iso", 58, 1, "c"),
            ("min_qty", 59, 4, "u"), ("cross", 63, 1, "c"), ("state", 64, 1, "c"),
            ("bbo", 65, 1, "c"),
        ],
    ),
    b"U": (
        80,
        [
            ("ts", 1, 8, "u"), ("token", 9, 14, "a"), ("side", 23, 1, "c"),
            ("shares", 24, 4, "u"), ("stock", 28, 8, "a"), ("price", 36, 4, "u"),
            ("tif", 40, 4, "u"), ("firm", 44, 4, "a"), ("display", 48, 1, "c"),
            ("orn", 49, 8, "u"), ("capacity", 57, 1, "c"), ("iso", 58, 1, "c"),
            ("min_qty", 59, 4, "u"), ("cross", 63, 1, "c"), ("state", 64, 1, "c"),
            ("previous", 65, 14, "a"), ("bbo", 79, 1, "c"),
        ],
    ),
    b"C": (
        28,
        [
            ("ts", 1, 8, "u"), ("token", 9, 14, "a"), ("decrement", 23, 4, "u"),
            ("reason", 27, 1, "c"),
        ],
    ),
    b"E": (
        40,
        [
            ("ts", 1, 8, "u"), ("token", 9, 14, "a"), ("shares", 23, 4, "u"),
            ("price", 27, 4, "u"), ("liquidity", 31, 1, "c"), ("match", 32, 8, "u"),
        ],
    ),
    b"B": (
        32,
        [("ts", 1, 8, "u"), ("token", 9, 14, "a"), ("match", 23, 8, "u"), ("reason", 31, 1, "c")],
    ),
    b"J": (24, [("ts", 1, 8, "u"), ("token", 9, 14, "a"), ("reason", 23, 1, "c")]),
    b"P": (23, [("ts", 1, 8, "u"), ("token", 9, 14, "a")]),
    b"I": (23, [("ts", 1, 8, "u"), ("token", 9, 14, "a")]),
    b"T": (
        36,
        [
            ("ts", 1, 8, "u"), ("token", 9, 14, "a"), ("price", 23, 4, "u"),
            ("display", 27, 1, "c"), ("orn", 28, 8, "u"),
        ],
    ),
    b"M": (
        28,
        [("ts", 1, 8, "u"), ("token", 9, 14, "a"), ("side", 23, 1, "c"), ("shares", 24, 4, "u")],
    ),
}  # fmt: skip


def parse(message: bytes) -> dict[str, Any]:
    """An outbound OUCH 4.2 message as ``{"type": letter, field: value}``; checks its
    length against the spec."""
    kind = message[:1]
    size, fields = _LAYOUTS[kind]
    assert len(message) == size, (kind, len(message), size)
    out: dict[str, Any] = {"type": kind.decode()}
    for name, offset, length, fmt in fields:
        raw = message[offset : offset + length]
        if fmt == "u":
            out[name] = int.from_bytes(raw, "big")
        elif fmt == "c":
            out[name] = raw.decode()
        else:
            out[name] = raw.decode().rstrip(" ")
    return out
