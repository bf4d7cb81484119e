"""Matching in price-time priority: an incoming order against the opposite side.

:func:`work` is what a limit-like order does on arrival (FOK and minimum-quantity
checks, matching, then rest or cancel); :func:`match` is the hot loop itself, with
self-trade prevention.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from exsim_core.enums import (
    CancelReason,
    STPMode,
)
from exsim_core.events import (
    ADDED,
    BOOK,
    CANCELED,
    FILL,
    TRADE,
)
from exsim_core.order import Order

from ._const import (
    _CANCELED,
    _FILLED,
    _FOK,
    _IOC,
    _MAKER,
    _PARTIAL,
    _STP_SELF,
    _TAKER,
    BUY,
    SELL,
)
from .level import Level

if TYPE_CHECKING:
    from .book import Book


def work(self: Book, order: Order, limit: int | None) -> None:
    """Let an accepted order trade against the book up to ``limit`` (None: any
    price), honouring FOK, minimum quantity and IOC, then rest what is left at
    ``limit`` or cancel it (always canceled when ``limit`` is None)."""
    tif = order.tif
    if order.side == BUY:
        keys = self.ask_keys
        crosses = bool(keys) and (limit is None or -keys[-1] <= limit)
    else:
        keys = self.bid_prices
        crosses = bool(keys) and (limit is None or keys[-1] >= limit)
    if crosses:
        if tif == _FOK or order.min_qty:
            need = order.leaves if tif == _FOK else order.min_qty
            if self.available(order, limit, need) < need:
                reason = CancelReason.FOK_UNFILLED if tif == _FOK else CancelReason.MIN_QTY_UNMET
                self.cancel_order(order, reason)
                return
        self.match(order, limit)
    if order.leaves:
        if tif == _FOK and not order.cum_qty:
            # nothing within its limit at all: as unfillable as too little
            self.cancel_order(order, CancelReason.FOK_UNFILLED)
        elif limit is None:
            self.cancel_order(
                order,
                CancelReason.NO_LIQUIDITY if not order.cum_qty else CancelReason.IOC_REMAINDER,
            )
        elif tif == _IOC or tif == _FOK:
            self.cancel_order(order, CancelReason.IOC_REMAINDER)
        else:
            self.rest(order)


def crosses(self: Book, side: int, limit: int | None) -> bool:
    """Would an order of ``side`` at ``limit`` trade with the opposite side now?"""
    if side == BUY:
        if not self.ask_keys:
            return False
        return limit is None or -self.ask_keys[-1] <= limit
    if not self.bid_prices:
        return False
    return limit is None or self.bid_prices[-1] >= limit


def available(self: Book, order: Order, limit: int | None, need: int) -> int:
    """How much ``order`` would fill on arrival, up to ``need``, walking the
    opposite side exactly as matching would (self-trade prevention included)."""
    stp, by_session = self.stp_key(order)
    mode = self.venue.stp_mode
    buy = order.side == BUY
    got = 0
    for level in self.levels(SELL if buy else BUY):
        if limit is not None and (level.price > limit if buy else level.price < limit):
            break
        for m in level.orders:
            if not m.leaves:
                continue
            if stp is not None and (m.session if by_session else m.account) == stp:
                if mode == STPMode.CANCEL_OLDEST:
                    continue
                return got
            got += m.leaves
            if got >= need:
                return got
    return got


def match(self: Book, order: Order, limit: int | None) -> None:
    """Match ``order`` against the opposite side, best price first, oldest first,
    while it has quantity left and the price is within ``limit``."""
    venue = self.venue
    out = self.out
    orders = self.orders
    exec_ids = venue.exec_ids
    trade_ids = venue.trade_ids
    symbol = self.symbol
    side = order.side
    buy = side == BUY
    if buy:
        levels = self.asks
        keys = self.ask_keys
        contra_side = SELL
    else:
        levels = self.bids
        keys = self.bid_prices
        contra_side = BUY
    stp, by_session = self.stp_key(order)
    leaves = order.leaves
    cum = order.cum_qty
    cost = order.cum_cost
    stop_taker = False
    last_px = 0
    traded = 0
    prints = 0
    while leaves and keys:
        px = -keys[-1] if buy else keys[-1]
        if limit is not None and (px > limit if buy else px < limit):
            break
        level = levels[px]
        q = level.orders
        while leaves and q:
            m = q[0]
            mleaves = m.leaves
            if not mleaves:
                q.popleft()
                level.dead -= 1
                continue
            if stp is not None and (m.session if by_session else m.account) == stp:
                mode = venue.stp_mode
                if mode == STPMode.CANCEL_NEWEST:
                    stop_taker = True
                    break
                if mode == STPMode.DECREMENT:
                    d = leaves if leaves < mleaves else mleaves
                    leaves -= d
                    # what is canceled leaves the order: OrderQty = CumQty + LeavesQty
                    order.qty -= d
                    out.append((CANCELED, order, _STP_SELF, d, leaves, 0))
                    self._cut_maker(m, level, d)
                    continue
                self._cut_maker(m, level, mleaves)
                if mode == STPMode.CANCEL_BOTH:
                    stop_taker = True
                    break
                continue
            shown = m.shown
            n = leaves if leaves < shown else shown
            leaves -= n
            cum += n
            cost += px * n
            mleaves -= n
            m.leaves = mleaves
            m.cum_qty += n
            m.cum_cost += px * n
            m.shown = shown - n
            level.qty -= n
            tid = next(trade_ids)
            out.append((FILL, order, n, px, next(exec_ids), tid, _TAKER, cum, leaves, cost, m))
            out.append(
                (
                    FILL,
                    m,
                    n,
                    px,
                    next(exec_ids),
                    tid,
                    _MAKER,
                    m.cum_qty,
                    mleaves,
                    m.cum_cost,
                    order,
                )
            )
            if buy:
                out.append((TRADE, symbol, tid, px, n, side, order, m))
            else:
                out.append((TRADE, symbol, tid, px, n, side, m, order))
            traded += n
            prints += 1
            last_px = px
            if n == shown:
                q.popleft()
                if mleaves:
                    # iceberg: the reserve refills the displayed part at the back
                    d = m.display
                    m.shown = shown = d if d and d < mleaves else mleaves
                    m.seq = next(venue.seqs)
                    m.status = _PARTIAL
                    q.append(m)
                    level.qty += shown
                    out.append((ADDED, m, px, shown))
                else:
                    m.status = _FILLED
                    m.level = None
                    del orders[m.order_id]
                    level.count -= 1
                    if m.peg:
                        del self.pegs[m.order_id]
            else:
                m.status = _PARTIAL
        if level.count:
            out.append((BOOK, symbol, contra_side, px, level.qty, level.count))
        else:
            del levels[px]
            keys.pop()
            out.append((BOOK, symbol, contra_side, px, 0, 0))
        if stop_taker:
            break
    order.leaves = leaves
    order.cum_qty = cum
    order.cum_cost = cost
    if traded:
        self.last_price = last_px
        self.last_qty = traded
        self.volume += traded
        self.trades += prints
    if leaves:
        if cum:
            order.status = _PARTIAL
        if stop_taker:
            self.cancel_order(order, _STP_SELF)
    else:
        # filled, or decremented to nothing by self-trade prevention
        order.status = _FILLED if cum == order.qty else _CANCELED
        order.shown = 0
        if order.order_id in orders:
            del orders[order.order_id]


def _cut_maker(self: Book, m: Order, level: Level, d: int) -> None:
    """Self-trade prevention on the resting order at the front of ``level``: take
    ``d`` off it, canceling it when nothing is left. The level itself stays (the
    matching loop removes it when it empties)."""
    shown = m.shown
    left = m.leaves - d
    m.leaves = left
    m.qty -= d
    if left:
        new_shown = shown if shown < left else left
        level.qty -= shown - new_shown
        m.shown = new_shown
        self.out.append((CANCELED, m, _STP_SELF, d, left, new_shown))
        return
    level.orders.popleft()
    level.qty -= shown
    level.count -= 1
    m.shown = 0
    m.level = None
    m.status = _CANCELED
    del self.orders[m.order_id]
    if m.peg:
        self.pegs.pop(m.order_id, None)
    self.out.append((CANCELED, m, _STP_SELF, d, 0, 0))
