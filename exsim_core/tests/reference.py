"""A reference model of price-time priority for the property tests: slow and obvious.

It sorts the opposite side by price, then by arrival, and takes from the front; icebergs
show their peak and refill at the back; self-trade prevention compares sessions. It knows
limit, market, IOC, FOK and iceberg orders, cancels and replaces: the plain streams of
:mod:`orderflow`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from exsim_core import BUY, SELL, TimeInForce

from .orderflow import Run

__all__ = ["ReferenceBook", "Resting"]


@dataclass
class Resting:
    oid: int
    session: str
    side: int
    price: int | None
    qty: int
    leaves: int
    display: int = 0
    cum: int = 0
    shown: int = 0
    seq: int = 0


@dataclass
class ReferenceBook:
    """Price-time priority the slow, obvious way: sort the opposite side by price, then by
    arrival, and take from the front; self-trade prevention by session."""

    stp_mode: str
    resting: dict[int, Resting] = field(default_factory=dict)
    seqs: itertools.count[int] = field(default_factory=itertools.count)
    fills: list[tuple[int, int, int, int]] = field(default_factory=list)
    canceled: list[tuple[int, int]] = field(default_factory=list)

    def queue(self, side: int) -> list[Resting]:
        """Resting orders of ``side``, best price first, then oldest first."""
        orders = [o for o in self.resting.values() if o.side == side]
        sign = -1 if side == BUY else 1
        return sorted(orders, key=lambda o: (sign * (o.price or 0), o.seq))

    def rest(self, order: Resting) -> None:
        order.shown = min(order.display or order.leaves, order.leaves)
        order.seq = next(self.seqs)
        self.resting[order.oid] = order

    def cancel(self, order: Resting, qty: int) -> None:
        """Cancel ``qty`` of ``order``; what is left keeps working, and its ordered quantity
        is again what has filled plus what is left (FIX: LeavesQty = OrderQty - CumQty)."""
        self.canceled.append((order.oid, qty))
        order.leaves -= qty
        if not order.leaves:
            self.resting.pop(order.oid, None)
            return
        order.qty -= qty
        order.shown = min(order.shown, order.leaves)

    def within(self, taker: Resting, limit: int | None, price: int | None) -> bool:
        assert price is not None
        return limit is None or (price <= limit if taker.side == BUY else price >= limit)

    def own(self, taker: Resting, maker: Resting) -> bool:
        return self.stp_mode != "off" and taker.session == maker.session

    def fillable(self, taker: Resting, limit: int | None) -> int:
        got = 0
        for maker in self.queue(SELL if taker.side == BUY else BUY):
            if not self.within(taker, limit, maker.price):
                break
            if self.own(taker, maker):
                if self.stp_mode == "cancel_oldest":
                    continue
                break
            got += maker.leaves
        return got

    def take(self, taker: Resting, limit: int | None, fok: bool) -> None:
        """Match ``taker`` (not resting) against the opposite side up to ``limit``."""
        if fok and self.fillable(taker, limit) < taker.leaves:
            self.cancel(taker, taker.leaves)
            return
        contra = SELL if taker.side == BUY else BUY
        while taker.leaves:
            queue = self.queue(contra)
            if not queue or not self.within(taker, limit, queue[0].price):
                return
            maker = queue[0]
            if self.own(taker, maker):
                mode = self.stp_mode
                if mode == "decrement":
                    cut = min(taker.leaves, maker.leaves)
                    self.cancel(taker, cut)
                    self.cancel(maker, cut)
                    continue
                if mode in ("cancel_oldest", "cancel_both"):
                    self.cancel(maker, maker.leaves)
                if mode in ("cancel_newest", "cancel_both"):
                    self.cancel(taker, taker.leaves)
                continue
            qty = min(taker.leaves, maker.shown)
            assert maker.price is not None
            self.fills.append((taker.oid, maker.oid, qty, maker.price))
            for order in (taker, maker):
                order.leaves -= qty
                order.cum += qty
            maker.shown -= qty
            if not maker.leaves:
                del self.resting[maker.oid]
            elif not maker.shown:
                self.rest(maker)

    def new(self, oid: int, fields: dict[str, Any]) -> None:
        order = Resting(
            oid,
            fields["session"],
            fields["side"],
            fields.get("price"),
            fields["qty"],
            fields["qty"],
            fields.get("display", 0),
        )
        tif = fields.get("tif", TimeInForce.DAY)
        immediate = order.price is None or tif in (TimeInForce.IOC, TimeInForce.FOK)
        self.take(order, order.price, fok=tif == TimeInForce.FOK)
        if order.leaves:
            if immediate:
                self.cancel(order, order.leaves)
            else:
                self.rest(order)

    def replace(self, oid: int, qty: int | None, price: int | None) -> None:
        order = self.resting.get(oid)
        if order is None:
            return
        new_qty = order.qty if qty is None else qty
        new_price = order.price if price is None else price
        if new_qty <= order.cum:
            return
        moves = new_price != order.price or new_qty > order.qty
        order.qty, order.leaves = new_qty, new_qty - order.cum
        if not moves:
            order.shown = min(order.shown, order.leaves)
            return
        del self.resting[oid]
        order.price = new_price
        self.take(order, new_price, fok=False)
        if order.leaves:
            self.rest(order)

    def apply(self, command: tuple[Any, ...], run: Run) -> None:
        self.fills, self.canceled = [], []
        kind = command[0]
        if kind == "new":
            self.new(run.sent[-1].order_id, command[1])
            return
        target = run.target(command[1])
        if target is None:
            return
        if kind == "cancel":
            order = self.resting.get(target.order_id)
            if order is not None:
                self.cancel(order, order.leaves)
        else:
            self.replace(target.order_id, command[2], command[3])
