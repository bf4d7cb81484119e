"""What the venue's and the instrument's rules accept: new orders, prices, replaces.

Each function returns 0 or a :class:`~exsim_core.RejectReason`; nothing here changes
the book.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from exsim_core.enums import (
    RejectReason,
)
from exsim_core.order import Order, Replace

from ._const import (
    _FOK,
    _IOC,
    _WAITING,
    BUY,
    SELL,
)

if TYPE_CHECKING:
    from exsim_core.ordertypes import OrderType

    from .book import Book


def validate(self: Book, order: Order, ot: OrderType | None) -> int:
    """0 if the venue and instrument rules accept ``order``, else a RejectReason."""
    status = self.status
    if status != "open":
        return RejectReason.HALTED if status == "halted" else RejectReason.CLOSED
    if ot is None:
        return RejectReason.ORDER_TYPE_NOT_ALLOWED
    side = order.side
    if side != BUY and side != SELL:
        return RejectReason.BAD_SIDE
    qty = order.qty
    if qty <= 0:
        return RejectReason.BAD_QTY
    if qty % self.lot:
        return RejectReason.BAD_LOT
    if qty < self.min_qty or (self.max_qty and qty > self.max_qty):
        return RejectReason.QTY_OUT_OF_RANGE
    tif = order.tif
    if tif not in self.tifs or tif == 2 or tif == 7:
        if tif == 2 or tif == 7:
            # listed or not, no auction will ever run for them
            return RejectReason.AUCTION_NOT_SUPPORTED
        return RejectReason.TIF_NOT_ALLOWED
    price = order.price
    if price is not None:
        if price <= 0:
            return RejectReason.BAD_PRICE
        if price % self.tick:
            return RejectReason.OFF_TICK
        if self.band_bp:
            reason = self.check_price(price)
            if reason:
                return reason
    if order.min_qty:
        mq = order.min_qty
        if mq < 0 or mq > qty or mq % self.lot:
            return RejectReason.BAD_MIN_QTY
    if order.display:
        d = order.display
        if d < 0 or d > qty or d % self.lot:
            return RejectReason.BAD_DISPLAY_QTY
    if tif == 6 and (order.expire_ns is None or order.expire_ns <= self.venue.now):
        return RejectReason.BAD_EXPIRE_TIME
    if ot.plain and order.stop_price is None and not order.post_only and not order.peg:
        # what the base class's validate would check, without the call
        if price is None:
            return RejectReason.MISSING_PRICE if ot.needs_price else 0
        return RejectReason.UNEXPECTED_PRICE if ot.needs_price is False else 0
    return ot.validate(order, self)


def check_price(self: Book, price: int) -> int:
    """0 if ``price`` is a valid limit price here, else a RejectReason."""
    if price <= 0:
        return RejectReason.BAD_PRICE
    if price % self.tick:
        return RejectReason.OFF_TICK
    band = self.band_bp
    if band:
        ref = self.last_price if self.last_price is not None else self.reference_price
        if ref is not None:
            width = ref * band // 10_000
            if price < ref - width or price > ref + width:
                return RejectReason.PRICE_OUT_OF_BAND
    return 0


def check_replace(self: Book, order: Order, req: Replace) -> int:
    """0 if ``req`` may change ``order`` now, else a RejectReason."""
    status = self.status
    if status != "open":
        return RejectReason.HALTED if status == "halted" else RejectReason.CLOSED
    ot = self.venue.order_types.get(order.ord_type)
    qty = order.qty if req.qty is None else req.qty
    if qty <= 0:
        return RejectReason.BAD_QTY
    if qty % self.lot:
        return RejectReason.BAD_LOT
    if qty < self.min_qty or (self.max_qty and qty > self.max_qty):
        return RejectReason.QTY_OUT_OF_RANGE
    if qty <= order.cum_qty:
        return RejectReason.QTY_NOT_ABOVE_FILLED
    if req.price is not None and req.price != order.price:
        if ot is not None and ot.needs_price is False and order.price is None:
            return RejectReason.UNEXPECTED_PRICE
        reason = self.check_price(req.price)
        if reason:
            return reason
    if req.stop_price is not None and req.stop_price != order.stop_price:
        if order.status != _WAITING:
            return RejectReason.CHANGE_NOT_ALLOWED
        reason = self.check_price(req.stop_price)
        if reason:
            return reason
    if req.display is not None and (req.display < 0 or req.display > qty or req.display % self.lot):
        return RejectReason.BAD_DISPLAY_QTY
    if (
        req.tif is not None
        and req.tif != order.tif
        and (req.tif not in self.tifs or req.tif in (_IOC, _FOK, 6))
    ):
        return RejectReason.TIF_NOT_ALLOWED
    if (
        order.post_only
        and req.price is not None
        and not order.peg
        and self.crosses(order.side, req.price)
        and (
            self.venue.post_only_mode == "reject"
            or (order.side == BUY and (self.best_ask or 0) - self.tick <= 0)
        )
    ):
        return RejectReason.POST_ONLY_WOULD_TAKE
    return 0
