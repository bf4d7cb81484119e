"""What every behaviour shares: the order life cycle, timers on the venue clock, prices.

A behaviour answers each order on its own, without a counterparty:

* an order the behaviour is still answering is *held*: live in the venue's table of
  orders (so it can be canceled, replaced, expired) but not displayed in the book, so
  orders of a behaviour book never meet each other;
* an order the behaviour has finished with while quantity is left (``auto_partial``
  with ``remainder = "rest"``) enters the book under its order type's price-time rules,
  exactly as a new order would: it may trade with a crossing resting order, then rests,
  displayed, or is canceled per its time in force;
* cancel and replace requests are answered as a venue would: a cancel (or a reduction)
  is accepted for any live order; the venue itself refuses one for an order that is
  done (CANCEL_REJECTED, ``too_late``) before a behaviour sees it; a replace of a held
  order changes it in place (REPLACED, priority kept) and the behaviour carries on with
  the order as replaced.

Each delayed step runs ``delay`` after the previous one on the venue's clock, as a batch
of events of its own; with a delay of 0 it joins the current batch.

A delayed step is work the behaviour does from its own timer, not a venue command, so
it is recorded in the venue's journal when it runs (kind ``engine``, payload
``[symbol, order_id]``; each held order has at most one step pending) and
:meth:`Behaviour.replay` repeats it when a daemon rebuilds its state: the step pending
for that order runs in place of its timer, exactly as it first ran.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import Field

from exsim_core import CancelReason, ConfigError, Engine, EngineParams

if TYPE_CHECKING:
    from exsim_core import Book, Cancel, Order, Replace, Timer

__all__ = ["Behaviour", "BehaviourParams", "ms_to_ns"]

NS_PER_MS = 1_000_000


def ms_to_ns(ms: float) -> int:
    """Milliseconds (fractions allowed) as whole nanoseconds."""
    return round(ms * NS_PER_MS)


class BehaviourParams(EngineParams):
    """Parameters every behaviour that fills has."""

    price: Decimal | None = Field(
        None,
        gt=0,
        description="Price (instrument price, on tick) at which orders without a limit "
        "price (market, stop) are filled. Default: the last trade price, else the "
        "instrument's reference_price.",
    )


class Behaviour(Engine):
    """Base of the behaviour engines: holds orders and runs delayed steps on them."""

    def __init__(self, book: Book, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(book, params)
        self.venue = book.venue
        #: the pending delayed step of each held order, with its timer
        self._timers: dict[int, tuple[Timer, Callable[[Order], None]]] = {}
        price = getattr(self.params, "price", None)
        self.price: int | None = None if price is None else self._price_units(price, "price")

    # ------------------------------------------------------------------ configuration
    def _price_units(self, value: Decimal, field: str) -> int:
        inst = self.book.instrument
        units = inst.price_to_units(value)
        if units is None or units <= 0 or units % self.book.tick:
            raise ConfigError(
                f"{self.name}: {field} {value} is not a price of {inst.symbol} "
                f"(tick size {inst.tick_size}); give a positive multiple of the tick"
            )
        return units

    def _qty_units(self, value: Decimal, field: str) -> int:
        inst = self.book.instrument
        units = inst.qty_to_units(value)
        if units is None or units <= 0 or units % self.book.lot:
            raise ConfigError(
                f"{self.name}: {field} {value} is not a quantity of {inst.symbol} "
                f"(lot size {inst.lot_size}); give a positive multiple of the lot"
            )
        return units

    # ------------------------------------------------------------------ helpers
    def fill_price(self, order: Order) -> int | None:
        """The price ``order`` fills at: its limit, else the configured ``price``, else
        the last trade, else the instrument's reference price (None: no price known)."""
        if order.price is not None:
            return order.price
        if self.price is not None:
            return self.price
        book = self.book
        return book.last_price if book.last_price is not None else book.reference_price

    def lots(self, qty: int, ratio: float) -> int:
        """``ratio`` of ``qty``, rounded down to the lot, but at least one lot."""
        lot = self.book.lot
        return max(lot, int(qty * ratio) // lot * lot)

    def hold(self, order: Order) -> None:
        """Keep an accepted order live, undisplayed, while the behaviour answers it."""
        order.shown = 0
        # the venue's live-order table: what cancels, replaces and expiry look up
        self.book.orders[order.order_id] = order

    def enter_book(self, order: Order) -> None:
        """Hand what is left of ``order`` to price-time rules, per its order type."""
        order_type = self.venue.order_types.get(order.ord_type)
        if order_type is None:  # the venue stopped allowing the type meanwhile
            self.book.cancel_order(order, CancelReason.UNSOLICITED)
            return
        order_type.enter(order, self.book)

    def after(self, delay_ns: int, order: Order, step: Callable[[Order], None]) -> None:
        """Run ``step(order)`` ``delay_ns`` from now, as a batch of its own (at once, in
        the current batch, when ``delay_ns`` is 0). The step is skipped when the order
        is no longer live by then (canceled, expired, filled); it receives the order as
        it is then (a replace may have changed it)."""
        if delay_ns <= 0:
            step(order)
            return
        order_id = order.order_id
        venue = self.venue
        # from the command's own reading, so that a replay (clock pinned at that
        # reading) schedules the step at the very same time
        timer = venue.clock.call_at(venue.now + delay_ns, venue.run_in_batch, self._due, order_id)
        self._timers[order_id] = (timer, step)

    def _due(self, order_id: int) -> None:
        pending = self._timers.pop(order_id, None)
        order = self.book.orders.get(order_id)
        if pending is None or order is None or not order.leaves:
            return
        venue = self.venue
        if venue.recorder is not None:
            venue.recorder("engine", [self.book.symbol, order_id], venue.now)
        pending[1](order)
        self.book.settle()

    def replay(self, payload: list[Any]) -> None:
        """Repeat a delayed step recorded in a journal (``[symbol, order_id]``): the
        step pending for the order runs now, and its timer is dropped.

        :raises ValueError: no step is pending for that order, or the order is no
            longer live: the journal does not match the state being rebuilt.
        """
        order_id = payload[1]
        pending = self._timers.pop(order_id, None)
        order = self.book.orders.get(order_id)
        if pending is None or order is None or not order.leaves:
            raise ValueError(
                f"{self.name} of {self.book.symbol} has no delayed step pending for order "
                f"{order_id}; the journal was written with other engine settings"
            )
        pending[0].cancel()
        pending[1](order)
        self.book.settle()

    # ------------------------------------------------------------------ engine
    def on_cancel(self, request: Cancel, order: Order) -> None:
        self.book.reduce(order, request.leaves_to, CancelReason.USER)
        if not order.leaves:
            self._forget(order.order_id)

    def on_replace(self, request: Replace, order: Order) -> None:
        self.book.replace(order, request)

    def _forget(self, order_id: int) -> None:
        pending = self._timers.pop(order_id, None)
        if pending is not None:
            pending[0].cancel()

    def close(self) -> None:
        for timer, _ in self._timers.values():
            timer.cancel()
        self._timers.clear()
