"""Orders in the book: acknowledging, rejecting, resting, canceling and reducing."""

from __future__ import annotations

from bisect import insort
from collections import deque
from typing import TYPE_CHECKING

from exsim_core.enums import (
    CancelReason,
    reject_text,
)
from exsim_core.events import (
    ACCEPTED,
    ADDED,
    BOOK,
    CANCELED,
    REJECTED,
)
from exsim_core.order import Cancel, Order

from ._const import (
    _CANCELED,
    _COMPACT_AT,
    _EXPIRED,
    _NEW,
    _REJECTED,
    _USER,
    BUY,
)
from .level import Level

if TYPE_CHECKING:
    from .book import Book


def accept(self: Book, order: Order) -> None:
    """Acknowledge ``order``: it is now live (status NEW)."""
    order.status = _NEW
    self.out.append((ACCEPTED, order, order.qty))


def reject(self: Book, order: Order, reason: int, text: str = "") -> None:
    """Refuse ``order``; ``text`` defaults to the reason's standard wording."""
    order.status = _REJECTED
    order.leaves = 0
    order.shown = 0
    self.out.append((REJECTED, order, reason, text or reject_text(reason)))


def rest(self: Book, order: Order, price: int | None = None) -> None:
    """Put an accepted order at the back of the level at ``price`` (default: its
    own price; a pegged order rests at its peg price, its own is a limit)."""
    px = order.price if price is None else price
    assert px is not None, "only priced orders can rest"
    side = order.side
    if side == BUY:
        level = self.bids.get(px)
        if level is None:
            level = self.bids[px] = Level(px)
            insort(self.bid_prices, px)
    else:
        level = self.asks.get(px)
        if level is None:
            level = self.asks[px] = Level(px)
            insort(self.ask_keys, -px)
    leaves = order.leaves
    d = order.display
    shown = d if d and d < leaves else leaves
    order.shown = shown
    order.level = level
    level.orders.append(order)
    level.qty += shown
    level.count += 1
    self.orders[order.order_id] = order
    if order.peg:
        self.pegs[order.order_id] = order
    out = self.out
    out.append((ADDED, order, px, shown))
    out.append((BOOK, self.symbol, side, px, level.qty, level.count))


def _unrest(self: Book, order: Order, level: Level) -> None:
    """Take a resting order out of its level (lazily) and publish the level."""
    order.level = None
    level.qty -= order.shown
    level.count -= 1
    side = order.side
    px = level.price
    if level.count:
        level.dead += 1
        if level.dead > _COMPACT_AT and level.dead > level.count:
            level.orders = deque(o for o in level.orders if o.leaves and o is not order)
            level.dead = 0
        self.out.append((BOOK, self.symbol, side, px, level.qty, level.count))
    else:
        if side == BUY:
            del self.bids[px]
            self.bid_prices.remove(px)
        else:
            del self.asks[px]
            self.ask_keys.remove(-px)
        self.out.append((BOOK, self.symbol, side, px, 0, 0))


def cancel_order(self: Book, order: Order, reason: int) -> None:
    """Cancel everything left of ``order``, wherever it is (resting, parked,
    arriving, held). ``reason`` EXPIRED makes the status EXPIRED."""
    leaves = order.leaves
    if not leaves:
        return
    level = order.level
    if level is not None:
        self._unrest(order, level)
    order.leaves = 0
    order.shown = 0
    order.status = _EXPIRED if reason == CancelReason.EXPIRED else _CANCELED
    self.orders.pop(order.order_id, None)
    if order.peg:
        self.pegs.pop(order.order_id, None)
    self.out.append((CANCELED, order, reason, leaves, 0, 0))


def cancel_request(self: Book, request: Cancel, order: Order) -> None:
    """A client's cancel as price-time answers it: cancel what is left, or, with
    ``request.leaves_to``, reduce the order to that (keeping its priority)."""
    if request.leaves_to:
        self.reduce(order, request.leaves_to, _USER)
    else:
        self.cancel_order(order, _USER)


def reduce(self: Book, order: Order, leaves_to: int, reason: int) -> None:
    """Reduce ``order`` so that ``leaves_to`` is left, keeping its priority;
    ``leaves_to`` of 0 cancels it."""
    if leaves_to <= 0:
        self.cancel_order(order, reason)
        return
    leaves = order.leaves
    if leaves_to >= leaves:
        return
    order.leaves = leaves_to
    # the order now asks for less: OrderQty = CumQty + LeavesQty holds
    order.qty -= leaves - leaves_to
    old_shown = order.shown
    if old_shown > leaves_to:
        order.shown = leaves_to
    level = order.level
    if level is not None and old_shown != order.shown:
        level.qty -= old_shown - order.shown
        self.out.append((BOOK, self.symbol, order.side, level.price, level.qty, level.count))
    self.out.append((CANCELED, order, reason, leaves - leaves_to, leaves_to, order.shown))
