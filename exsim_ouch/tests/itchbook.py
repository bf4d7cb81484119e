"""An ITCH 5.0 order book builder for tests, written from PROTOCOLS.md section 4 alone
(no exsim_ouch code): it reads messages field by field and keeps every displayed order.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

# type -> (length, fields after the 11-byte header: (name, format))
LAYOUTS: dict[bytes, tuple[int, list[tuple[str, str]]]] = {
    b"S": (12, [("event", "c")]),
    b"R": (39, [("stock", "8s"), ("category", "c"), ("status", "c"), ("round_lot", "I"),
                ("round_lots_only", "c"), ("classification", "c"), ("sub_type", "2s"),
                ("authenticity", "c"), ("short_sale", "c"), ("ipo", "c"), ("luld", "c"),
                ("etp", "c"), ("leverage", "I"), ("inverse", "c")]),
    b"H": (25, [("stock", "8s"), ("state", "c"), ("reserved", "c"), ("reason", "4s")]),
    b"A": (36, [("orn", "Q"), ("side", "c"), ("shares", "I"), ("stock", "8s"), ("price", "I")]),
    b"F": (40, [("orn", "Q"), ("side", "c"), ("shares", "I"), ("stock", "8s"), ("price", "I"),
                ("mpid", "4s")]),
    b"E": (31, [("orn", "Q"), ("shares", "I"), ("match", "Q")]),
    b"C": (36, [("orn", "Q"), ("shares", "I"), ("match", "Q"), ("printable", "c"),
                ("price", "I")]),
    b"X": (23, [("orn", "Q"), ("shares", "I")]),
    b"D": (19, [("orn", "Q")]),
    b"U": (35, [("orn", "Q"), ("new_orn", "Q"), ("shares", "I"), ("price", "I")]),
    b"P": (44, [("orn", "Q"), ("side", "c"), ("shares", "I"), ("stock", "8s"), ("price", "I"),
                ("match", "Q")]),
    b"Q": (40, [("shares", "Q"), ("stock", "8s"), ("price", "I"), ("match", "Q"),
                ("cross_type", "c")]),
    b"B": (19, [("match", "Q")]),
}  # fmt: skip


def parse(message: bytes) -> dict[str, Any]:
    """One ITCH message as a dict (alpha fields stripped, one-char fields as str)."""
    kind = message[:1]
    size, fields = LAYOUTS[kind]
    assert len(message) == size, (kind, len(message), size)
    fmt = ">cHHHI" + "".join(f for _, f in fields)
    values = struct.unpack(fmt, message)
    out: dict[str, Any] = {
        "type": kind.decode(),
        "locate": values[1],
        "tracking": values[2],
        "ts": (values[3] << 32) | values[4],
    }
    for (name, _), value in zip(fields, values[5:], strict=True):
        out[name] = value.decode().rstrip(" ") if isinstance(value, bytes) else value
    return out


@dataclass
class Resting:
    orn: int
    side: str
    shares: int
    price: int
    stock: str
    mpid: str | None
    arrival: int


@dataclass
class ItchBook:
    """Every displayed order, rebuilt from the messages."""

    orders: dict[int, Resting] = field(default_factory=dict)
    stocks: dict[int, str] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)
    trades: list[tuple[int, int, int]] = field(default_factory=list)
    busted: list[int] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    seen_orns: set[int] = field(default_factory=set)
    last_ts: int = 0
    _arrivals: int = 0

    def apply(self, message: bytes) -> dict[str, Any]:
        m = parse(message)
        assert m["ts"] >= self.last_ts, "timestamps must not decrease"
        self.last_ts = m["ts"]
        kind = m["type"]
        if kind == "S":
            self.events.append(m["event"])
        elif kind == "R":
            self.stocks[m["locate"]] = m["stock"]
        elif kind == "H":
            self.states[m["stock"]] = m["state"]
        elif kind in ("A", "F"):
            assert m["orn"] not in self.seen_orns, f"reference number {m['orn']} reused"
            assert self.stocks[m["locate"]] == m["stock"]
            self._add(
                Resting(m["orn"], m["side"], m["shares"], m["price"], m["stock"], m.get("mpid"), 0)
            )
        elif kind in ("E", "C"):
            order = self.orders[m["orn"]]
            assert 0 < m["shares"] <= order.shares
            order.shares -= m["shares"]
            self.trades.append((m["match"], m["shares"], m.get("price", order.price)))
            if not order.shares:
                del self.orders[m["orn"]]
        elif kind == "X":
            order = self.orders[m["orn"]]
            assert 0 < m["shares"] < order.shares
            order.shares -= m["shares"]
        elif kind == "D":
            del self.orders[m["orn"]]
        elif kind == "U":
            old = self.orders.pop(m["orn"])
            assert m["new_orn"] not in self.seen_orns, f"reference number {m['new_orn']} reused"
            self._add(
                Resting(m["new_orn"], old.side, m["shares"], m["price"], old.stock, old.mpid, 0)
            )
        elif kind == "P":
            self.trades.append((m["match"], m["shares"], m["price"]))
        elif kind == "B":
            self.busted.append(m["match"])
        return m

    def _add(self, order: Resting) -> None:
        assert order.shares > 0
        self._arrivals += 1
        self.seen_orns.add(order.orn)
        order.arrival = self._arrivals
        self.orders[order.orn] = order

    def side(self, stock: str, side: str) -> list[tuple[int, int]]:
        """``(price, shares)`` of one side in priority order: best price, then arrival."""
        orders = [o for o in self.orders.values() if o.stock == stock and o.side == side]
        sign = -1 if side == "B" else 1
        orders.sort(key=lambda o: (sign * o.price, o.arrival))
        return [(o.price, o.shares) for o in orders]
