"""OUCH 5.0 messages for tests, written from PROTOCOLS.md section 3 alone (no exsim_ouch
code): inbound messages built field by field, outbound messages read into dicts."""

from __future__ import annotations

import struct
from typing import Any


def option(tag: int, value: bytes) -> bytes:
    """One TagValue element: length (tag + value), tag, value."""
    return bytes((len(value) + 1, tag)) + value


def appendage(*options: bytes) -> bytes:
    body = b"".join(options)
    return struct.pack(">H", len(body)) + body


def enter(
    urn: int,
    side: str,
    qty: int,
    symbol: str,
    price: int,
    *options: bytes,
    tif: str = "0",
    display: str = "Y",
    capacity: str = "A",
    iso: str = "N",
    cross: str = "N",
    clordid: str = "",
) -> bytes:
    """Enter Order 'O' (47 bytes + options); price with 4 implied decimals, 8 bytes."""
    return (
        struct.pack(">cIcI", b"O", urn, side.encode(), qty)
        + symbol.encode().ljust(8)
        + struct.pack(">Q", price)
        + (tif + display + capacity + iso + cross).encode()
        + clordid.encode().ljust(14)
        + appendage(*options)
    )


def replace(
    orig_urn: int,
    urn: int,
    qty: int,
    price: int,
    *options: bytes,
    tif: str = "0",
    display: str = "Y",
    iso: str = "N",
    clordid: str = "",
) -> bytes:
    """Replace Order 'U' (40 bytes + options)."""
    return (
        struct.pack(">cIIIQ", b"U", orig_urn, urn, qty, price)
        + (tif + display + iso).encode()
        + clordid.encode().ljust(14)
        + appendage(*options)
    )


def cancel(urn: int, qty: int = 0, *options: bytes) -> bytes:
    """Cancel Order 'X' (11 bytes + options)."""
    return struct.pack(">cII", b"X", urn, qty) + appendage(*options)


def modify(urn: int, side: str, qty: int) -> bytes:
    """Modify Order 'M' without appendage (10 bytes)."""
    return struct.pack(">cIcI", b"M", urn, side.encode(), qty)


def mass_cancel(urn: int, firm: str = "", symbol: str = "", *options: bytes) -> bytes:
    return (
        struct.pack(">cI", b"C", urn)
        + firm.encode().ljust(4)
        + symbol.encode().ljust(8)
        + appendage(*options)
    )


def entry_control(kind: str, urn: int, firm: str = "") -> bytes:
    return struct.pack(">cI", kind.encode(), urn) + firm.encode().ljust(4) + appendage()


def account_query() -> bytes:
    return b"Q"


# (fixed size incl. Appendage Length or None, fields (name, offset, length, kind))
_LAYOUTS: dict[bytes, tuple[int, bool, list[tuple[str, int, int, str]]]] = {
    b"S": (10, False, [("ts", 1, 8, "u"), ("event", 9, 1, "c")]),
    b"A": (64, True, [
        ("ts", 1, 8, "u"), ("urn", 9, 4, "u"), ("side", 13, 1, "c"), ("qty", 14, 4, "u"),
        ("symbol", 18, 8, "a"), ("price", 26, 8, "u"), ("tif", 34, 1, "c"),
        ("display", 35, 1, "c"), ("orn", 36, 8, "u"), ("capacity", 44, 1, "c"),
        ("iso", 45, 1, "c"), ("cross", 46, 1, "c"), ("state", 47, 1, "c"),
        ("clordid", 48, 14, "a"),
    ]),
    b"U": (68, True, [
        ("ts", 1, 8, "u"), ("orig_urn", 9, 4, "u"), ("urn", 13, 4, "u"), ("side", 17, 1, "c"),
        ("qty", 18, 4, "u"), ("symbol", 22, 8, "a"), ("price", 30, 8, "u"),
        ("tif", 38, 1, "c"), ("display", 39, 1, "c"), ("orn", 40, 8, "u"),
        ("capacity", 48, 1, "c"), ("iso", 49, 1, "c"), ("cross", 50, 1, "c"),
        ("state", 51, 1, "c"), ("clordid", 52, 14, "a"),
    ]),
    b"C": (18, False, [
        ("ts", 1, 8, "u"), ("urn", 9, 4, "u"), ("qty", 13, 4, "u"), ("reason", 17, 1, "c"),
    ]),
    b"E": (36, True, [
        ("ts", 1, 8, "u"), ("urn", 9, 4, "u"), ("qty", 13, 4, "u"), ("price", 17, 8, "u"),
        ("liquidity", 25, 1, "c"), ("match", 26, 8, "u"),
    ]),
    b"B": (36, False, [
        ("ts", 1, 8, "u"), ("urn", 9, 4, "u"), ("match", 13, 8, "u"), ("reason", 21, 1, "c"),
        ("clordid", 22, 14, "a"),
    ]),
    b"J": (29, False, [
        ("ts", 1, 8, "u"), ("urn", 9, 4, "u"), ("reason", 13, 2, "u"), ("clordid", 15, 14, "a"),
    ]),
    b"P": (13, False, [("ts", 1, 8, "u"), ("urn", 9, 4, "u")]),
    b"I": (13, False, [("ts", 1, 8, "u"), ("urn", 9, 4, "u")]),
    b"T": (30, False, [
        ("ts", 1, 8, "u"), ("urn", 9, 4, "u"), ("price", 13, 8, "u"), ("display", 21, 1, "c"),
        ("orn", 22, 8, "u"),
    ]),
    b"M": (18, False, [
        ("ts", 1, 8, "u"), ("urn", 9, 4, "u"), ("side", 13, 1, "c"), ("qty", 14, 4, "u"),
    ]),
    b"X": (27, True, [
        ("ts", 1, 8, "u"), ("urn", 9, 4, "u"), ("firm", 13, 4, "a"), ("symbol", 17, 8, "a"),
    ]),
    b"G": (19, True, [("ts", 1, 8, "u"), ("urn", 9, 4, "u"), ("firm", 13, 4, "a")]),
    b"K": (19, True, [("ts", 1, 8, "u"), ("urn", 9, 4, "u"), ("firm", 13, 4, "a")]),
    b"Q": (13, False, [("ts", 1, 8, "u"), ("next_urn", 9, 4, "u")]),
}  # fmt: skip


def parse(message: bytes) -> dict[str, Any]:
    """An outbound OUCH 5.0 message as a dict; ``options`` holds the appendage's raw
    TagValue bytes (for messages that carry an Appendage Length)."""
    kind = message[:1]
    size, required, fields = _LAYOUTS[kind]
    out: dict[str, Any] = {"type": kind.decode()}
    for name, offset, length, fmt in fields:
        raw = message[offset : offset + length]
        if fmt == "u":
            out[name] = int.from_bytes(raw, "big")
        elif fmt == "c":
            out[name] = raw.decode()
        else:
            out[name] = raw.decode().rstrip(" ")
    if required:
        (length,) = struct.unpack(">H", message[size - 2 : size])
        assert len(message) == size + length, (kind, len(message), size, length)
        out["options"] = message[size:]
    elif len(message) != size:
        (length,) = struct.unpack(">H", message[size : size + 2])
        assert len(message) == size + 2 + length, (kind, len(message), size, length)
        out["options"] = message[size + 2 :]
    return out
