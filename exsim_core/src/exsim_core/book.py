"""One instrument's order book and the price-time primitives every engine builds on.

Layout, chosen for CPython speed:

* each side is a dict ``price -> Level`` plus a sorted list of its prices (bids ascending,
  asks as negated prices ascending), so the best price of either side is ``list[-1]``;
* a :class:`Level` is a FIFO of orders (a deque) with its displayed quantity and count;
* cancels are lazy: a canceled order stays in its level's deque with ``leaves == 0`` and
  is skipped when matching reaches it (a level is compacted when dead entries pile up);
* an order that *moves* (loses priority on a replace, re-pegs) is cloned: the old object
  is left dead in its old place and the clone joins the back of its new level, so an
  order object is never in two queue positions at once.

The book emits events (tuples, see :mod:`exsim_core.events`) into its venue's batch. Its
methods are the vocabulary of engines and order types: :meth:`Book.work` (match then rest
or cancel), :meth:`Book.match`, :meth:`Book.rest`, :meth:`Book.park`,
:meth:`Book.cancel_order`, :meth:`Book.fill` (a synthetic fill), and the queries.
"""

from __future__ import annotations

import heapq
from bisect import insort
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from .enums import (
    CancelReason,
    Liquidity,
    OrderStatus,
    PegType,
    RejectReason,
    STPMode,
    STPScope,
    TimeInForce,
    TradingStatus,
    reject_text,
)
from .events import (
    ACCEPTED,
    ADDED,
    BOOK,
    CANCELED,
    FILL,
    REJECTED,
    REPLACED,
    RESTATED,
    STATUS,
    TRADE,
    TRIGGERED,
    RestateReason,
)
from .order import Cancel, Order, Replace

if TYPE_CHECKING:
    from .engine import Engine
    from .instrument import InstrumentBase
    from .ordertypes import OrderType
    from .venue import Venue

__all__ = ["Book", "Level"]

BUY = 1
SELL = 2
_MAKER = int(Liquidity.MAKER)
_TAKER = int(Liquidity.TAKER)
_SYNTHETIC = int(Liquidity.SYNTHETIC)
_NEW = int(OrderStatus.NEW)
_PARTIAL = int(OrderStatus.PARTIALLY_FILLED)
_FILLED = int(OrderStatus.FILLED)
_CANCELED = int(OrderStatus.CANCELED)
_EXPIRED = int(OrderStatus.EXPIRED)
_REJECTED = int(OrderStatus.REJECTED)
_REPLACED = int(OrderStatus.REPLACED)
_WAITING = int(OrderStatus.WAITING_TRIGGER)
_IOC = int(TimeInForce.IOC)
_FOK = int(TimeInForce.FOK)
_STP_SELF = int(CancelReason.SELF_TRADE)
_USER = int(CancelReason.USER)
_COMPACT_AT = 64


class Level:
    """The orders resting at one price, oldest first, and their displayed total."""

    __slots__ = ("count", "dead", "orders", "price", "qty")

    def __init__(self, price: int) -> None:
        self.price = price
        self.orders: deque[Order] = deque()
        self.qty = 0
        self.count = 0
        self.dead = 0

    def live(self) -> Iterator[Order]:
        """The live orders, in time priority."""
        return (o for o in self.orders if o.leaves)

    def __repr__(self) -> str:
        return f"<Level {self.price} qty={self.qty} count={self.count}>"


class Book:
    """The book of one instrument at one venue."""

    engine: Engine
    #: the engine's bound methods (set with the engine; one attribute load per command)
    on_new: Callable[[Order, OrderType], None]
    on_cancel: Callable[[Any, Order], None]
    on_replace: Callable[[Any, Order], None]

    def __init__(self, venue: Venue, instrument: InstrumentBase) -> None:
        self.venue = venue
        self.instrument = instrument
        self.symbol = instrument.symbol
        self.status: TradingStatus = TradingStatus.OPEN
        self.status_text = ""
        self.tick = instrument.tick_units
        self.lot = instrument.lot_units
        qs = instrument.qty_scale
        self.min_qty = int(instrument.min_qty * qs) if instrument.min_qty is not None else 0
        self.max_qty = int(instrument.max_qty * qs) if instrument.max_qty is not None else 0
        ref = instrument.reference_price
        self.reference_price: int | None = (
            instrument.price_to_units(ref) if ref is not None else None
        )
        self.bids: dict[int, Level] = {}
        self.asks: dict[int, Level] = {}
        self.bid_prices: list[int] = []
        self.ask_keys: list[int] = []
        self.last_price: int | None = None
        self.last_qty = 0
        self.volume = 0
        self.trades = 0
        self.pegs: dict[int, Order] = {}
        self.buy_stops: list[tuple[int, int, Order]] = []
        self.sell_stops: list[tuple[int, int, Order]] = []
        self._triggered: deque[Order] = deque()
        self._working = False
        # shared with the venue
        self.out: list[tuple[Any, ...]] = venue.out
        self.orders: dict[int, Order] = venue.orders
        # the venue's rules, copied here by the venue whenever they change
        self.tifs: frozenset[int] = venue.tifs
        self.simple_tifs: frozenset[int] = venue.tifs
        self.band_bp: int = venue.band_bp
        #: max_qty, or a bound no quantity reaches (one comparison on the hot path)
        self.qty_cap = self.max_qty or 1 << 62

    # ------------------------------------------------------------------ queries
    @property
    def best_bid(self) -> int | None:
        return self.bid_prices[-1] if self.bid_prices else None

    @property
    def best_ask(self) -> int | None:
        return -self.ask_keys[-1] if self.ask_keys else None

    def best(self, side: int) -> int | None:
        """Best price of ``side`` (BUY: highest bid, SELL: lowest offer)."""
        return self.best_bid if side == BUY else self.best_ask

    def levels(self, side: int) -> list[Level]:
        """Price levels of ``side``, best first."""
        if side == BUY:
            return [self.bids[p] for p in reversed(self.bid_prices)]
        return [self.asks[-k] for k in reversed(self.ask_keys)]

    def depth(self, side: int, n: int | None = None) -> list[tuple[int, int, int]]:
        """L2: ``(price, displayed qty, order count)`` for the best ``n`` levels."""
        levels = self.levels(side)
        if n is not None:
            levels = levels[:n]
        return [(lv.price, lv.qty, lv.count) for lv in levels]

    def resting(self, side: int) -> list[Order]:
        """L3: resting orders of ``side`` in priority order (best price, then oldest)."""
        return [o for lv in self.levels(side) for o in lv.live()]

    def stops(self) -> list[Order]:
        """Stop orders waiting for their trigger, in trigger order per side."""
        buys = [o for _, s, o in sorted(self.buy_stops) if o.seq == s and o.leaves]
        sells = [o for _, s, o in sorted(self.sell_stops) if o.seq == s and o.leaves]
        return buys + sells

    @property
    def is_crossed(self) -> bool:
        return bool(self.bid_prices and self.ask_keys) and self.bid_prices[-1] >= -self.ask_keys[-1]

    # ------------------------------------------------------------------ validation
    def validate(self, order: Order, ot: OrderType | None) -> int:
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

    def check_price(self, price: int) -> int:
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

    # ------------------------------------------------------------------ life cycle
    def accept(self, order: Order) -> None:
        """Acknowledge ``order``: it is now live (status NEW)."""
        order.status = _NEW
        self.out.append((ACCEPTED, order, order.qty))

    def reject(self, order: Order, reason: int, text: str = "") -> None:
        """Refuse ``order``; ``text`` defaults to the reason's standard wording."""
        order.status = _REJECTED
        order.leaves = 0
        order.shown = 0
        self.out.append((REJECTED, order, reason, text or reject_text(reason)))

    def work(self, order: Order, limit: int | None) -> None:
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
                    reason = (
                        CancelReason.FOK_UNFILLED if tif == _FOK else CancelReason.MIN_QTY_UNMET
                    )
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

    def settle(self) -> None:
        """After a command: release triggered stops, then re-peg pegged orders."""
        if self._working:
            return
        self._working = True
        try:
            if self.buy_stops or self.sell_stops:
                while (o := self._next_triggered()) is not None:
                    self.trigger(o)
            if self.pegs:
                self._repeg()
        finally:
            self._working = False

    def crosses(self, side: int, limit: int | None) -> bool:
        """Would an order of ``side`` at ``limit`` trade with the opposite side now?"""
        if side == BUY:
            if not self.ask_keys:
                return False
            return limit is None or -self.ask_keys[-1] <= limit
        if not self.bid_prices:
            return False
        return limit is None or self.bid_prices[-1] >= limit

    def available(self, order: Order, limit: int | None, need: int) -> int:
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

    def stp_key(self, order: Order) -> tuple[str | None, bool]:
        """Self-trade prevention: what identifies ``order``'s owner (None when STP is off,
        or the scope is the account and the order has none), and whether that is the
        session (else the account). Derived, not stored: it costs nothing per order."""
        venue = self.venue
        if venue.stp_mode is STPMode.OFF:
            return None, True
        if venue.stp_scope is STPScope.SESSION:
            return order.session, True
        return order.account, False

    # ------------------------------------------------------------------ matching
    def match(self, order: Order, limit: int | None) -> None:
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

    def _cut_maker(self, m: Order, level: Level, d: int) -> None:
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

    # ------------------------------------------------------------------ resting
    def rest(self, order: Order, price: int | None = None) -> None:
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

    def _unrest(self, order: Order, level: Level) -> None:
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

    # ------------------------------------------------------------------ cancel, reduce
    def cancel_order(self, order: Order, reason: int) -> None:
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

    def cancel_request(self, request: Cancel, order: Order) -> None:
        """A client's cancel as price-time answers it: cancel what is left, or, with
        ``request.leaves_to``, reduce the order to that (keeping its priority)."""
        if request.leaves_to:
            self.reduce(order, request.leaves_to, _USER)
        else:
            self.cancel_order(order, _USER)

    def reduce(self, order: Order, leaves_to: int, reason: int) -> None:
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

    # ------------------------------------------------------------------ replace
    def check_replace(self, order: Order, req: Replace) -> int:
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
        if req.display is not None and (
            req.display < 0 or req.display > qty or req.display % self.lot
        ):
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

    def replace(self, order: Order, req: Replace) -> Order:
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

    # ------------------------------------------------------------------ stops
    def park(self, order: Order) -> None:
        """Keep a stop order until the last trade price reaches its stop price."""
        order.status = _WAITING
        sp = order.stop_price
        assert sp is not None
        self.orders[order.order_id] = order
        if order.side == BUY:
            heapq.heappush(self.buy_stops, (sp, order.seq, order))
        else:
            heapq.heappush(self.sell_stops, (-sp, order.seq, order))

    def stop_triggered(self, order: Order) -> bool:
        """Has the last trade price reached ``order``'s stop price?"""
        last = self.last_price
        sp = order.stop_price
        if last is None or sp is None:
            return False
        return last >= sp if order.side == BUY else last <= sp

    def _next_triggered(self) -> Order | None:
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

    def trigger(self, order: Order) -> None:
        """Release a stop order into the book as a market or limit order."""
        order.status = _NEW if not order.cum_qty else _PARTIAL
        order.seq = next(self.venue.seqs)
        self.orders.pop(order.order_id, None)
        self.out.append((TRIGGERED, order))
        ot = self.venue.order_types.get(order.ord_type)
        limit = order.price if ot is not None and ot.triggers_as_limit else None
        self.work(order, limit)

    # ------------------------------------------------------------------ pegs
    def peg_price(self, order: Order) -> int | None:
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

    def _best_unpegged(self, side: int) -> int | None:
        for level in self.levels(side):
            for o in level.orders:
                if o.leaves and not o.peg:
                    return level.price
        return None

    def _repeg(self) -> None:
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

    def move(self, order: Order, price: int, reason: int) -> Order:
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

    # ------------------------------------------------------------------ synthetic fills
    def fill(self, order: Order, qty: int, price: int, contra: Order | None = None) -> None:
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

    # ------------------------------------------------------------------ status
    def set_status(self, status: TradingStatus, text: str = "") -> None:
        if status == self.status:
            return
        self.status = status
        self.status_text = text
        self.out.append((STATUS, self.symbol, status, text))

    def live_orders(self) -> list[Order]:
        """Every live order of this book (resting, parked, held), oldest first."""
        return sorted(
            (o for o in self.orders.values() if o.symbol == self.symbol), key=lambda o: o.seq
        )

    def __repr__(self) -> str:
        return (
            f"<Book {self.symbol} bid={self.best_bid} ask={self.best_ask}"
            f" levels={len(self.bid_prices)}/{len(self.ask_keys)} status={self.status}>"
        )
