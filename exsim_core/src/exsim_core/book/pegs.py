"""Pegged orders: their price follows the book, clamped so they never lock or cross it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from exsim_core.enums import (
    PegType,
)
from exsim_core.events import (
    RESTATED,
    RestateReason,
)
from exsim_core.order import Order

from ._const import (
    _REPLACED,
    BUY,
    SELL,
)

if TYPE_CHECKING:
    from .book import Book


def peg_price(self: Book, order: Order) -> int | None:
    """Where ``order`` should rest now given its peg, or None without a reference.

    The reference ignores pegged orders; the result is clamped so that the order
    never locks or crosses the opposite side (pegged orders included), and never
    goes through the order's own limit price.
    """
    side = order.side
    tick = self.tick
    peg = order.peg
    if peg == PegType.PRIMARY:
        ref = self._best_unpegged(side)
    elif peg == PegType.MARKET:
        ref = self._best_unpegged(SELL if side == BUY else BUY)
    else:
        bid = self._best_unpegged(BUY)
        ask = self._best_unpegged(SELL)
        if bid is None or ask is None:
            return None
        # the midpoint, rounded to the tick toward the passive side
        ref = (
            ((bid + ask) // 2) // tick * tick
            if side == BUY
            else -((-(bid + ask) // 2) // tick) * tick
        )
    if ref is None:
        return None
    price = ref + order.peg_offset * tick
    if side == BUY:
        contra = self.best_ask
        if contra is not None and price >= contra:
            price = contra - tick
        if order.price is not None and price > order.price:
            price = order.price
    else:
        contra = self.best_bid
        if contra is not None and price <= contra:
            price = contra + tick
        if order.price is not None and price < order.price:
            price = order.price
    return price if price > 0 else None


def _best_unpegged(self: Book, side: int) -> int | None:
    for level in self.levels(side):
        for o in level.orders:
            if o.leaves and not o.peg:
                return level.price
    return None


def _repeg(self: Book) -> None:
    # a move can change another peg's clamp; a few passes always settle it
    for _ in range(4):
        moved = False
        for order in list(self.pegs.values()):
            if order.level is None:
                continue
            price = self.peg_price(order)
            if price is None or price == order.level.price:
                continue
            self.move(order, price, RestateReason.REPEG)
            moved = True
        if not moved:
            return


def move(self: Book, order: Order, price: int, reason: int) -> Order:
    """Re-price a resting order: it loses priority and joins the back of the level
    at ``price``. Returns the order as it now is: a clone (see the module notes)."""
    new = order.clone()
    new.level = None
    level = order.level
    if level is not None:
        self._unrest(order, level)
    order.leaves = 0
    order.shown = 0
    order.status = _REPLACED
    if not new.peg:
        new.price = price
    new.seq = next(self.venue.seqs)
    self.orders[new.order_id] = new
    self.out.append((RESTATED, new, order, reason))
    self.rest(new, price)
    return new
