"""Bots: internal sessions that trade on a book by themselves.

A bot sends the same commands as any client, through the venue's front door, so its
orders obey every venue rule, show in market data and trade with clients' orders. It
runs on the venue's clock (timers via :meth:`Bot.every` / :meth:`Bot.after`), draws
randomness only from its own seeded generator, and so produces the same order stream
for the same seed and the same clock.

Bot kinds are plugins: subclasses of :class:`Bot` registered by name through the
``exsim_register_bots`` hook.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict

from .enums import TimeInForce
from .events import CANCELED, FILL, REJECTED, REPLACED, RESTATED
from .order import Cancel, Order, Replace

if TYPE_CHECKING:
    from .book import Book
    from .clock import Timer
    from .venue import Venue

__all__ = ["Bot", "BotParams"]

NS = 1_000_000_000


class BotParams(BaseModel):
    """Base of a bot kind's parameters; unknown keys are an error."""

    # validated only when one is configured: deferring the schema keeps start-up free
    # of the cost of every installed kind's parameters
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Bot:
    """Base class of bots.

    :param venue: the venue it trades at.
    :param symbol: the instrument it trades.
    :param params: its parameters (validated by the class's ``Params``).
    :param seed: seed of its random generator.
    :param name: its session name (default ``bot:<kind>:<symbol>``).

    Subclasses implement :meth:`on_start` (schedule their activity) and may override
    :meth:`on_fill` and :meth:`on_order_event`.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    Params: ClassVar[type[BotParams]] = BotParams

    def __init__(
        self,
        venue: Venue,
        symbol: str,
        params: Mapping[str, Any] | None = None,
        *,
        seed: int = 0,
        name: str | None = None,
    ) -> None:
        self.venue = venue
        self.book: Book = venue.book(symbol)
        self.symbol = symbol
        self.params = self.Params.model_validate(dict(params or {}))
        self.seed = seed
        self.rng = random.Random(seed)
        self.session = name or f"bot:{self.name}:{symbol}"
        self.running = False
        #: live orders of this bot, by order id
        self.orders: dict[int, Order] = {}
        self.position = 0
        self.cash = 0
        self.sent = 0
        self.fills = 0
        self.rejects = 0
        self._timers: list[Timer] = []
        self._clids = 0

    # ------------------------------------------------------------------ life cycle
    def start(self) -> None:
        """Start trading. If :meth:`on_start` raises, the bot is stopped again (what it
        scheduled or sent is undone) and the error propagates."""
        if self.running:
            return
        self.running = True
        self.venue.attach_session(self.session, self._on_event)
        try:
            self.on_start()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop trading and cancel the bot's live orders."""
        if not self.running:
            return
        self.running = False
        self.cancel_timers()
        self.venue.cancel_session(self.session)
        self.venue.detach_session(self.session)
        self.on_stop()

    def on_start(self) -> None:
        """Schedule the bot's activity (called by :meth:`start`)."""

    def on_stop(self) -> None:
        """Called by :meth:`stop` after the bot's orders were canceled."""

    def reconfigure(self, params: Mapping[str, Any]) -> None:
        """Change parameters while running (validated; nothing changes on error). A
        running bot is then told through :meth:`on_reconfigure`."""
        merged = self.params.model_dump() | dict(params)
        new = self.Params.model_validate(merged)
        old, self.params = self.params, new
        if self.running:
            self.on_reconfigure(old)

    def on_reconfigure(self, old: BotParams) -> None:
        """Called by :meth:`reconfigure` on a running bot once the new parameters are in
        place; ``old`` are the ones they replaced. The default does nothing (the new
        parameters apply from the bot's next action); a bot whose schedule depends on
        its parameters can :meth:`cancel_timers` and schedule itself again here."""

    # ------------------------------------------------------------------ time
    @property
    def now_ns(self) -> int:
        return self.venue.clock.now_ns()

    def after(self, delay_ns: int, fn: Callable[[], Any]) -> None:
        """Run ``fn`` once, ``delay_ns`` from now on the venue clock, while running."""
        timers = self._timers

        def fire() -> None:
            if timer in timers:
                timers.remove(timer)
            if self.running:
                fn()

        timer = self.venue.clock.call_later(max(0, delay_ns), fire)
        timers.append(timer)

    def cancel_timers(self) -> None:
        """Cancel every pending timer of the bot; its orders stay."""
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()

    def every(self, interval_ns: Callable[[], int] | int, fn: Callable[[], Any]) -> None:
        """Run ``fn`` repeatedly; ``interval_ns`` is a number or a function drawing the
        next interval (e.g. exponential for Poisson arrivals)."""

        def tick() -> None:
            fn()
            self.after(interval_ns() if callable(interval_ns) else interval_ns, tick)

        self.after(interval_ns() if callable(interval_ns) else interval_ns, tick)

    # ------------------------------------------------------------------ trading
    def next_cl_ord_id(self) -> str:
        self._clids += 1
        return f"{self.session}:{self._clids}"

    def send(
        self,
        side: int,
        qty: int,
        price: int | None = None,
        ord_type: str = "limit",
        tif: int = TimeInForce.DAY,
        **fields: Any,
    ) -> Order:
        """Send an order (prices and quantities in units)."""
        order = Order(
            self.symbol,
            side,
            qty,
            price,
            ord_type,
            int(tif),
            cl_ord_id=self.next_cl_ord_id(),
            session=self.session,
            **fields,
        )
        self.sent += 1
        self.venue.submit(order)
        # an order sent while the venue delivers a batch (from an event handler) is
        # queued: it has no id yet, and its ACCEPTED event will record it
        if order.order_id and order.leaves and order.status != 8:
            self.orders[order.order_id] = order
        return order

    def cancel(self, order: Order | int) -> None:
        order_id = order if isinstance(order, int) else order.order_id
        self.venue.cancel(Cancel(order_id, self.session, self.next_cl_ord_id()))

    def replace(self, order: Order | int, **changes: Any) -> None:
        order_id = order if isinstance(order, int) else order.order_id
        self.venue.replace(Replace(order_id, self.session, self.next_cl_ord_id(), **changes))

    def cancel_all(self) -> None:
        for order_id in sorted(self.orders):
            self.cancel(order_id)

    # ------------------------------------------------------------------ events
    def _on_event(self, event: tuple[Any, ...], now: int) -> None:
        kind = event[0]
        order: Order = event[1]
        if kind == FILL:
            qty, px = event[2], event[3]
            if order.side == 1:
                self.position += qty
                self.cash -= qty * px
            else:
                self.position -= qty
                self.cash += qty * px
            self.fills += 1
            if not event[8]:
                self.orders.pop(order.order_id, None)
            self.on_fill(order, qty, px)
        elif kind == CANCELED:
            if not event[4]:
                self.orders.pop(order.order_id, None)
        elif kind == REJECTED:
            self.rejects += 1
            self.orders.pop(order.order_id, None)
        elif kind == REPLACED or kind == RESTATED:
            if order.leaves:
                self.orders[order.order_id] = order
            else:
                self.orders.pop(order.order_id, None)
        elif kind == 1 and order.leaves:  # ACCEPTED
            self.orders[order.order_id] = order
        self.on_order_event(event, now)

    def on_fill(self, order: Order, qty: int, price: int) -> None:
        """One of the bot's orders traded ``qty`` at ``price`` (units)."""

    def on_order_event(self, event: tuple[Any, ...], now: int) -> None:
        """Any event about one of the bot's orders."""

    # ------------------------------------------------------------------ report
    def pnl_units(self, mark: int | None = None) -> int:
        """Profit and loss in price units × quantity units, marked at ``mark``
        (default: the last trade price, or zero without one)."""
        if mark is None:
            mark = self.book.last_price or 0
        return self.cash + self.position * mark

    def report(self) -> dict[str, Any]:
        inst = self.book.instrument
        scale = inst.price_scale * inst.qty_scale
        return {
            "name": self.session,
            "kind": self.name,
            "symbol": self.symbol,
            "running": self.running,
            "seed": self.seed,
            "params": self.params.model_dump(mode="json"),
            "orders_sent": self.sent,
            "live_orders": len(self.orders),
            "fills": self.fills,
            "rejects": self.rejects,
            "position": str(inst.units_to_qty(self.position)),
            "pnl": str(inst.units_to_price(0) + type(inst.tick_size)(self.pnl_units()) / scale),
        }

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<Bot {self.session} {state} position={self.position} orders={len(self.orders)}>"
