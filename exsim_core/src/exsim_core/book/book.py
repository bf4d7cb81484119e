"""The :class:`Book`: one instrument's price levels, its queries, and its primitives."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from exsim_core.enums import STPMode, STPScope, TradingStatus
from exsim_core.events import STATUS
from exsim_core.order import Order

from . import fills, matching, orders, pegs, replacing, triggers, validation
from ._const import BUY
from .level import Level

if TYPE_CHECKING:
    from exsim_core.engine import Engine
    from exsim_core.instrument import InstrumentBase
    from exsim_core.ordertypes import OrderType
    from exsim_core.venue import Venue

__all__ = ["Book"]


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

    # ---------------------------------------------------------------- the primitives
    # (one module per concern; ordinary methods once bound here)
    validate = validation.validate
    check_price = validation.check_price
    check_replace = validation.check_replace
    work = matching.work
    crosses = matching.crosses
    available = matching.available
    match = matching.match
    _cut_maker = matching._cut_maker
    accept = orders.accept
    reject = orders.reject
    rest = orders.rest
    _unrest = orders._unrest
    cancel_order = orders.cancel_order
    cancel_request = orders.cancel_request
    reduce = orders.reduce
    replace = replacing.replace
    park = triggers.park
    stop_triggered = triggers.stop_triggered
    _next_triggered = triggers._next_triggered
    trigger = triggers.trigger
    peg_price = pegs.peg_price
    _best_unpegged = pegs._best_unpegged
    _repeg = pegs._repeg
    move = pegs.move
    fill = fills.fill
