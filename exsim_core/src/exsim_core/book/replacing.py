"""Cancel/replace: what keeps time priority and what loses it.

A price change, a working-quantity increase or a display change loses priority: the order
is cloned and re-enters (it may trade); a decrease keeps it in place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from exsim_core.enums import (
    CancelReason,
)
from exsim_core.events import (
    BOOK,
    REPLACED,
    RESTATED,
    RestateReason,
)
from exsim_core.order import Order, Replace

from ._const import (
    _REPLACED,
    _WAITING,
    BUY,
)

if TYPE_CHECKING:
    from .book import Book


def replace(self: Book, order: Order, req: Replace) -> Order:
    """Apply a checked replace (see :meth:`check_replace`). A price change, a
    quantity increase or a display change loses time priority (the order is cloned
    and re-enters, and may trade); a quantity decrease keeps it. Returns the order as
    it now is."""
    old_clid = order.cl_ord_id
    qty = order.qty if req.qty is None else req.qty
    leaves = qty - order.cum_qty
    price = order.price if req.price is None else req.price
    display = order.display if req.display is None else req.display
    moves = price != order.price or leaves > order.leaves or display != order.display
    level = order.level
    if level is None or not moves:
        # not resting (parked stop, held order), or keeping priority
        order.cl_ord_id = req.cl_ord_id or old_clid
        order.qty = qty
        order.leaves = leaves
        order.price = price
        order.display = display
        if req.tif is not None:
            order.tif = req.tif
        if req.tag is not None:
            order.tag = req.tag
        shown = 0
        if level is not None:
            old_shown = order.shown
            shown = order.shown = old_shown if old_shown < leaves else leaves
            if shown != old_shown:
                level.qty += shown - old_shown
                self.out.append(
                    (BOOK, self.symbol, order.side, level.price, level.qty, level.count)
                )
        if order.status == _WAITING:
            if req.stop_price is not None:
                order.stop_price = req.stop_price
            order.seq = next(self.venue.seqs)
            self.park(order)
            self.out.append((REPLACED, order, order, old_clid, False, 0, qty))
            if self.stop_triggered(order):
                del self.orders[order.order_id]
                self.trigger(order)
            return order
        self.out.append((REPLACED, order, order, old_clid, True, shown, qty))
        return order
    new = order.clone()
    new.level = None
    self._unrest(order, level)
    order.leaves = 0
    order.shown = 0
    order.status = _REPLACED
    new.cl_ord_id = req.cl_ord_id or old_clid
    new.qty = qty
    new.leaves = leaves
    new.price = price
    new.display = display
    if req.tif is not None:
        new.tif = req.tif
    if req.tag is not None:
        new.tag = req.tag
    new.seq = next(self.venue.seqs)
    del self.orders[order.order_id]
    self.pegs.pop(order.order_id, None)
    self.out.append((REPLACED, new, order, old_clid, False, 0, qty))
    if new.peg:
        peg_price = self.peg_price(new)
        if peg_price is None:
            self.cancel_order(new, CancelReason.NO_LIQUIDITY)
        else:
            self.rest(new, peg_price)
    elif new.post_only and self.crosses(new.side, price):
        contra = self.best_ask if new.side == BUY else self.best_bid
        assert contra is not None
        new.price = contra - self.tick if new.side == BUY else contra + self.tick
        self.out.append((RESTATED, new, new, RestateReason.REPRICED))
        self.rest(new)
    else:
        self.work(new, price)
    return new
