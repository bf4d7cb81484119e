"""Synthetic fills: a fill with no resting counterparty (managed engine, behaviours)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from exsim_core.events import (
    BOOK,
    FILL,
    TRADE,
)
from exsim_core.order import Order

from ._const import (
    _FILLED,
    _PARTIAL,
    _SYNTHETIC,
    BUY,
)

if TYPE_CHECKING:
    from .book import Book


def fill(self: Book, order: Order, qty: int, price: int, contra: Order | None = None) -> None:
    """Fill ``qty`` of ``order`` at ``price`` with no resting counterparty (managed
    engine, behaviours) and print the trade. A resting order keeps its place."""
    venue = self.venue
    qty = min(qty, order.leaves)
    if qty <= 0:
        return
    level = order.level
    order.leaves -= qty
    order.cum_qty += qty
    order.cum_cost += qty * price
    tid = next(venue.trade_ids)
    out = self.out
    out.append(
        (
            FILL,
            order,
            qty,
            price,
            next(venue.exec_ids),
            tid,
            _SYNTHETIC,
            order.cum_qty,
            order.leaves,
            order.cum_cost,
            contra,
        )
    )
    buy, sell = (order, contra) if order.side == BUY else (contra, order)
    out.append((TRADE, self.symbol, tid, price, qty, 0, buy, sell))
    self.last_price = price
    self.last_qty = qty
    self.volume += qty
    self.trades += 1
    if order.leaves:
        order.status = _PARTIAL
        if level is not None:
            old_shown = order.shown
            taken = qty if qty < old_shown else old_shown
            shown = old_shown - taken
            if not shown:
                d = order.display
                shown = d if d and d < order.leaves else order.leaves
            order.shown = shown
            level.qty += shown - old_shown
            out.append((BOOK, self.symbol, order.side, level.price, level.qty, level.count))
    else:
        order.status = _FILLED
        if level is not None:
            self._unrest(order, level)
        order.shown = 0
        self.orders.pop(order.order_id, None)
        self.pegs.pop(order.order_id, None)
