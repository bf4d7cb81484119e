"""Stop and stop-limit orders: parked off the book until the last trade reaches their
stop price, then released as market or limit orders.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from exsim_core.events import (
    TRIGGERED,
)
from exsim_core.order import Order

from ._const import (
    _NEW,
    _PARTIAL,
    _WAITING,
    BUY,
)

if TYPE_CHECKING:
    from .book import Book


def park(self: Book, order: Order) -> None:
    """Keep a stop order until the last trade price reaches its stop price."""
    order.status = _WAITING
    sp = order.stop_price
    assert sp is not None
    self.orders[order.order_id] = order
    if order.side == BUY:
        heapq.heappush(self.buy_stops, (sp, order.seq, order))
    else:
        heapq.heappush(self.sell_stops, (-sp, order.seq, order))


def stop_triggered(self: Book, order: Order) -> bool:
    """Has the last trade price reached ``order``'s stop price?"""
    last = self.last_price
    sp = order.stop_price
    if last is None or sp is None:
        return False
    return last >= sp if order.side == BUY else last <= sp


def _next_triggered(self: Book) -> Order | None:
    last = self.last_price
    if last is None:
        return None
    heap = self.buy_stops
    while heap:
        key, seq, o = heap[0]
        if o.seq != seq or not o.leaves or o.status != _WAITING:
            heapq.heappop(heap)
        elif key <= last:
            heapq.heappop(heap)
            return o
        else:
            break
    heap = self.sell_stops
    while heap:
        key, seq, o = heap[0]
        if o.seq != seq or not o.leaves or o.status != _WAITING:
            heapq.heappop(heap)
        elif -key >= last:
            heapq.heappop(heap)
            return o
        else:
            break
    return None


def trigger(self: Book, order: Order) -> None:
    """Release a stop order into the book as a market or limit order."""
    order.status = _NEW if not order.cum_qty else _PARTIAL
    order.seq = next(self.venue.seqs)
    self.orders.pop(order.order_id, None)
    self.out.append((TRIGGERED, order))
    ot = self.venue.order_types.get(order.ord_type)
    limit = order.price if ot is not None and ot.triggers_as_limit else None
    self.work(order, limit)
