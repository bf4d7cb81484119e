"""The :class:`Venue`: its instruments and their books, its rules, and its commands.

Commands enter through :meth:`Venue.submit`, :meth:`Venue.cancel`,
:meth:`Venue.replace` and :meth:`Venue.mass_cancel` (and timers, for expiry: see
:mod:`.calendar`). Each one is validated against the venue's and the instrument's
rules, handed to the book's engine, and the events it produced are delivered as one
batch (see :mod:`.delivery`).
"""

from __future__ import annotations

import itertools
import zoneinfo
from collections import deque
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from exsim_core.book import Book
from exsim_core.enums import CancelReason, RejectReason, TimeInForce, TradingStatus, reject_text
from exsim_core.errors import ConfigError, NotFound
from exsim_core.events import CANCEL_REJECTED, MASS_CANCELED, REJECTED
from exsim_core.order import Cancel, MassCancel, Order, Replace

from . import calendar, delivery
from .delivery import Batch, Listener, SessionHandler
from .settings import VenueSettings

if TYPE_CHECKING:
    from exsim_core.clock import Clock
    from exsim_core.engine import Engine
    from exsim_core.instrument import InstrumentBase
    from exsim_core.ordertypes import OrderType

__all__ = ["Venue"]

_OPEN = TradingStatus.OPEN
#: times in force the fast path of submit handles (GTD needs its expiry timer)
_SIMPLE_TIFS = frozenset(
    {int(TimeInForce.DAY), int(TimeInForce.GTC), int(TimeInForce.IOC), int(TimeInForce.FOK)}
)


class Venue:
    """An execution venue: instruments, one book each, and the rules they trade under.

    Build one with :meth:`exsim_core.Simulator.create_venue` (which supplies the
    registered engines and order types), or directly for embedding.
    """

    def __init__(
        self,
        name: str,
        clock: Clock,
        order_types: Mapping[str, OrderType],
        engines: Mapping[str, type[Engine]],
        settings: VenueSettings | None = None,
    ) -> None:
        self.name = name
        self.clock = clock
        self._now_ns = clock.reader()
        self.now = clock.now_ns()
        self.registered_order_types = dict(order_types)
        self.engines = dict(engines)
        self.instruments: dict[str, InstrumentBase] = {}
        self.books: dict[str, Book] = {}
        #: live orders (resting, parked, held) by order id
        self.orders: dict[int, Order] = {}
        self.out: Batch = []
        #: the highest order id issued so far
        self.last_order_id = 0
        self.exec_ids = itertools.count(1)
        self.trade_ids = itertools.count(1)
        #: one counter for order ids and for the priority of orders that move (re-pegged,
        #: replaced, refilled icebergs, re-parked stops): every priority is on one scale
        self.seqs = itertools.count(1)
        self.listeners: list[Listener] = []
        self.sessions: dict[str, SessionHandler] = {}
        self._busy = False
        self._deferred: deque[tuple[Callable[..., Any], tuple[Any, ...]]] = deque()
        self._eod_timer: Any = None
        #: pre-trade check run after the venue's rules: returns None/0 to pass, or a
        #: RejectReason or a text to reject (the simulator wires plugin hooks here)
        self.pretrade: Callable[[Venue, Order], int | str | None] | None = None
        #: called as ``recorder(kind, payload, now_ns)`` when a command enters the venue,
        #: before it runs (the journal): kinds "new" (the Order, id assigned), "cancel",
        #: "replace", "mass_cancel" (the request), "cancel_session" (session id),
        #: "status" ((symbol or None, status, text)), "expire" (order id),
        #: "end_of_day" (None)
        self.recorder: Callable[[str, Any, int], None] | None = None
        self.settings = VenueSettings()
        self.configure(settings or VenueSettings())

    # ------------------------------------------------------------------ rules
    def configure(self, settings: VenueSettings) -> None:
        """Apply a whole set of rules (validated first: nothing changes on error)."""
        if settings.engine not in self.engines:
            raise ConfigError(
                f"unknown engine {settings.engine!r} for venue {self.name}; "
                f"registered: {', '.join(sorted(self.engines))}"
            )
        if settings.order_types is not None:
            unknown = sorted(set(settings.order_types) - set(self.registered_order_types))
            if unknown:
                raise ConfigError(
                    f"unknown order type {', '.join(map(repr, unknown))} for venue "
                    f"{self.name}; registered: {', '.join(sorted(self.registered_order_types))}"
                )
        old_engine = (self.settings.engine, self.settings.engine_params)
        self.settings = settings
        allowed = settings.order_types
        self.order_types = {
            n: t for n, t in self.registered_order_types.items() if allowed is None or n in allowed
        }
        self.tifs = frozenset(int(TimeInForce[t]) for t in settings.tifs)
        self.stp_mode = settings.stp_mode
        self.stp_scope = settings.stp_scope
        self.post_only_mode = settings.post_only_mode
        pct = settings.price_band_pct
        self.band_bp = int(pct * 100) if pct is not None else 0
        self.zone = zoneinfo.ZoneInfo(settings.timezone)
        for book in self.books.values():
            self._copy_rules(book)
        if (settings.engine, settings.engine_params) != old_engine:
            for symbol, book in self.books.items():
                if self.instruments[symbol].engine is None:
                    self._set_engine(book, settings.engine, settings.engine_params)
        self._schedule_end_of_day()

    def _copy_rules(self, book: Book) -> None:
        book.tifs = self.tifs
        book.simple_tifs = self.tifs & _SIMPLE_TIFS
        book.band_bp = self.band_bp

    def set(self, **changes: Any) -> None:
        """Change some rules, e.g. ``venue.set(stp_mode="cancel_oldest")``."""
        merged = self.settings.model_dump() | changes
        self.configure(VenueSettings.model_validate(merged))

    # ------------------------------------------------------------------ instruments
    def add_instrument(self, instrument: InstrumentBase) -> Book:
        """Add an instrument and create its book (with its own engine if it names one)."""
        if instrument.symbol in self.instruments:
            raise ConfigError(f"venue {self.name} already trades {instrument.symbol}")
        engine = instrument.engine or self.settings.engine
        params = instrument.engine_params if instrument.engine else self.settings.engine_params
        if engine not in self.engines:
            raise ConfigError(
                f"unknown engine {engine!r} for instrument {instrument.symbol}; "
                f"registered: {', '.join(sorted(self.engines))}"
            )
        book = Book(self, instrument)
        self._copy_rules(book)
        self._set_engine(book, engine, params)
        self.instruments[instrument.symbol] = instrument
        self.books[instrument.symbol] = book
        return book

    def remove_instrument(self, symbol: str) -> None:
        """Cancel the instrument's live orders and drop its book."""
        book = self.book(symbol)
        self._command(self._remove_instrument, book)

    def _remove_instrument(self, book: Book) -> None:
        for order in book.live_orders():
            book.cancel_order(order, CancelReason.UNSOLICITED)
        book.engine.close()
        del self.books[book.symbol]
        del self.instruments[book.symbol]

    def book(self, symbol: str) -> Book:
        try:
            return self.books[symbol]
        except KeyError:
            raise NotFound(
                f"venue {self.name} has no instrument {symbol!r}; it trades: "
                f"{', '.join(sorted(self.books)) or 'nothing yet'}"
            ) from None

    def set_engine(self, symbol: str, engine: str, params: Mapping[str, Any] | None = None) -> None:
        """Serve one book with another engine from now on (its orders stay)."""
        if engine not in self.engines:
            raise ConfigError(
                f"unknown engine {engine!r}; registered: {', '.join(sorted(self.engines))}"
            )
        self._set_engine(self.book(symbol), engine, params or {})

    def _set_engine(self, book: Book, name: str, params: Mapping[str, Any]) -> None:
        engine = self.engines[name](book, params)
        old = getattr(book, "engine", None)
        if old is not None:
            old.close()
        book.engine = engine
        # bound once here so that a command costs one attribute load, not two
        book.on_new = engine.on_new
        book.on_cancel = engine.on_cancel
        book.on_replace = engine.on_replace

    def set_status(
        self, status: TradingStatus | str, symbol: str | None = None, text: str = ""
    ) -> None:
        """Open, halt or close one instrument, or all of them."""
        status = TradingStatus(status)
        books = [self.book(symbol)] if symbol is not None else list(self.books.values())
        self._command(
            self._set_status, books, status, text, record="status", payload=(symbol, status, text)
        )

    def _set_status(self, books: list[Book], status: TradingStatus, text: str) -> None:
        for book in books:
            book.set_status(status, text)

    # ------------------------------------------------------------------ commands
    def submit(self, order: Order) -> Order:
        """Send a new order. Returns it; its status says what became of it (a
        rejected order has status REJECTED and a REJECTED event says why)."""
        if self._busy:
            self._deferred.append((self.submit, (order,)))
            return order
        self._busy = True
        try:
            self.now = now = self._now_ns()
            self.last_order_id = oid = next(self.seqs)
            order.order_id = order.seq = oid
            order.entered_ns = now
            if self.recorder is not None:
                self.recorder("new", order, now)
            book = self.books.get(order.symbol)
            ot = self.order_types.get(order.ord_type)
            qty = order.qty
            price = order.price
            if (
                # the common case in one expression; anything unusual takes the
                # detailed path below, which finds the reason to reject
                book is not None
                and book.status is _OPEN
                and ot is not None
                and ot.plain
                and price is not None
                and price > 0
                and not price % book.tick
                and not book.band_bp
                and qty > 0
                and not qty % book.lot
                and book.min_qty <= qty <= book.qty_cap
                and order.tif in book.simple_tifs
                and (order.side == 1 or order.side == 2)
                and not (order.min_qty or order.display or order.post_only or order.peg)
                and order.stop_price is None
                and self.pretrade is None
            ):
                book.on_new(order, ot)
                if book.pegs or book.buy_stops or book.sell_stops:
                    book.settle()
            elif book is None:
                self._reject_unknown(order)
            else:
                self._submit_checked(book, order, ot)
            # the batch goes out here rather than in _flush(): this is the hottest path
            out = self.out
            if out:
                try:
                    if self.sessions:
                        self._route(out, now)
                    for listener in self.listeners:
                        listener(out, now)
                finally:
                    out.clear()
        finally:
            self._busy = False
        if self._deferred:
            self._drain()
        return order

    def _submit_checked(self, book: Book, order: Order, ot: OrderType | None) -> None:
        """The detailed path of :meth:`submit`: every rule, with its reject reason."""
        reason: int | str = book.validate(order, ot)
        if not reason and self.pretrade is not None:
            reason = self.pretrade(self, order) or 0
        if reason:
            if isinstance(reason, str):
                book.reject(order, RejectReason.VENUE_DECISION, reason)
            else:
                book.reject(order, reason)
            return
        assert ot is not None
        book.on_new(order, ot)
        if order.tif == 6 and order.leaves:
            self.clock.call_at(order.expire_ns or 0, self._expire, order.order_id)
        if book.pegs or book.buy_stops or book.sell_stops:
            book.settle()

    def _reject_unknown(self, order: Order) -> None:
        order.status = 8
        order.leaves = 0
        reason = RejectReason.UNKNOWN_INSTRUMENT
        self.out.append((REJECTED, order, reason, f"{reject_text(reason)} {order.symbol!r}"))

    def cancel(self, request: Cancel) -> None:
        """Cancel (or, with ``leaves_to``, reduce) a live order."""
        if self._busy:
            self._deferred.append((self.cancel, (request,)))
            return
        self._busy = True
        try:
            self.now = now = self._now_ns()
            if self.recorder is not None:
                self.recorder("cancel", request, now)
            order = self.orders.get(request.order_id)
            if (
                order is None
                or (request.session and order.session != request.session)
                or request.leaves_to < 0
                or (request.leaves_to and request.leaves_to >= order.leaves)
            ):
                self._refuse(request, order)
            else:
                book = self.books[order.symbol]
                book.on_cancel(request, order)
                if book.pegs or book.buy_stops or book.sell_stops:
                    book.settle()
            # inlined as in submit: a quarter of a typical order flow is cancels
            out = self.out
            if out:
                try:
                    if self.sessions:
                        self._route(out, now)
                    for listener in self.listeners:
                        listener(out, now)
                finally:
                    out.clear()
        finally:
            self._busy = False
        if self._deferred:
            self._drain()

    def _refuse(self, request: Cancel | Replace, order: Order | None) -> None:
        """Answer a cancel or replace that cannot be done with CANCEL_REJECTED."""
        if order is None:
            issued = 0 < request.order_id <= self.last_order_id
            reason = RejectReason.TOO_LATE if issued else RejectReason.UNKNOWN_ORDER
        elif request.session and order.session != request.session:
            reason = RejectReason.NOT_OWNER
        elif isinstance(request, Cancel) and request.leaves_to < 0:
            reason = RejectReason.BAD_QTY
        elif isinstance(request, Cancel):
            reason = RejectReason.NOTHING_TO_REDUCE
        else:
            reason = RejectReason.OTHER
        self.out.append((CANCEL_REJECTED, request, reason, order))

    def replace(self, request: Replace) -> None:
        """Replace a live order (see :class:`~exsim_core.Replace`)."""
        self._command(self._replace, request, record="replace")

    def _replace(self, request: Replace) -> None:
        order = self.orders.get(request.order_id)
        if order is None or (request.session and order.session != request.session):
            self._refuse(request, order)
            return
        book = self.books[order.symbol]
        reason = book.check_replace(order, request)
        if reason:
            self.out.append((CANCEL_REJECTED, request, reason, order))
            return
        book.on_replace(request, order)
        if book.pegs or book.buy_stops or book.sell_stops:
            book.settle()

    def mass_cancel(self, request: MassCancel) -> None:
        """Cancel every live order matching the request; a MASS_CANCELED event says how
        many."""
        self._command(self._mass_cancel, request, record="mass_cancel")

    def _mass_cancel(self, request: MassCancel) -> None:
        victims = [o for o in self.orders.values() if request.matches(o)]
        victims.sort(key=lambda o: o.order_id)
        touched: dict[str, Book] = {}
        for order in victims:
            book = self.books[order.symbol]
            book.cancel_order(order, CancelReason.MASS_CANCEL)
            touched[book.symbol] = book
        self.out.append((MASS_CANCELED, request, len(victims)))
        for book in touched.values():
            book.settle()

    def cancel_session(self, session: str, reason: int = CancelReason.DISCONNECT) -> int:
        """Cancel every live order of ``session`` (cancel on disconnect); returns how many."""
        count = 0

        def run() -> None:
            nonlocal count
            victims = sorted(
                (o for o in self.orders.values() if o.session == session), key=lambda o: o.order_id
            )
            for order in victims:
                self.books[order.symbol].cancel_order(order, reason)
            count = len(victims)

        self._command(run, record="cancel_session", payload=session)
        return count

    def order(self, order_id: int) -> Order | None:
        """A live order by id (None when it is done or unknown)."""
        return self.orders.get(order_id)

    # ------------------------------------------------------------------ delivery
    subscribe = delivery.subscribe
    attach_session = delivery.attach_session
    detach_session = delivery.detach_session
    run_in_batch = delivery.run_in_batch
    _command = delivery.command
    _deferred_command = delivery.deferred_command
    _drain = delivery.drain
    _flush = delivery.flush
    _route = delivery.route

    # ------------------------------------------------------------------ time
    next_end_of_day = calendar.next_end_of_day
    close = calendar.close
    _expire = calendar.expire
    _expire_order = calendar.expire_order
    _schedule_end_of_day = calendar.schedule_end_of_day
    _end_of_day = calendar.end_of_day
    _expire_day_orders = calendar.expire_day_orders

    def __repr__(self) -> str:
        return f"<Venue {self.name} instruments={len(self.books)} live_orders={len(self.orders)}>"
