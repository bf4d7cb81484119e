"""The managed engine: every order, cancel and replace waits for a decision.

A book served by ``managed`` holds each new order (status PENDING_NEW, no ack yet), each
cancel and each replace, and says so with a HELD event. A test then decides, through
the management API or a scripted expectation (:mod:`exsim_core.managed.script`):

==================  ===============================================================
``ack``             accept the order; a priced order then rests, visible, in the book
``reject``          refuse it (the ``text`` is the reason the client reads)
``fill``            fill ``qty`` at ``price`` (accepting it first if it is still held);
                    repeat for partial fills
``cancel``          cancel it, unsolicited; its pending requests are refused as too late
``accept_cancel``   apply the order's oldest pending cancel
``reject_cancel``   refuse it
``accept_replace``  apply the oldest pending replace (the venue's replace rules apply)
``reject_replace``  refuse it
``pass_through``    accept a held order and let price-time matching handle it, and apply
                    the order's pending requests
==================  ===============================================================

Acknowledged orders rest but never match by themselves (only ``pass_through``, an
accepted replace that re-enters the book, and :func:`match_orders` trade). Every
decision runs as one venue command, so its events form one batch; it is recorded in the
venue's journal (kind ``managed``) and replayed from it on restart.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from exsim_core.engine import Engine
from exsim_core.enums import CancelReason, RejectReason
from exsim_core.events import CANCEL_REJECTED, FILL, HELD, TRADE
from exsim_core.order import Cancel, Order, Replace

from .script import Step, script_of
from .trades import bust, correct, trade_log

if TYPE_CHECKING:
    from exsim_core.book import Book
    from exsim_core.ordertypes import OrderType
    from exsim_core.venue import Venue

__all__ = ["ManagedEngine", "match_orders", "perform", "problem", "schedule"]

_TAKER = 2
_MAKER = 1


class ManagedEngine(Engine):
    """Holds everything for a test to decide (see the module documentation)."""

    name = "managed"
    description = "holds every order, cancel and replace for a test to decide"

    def __init__(self, book: Book, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(book, params)
        #: orders held new (not acknowledged yet), with their order type
        self.held: dict[int, OrderType] = {}
        #: pending cancels and replaces, oldest first, by order id
        self.pending: dict[int, deque[Cancel | Replace]] = {}

    # ------------------------------------------------------------------ commands
    def on_new(self, order: Order, order_type: OrderType) -> None:
        book = self.book
        book.orders[order.order_id] = order
        self.held[order.order_id] = order_type
        book.out.append((HELD, order, "new"))
        venue = book.venue
        expectation = script_of(venue).take(order)
        if expectation is not None:
            schedule(venue, order.symbol, order.order_id, expectation.steps)

    def on_cancel(self, request: Cancel, order: Order) -> None:
        self.pending.setdefault(order.order_id, deque()).append(request)
        self.book.out.append((HELD, request, "cancel"))

    def on_replace(self, request: Replace, order: Order) -> None:
        self.pending.setdefault(order.order_id, deque()).append(request)
        self.book.out.append((HELD, request, "replace"))

    # ------------------------------------------------------------------ decisions
    def problem(self, order_id: int, action: str, qty: int | None, price: int | None) -> str | None:
        """Why ``action`` cannot apply to ``order_id`` now, or None when it can."""
        order = self.book.orders.get(order_id)
        if order is None or order.symbol != self.book.symbol:
            return f"order {order_id} is not live in {self.book.symbol}"
        held = order_id in self.held
        if action in ("ack", "reject") and not held:
            return f"order {order_id} is not held (already acknowledged)"
        if action == "fill":
            if qty is None or price is None:
                return "a fill needs qty and price"
            if qty > order.leaves:
                return f"fill of {qty} units exceeds the order's leaves ({order.leaves} units)"
            reason = self.book.check_price(price)
            if reason and reason != RejectReason.PRICE_OUT_OF_BAND:
                return f"fill price is invalid ({RejectReason(reason).name.lower()})"
        wanted = {"accept_cancel": Cancel, "reject_cancel": Cancel}.get(action) or (
            Replace if action in ("accept_replace", "reject_replace") else None
        )
        if wanted is not None and self._pending(order_id, wanted) is None:
            kind = "cancel" if wanted is Cancel else "replace"
            return f"order {order_id} has no pending {kind}"
        return None

    def _pending(
        self, order_id: int, kind: type[Cancel] | type[Replace]
    ) -> Cancel | Replace | None:
        for req in self.pending.get(order_id, ()):
            if isinstance(req, kind):
                return req
        return None

    def _take(self, order_id: int, kind: type[Cancel] | type[Replace]) -> Cancel | Replace:
        req = self._pending(order_id, kind)
        assert req is not None
        queue = self.pending[order_id]
        queue.remove(req)
        if not queue:
            del self.pending[order_id]
        return req

    def _ack(self, order: Order) -> None:
        self.held.pop(order.order_id, None)
        book = self.book
        book.accept(order)
        if order.price is not None and order.stop_price is None and order.leaves:
            book.rest(order)

    def decide(
        self, order_id: int, action: str, qty: int | None, price: int | None, text: str
    ) -> None:
        """Apply a decision that :meth:`problem` accepted (inside a venue command)."""
        book = self.book
        order = book.orders[order_id]
        if action == "ack":
            self._ack(order)
        elif action == "reject":
            del self.held[order_id]
            book.orders.pop(order_id, None)
            book.reject(order, RejectReason.VENUE_DECISION, text)
        elif action == "fill":
            if order_id in self.held:
                self._ack(order)
            assert qty is not None
            assert price is not None
            book.fill(order, qty, price)
        elif action == "cancel":
            self.held.pop(order_id, None)
            book.cancel_order(order, CancelReason.UNSOLICITED)
        elif action == "accept_cancel":
            req = self._take(order_id, Cancel)
            assert isinstance(req, Cancel)
            if not req.leaves_to:
                self.held.pop(order_id, None)
            book.reduce(order, req.leaves_to, CancelReason.USER)
        elif action == "accept_replace":
            req = self._take(order_id, Replace)
            assert isinstance(req, Replace)
            reason = book.check_replace(order, req)
            if reason:
                book.out.append((CANCEL_REJECTED, req, reason, order))
            else:
                book.replace(order, req)
        elif action in ("reject_cancel", "reject_replace"):
            req = self._take(order_id, Cancel if action == "reject_cancel" else Replace)
            book.out.append((CANCEL_REJECTED, req, RejectReason.VENUE_DECISION, order))
        elif action == "pass_through":
            order_type = self.held.pop(order_id, None)
            if order_type is not None:
                book.accept(order)
                order_type.enter(order, book)
            for req in list(self.pending.get(order_id, ())):
                live = book.orders.get(order_id)
                if live is None:
                    break
                self.decide(
                    order_id,
                    "accept_cancel" if isinstance(req, Cancel) else "accept_replace",
                    None,
                    None,
                    "",
                )
        if order_id not in book.orders:
            self._refuse_pending(order_id)

    def _refuse_pending(self, order_id: int) -> None:
        self.held.pop(order_id, None)
        for req in self.pending.pop(order_id, ()):
            self.book.out.append((CANCEL_REJECTED, req, RejectReason.TOO_LATE, None))

    def describe(self) -> dict[str, Any]:
        out = super().describe()
        out["held"] = sorted(self.held)
        out["pending"] = {str(k): len(v) for k, v in sorted(self.pending.items())}
        return out


# --------------------------------------------------------------------- venue-level
def match_orders(book: Book, a: Order, b: Order, price: int, qty: int) -> None:
    """Cross ``a`` (the aggressor) with ``b`` (the resting side) for ``qty`` at
    ``price``: one trade, a taker fill for ``a`` and a maker fill for ``b``."""
    engine = book.engine
    if isinstance(engine, ManagedEngine):
        for order in (a, b):
            if order.order_id in engine.held:
                engine._ack(order)
    out = book.out
    first = len(out)
    book.fill(a, qty, price, b)
    second = len(out)
    book.fill(b, qty, price, a)
    trade_at = next(i for i in range(first, second) if out[i][0] == TRADE)
    trade = out[trade_at]
    tid = trade[2]
    out[trade_at] = (*trade[:5], a.side, *trade[6:])
    for i in range(first, len(out)):
        ev = out[i]
        if ev[0] == FILL:
            liquidity = _TAKER if ev[1] is a else _MAKER
            out[i] = (*ev[:5], tid, liquidity, *ev[7:])
    for i in range(len(out) - 1, second - 1, -1):
        if out[i][0] == TRADE:
            del out[i]
            break
    book.volume -= qty
    book.trades -= 1


def problem(venue: Venue, payload: list[Any]) -> str | None:
    """Why the managed action ``payload`` (see :func:`perform`) cannot run now."""
    action, symbol = payload[0], payload[1]
    book = venue.books.get(symbol)
    if book is None:
        return f"venue {venue.name} has no instrument {symbol!r}"
    if action == "decide":
        engine = book.engine
        if not isinstance(engine, ManagedEngine):
            return f"{symbol} is served by the {engine.name} engine, not managed"
        return engine.problem(payload[2], payload[3], payload[4], payload[5])
    if action == "match":
        a, b = venue.orders.get(payload[2]), venue.orders.get(payload[3])
        for oid, o in ((payload[2], a), (payload[3], b)):
            if o is None or o.symbol != symbol:
                return f"order {oid} is not live in {symbol}"
        assert a is not None
        assert b is not None
        if a.side == b.side:
            return "orders to match must be on opposite sides"
        if payload[5] > a.leaves or payload[5] > b.leaves:
            return "match quantity exceeds an order's leaves"
        return None
    trade = trade_log(venue).get(payload[2])
    if trade is None or trade.symbol != symbol:
        return f"no trade {payload[2]} in {symbol}"
    if trade.state == "busted":
        return f"trade {payload[2]} is already busted"
    if action == "correct" and payload[3] > trade.qty:
        return "a correction may not increase the trade's quantity"
    return None


def perform(venue: Venue, payload: list[Any]) -> None:
    """Run one managed action inside a venue command, recording it first. ``payload``:

    * ``["decide", symbol, order_id, action, qty, price, text]``
    * ``["match", symbol, a, b, price, qty]``
    * ``["bust", symbol, trade_id]``
    * ``["correct", symbol, trade_id, qty, price]``

    Prices and quantities are in units. A problem found now (a scheduled step whose
    order is done) is reported in the venue's script instead of raising.
    """
    why = problem(venue, payload)
    if why is not None:
        script_of(venue).problems.append(f"{payload[0]} {payload[2:]}: {why}")
        return
    if venue.recorder is not None:
        venue.recorder("managed", list(payload), venue.now)
    action, symbol = payload[0], payload[1]
    book = venue.books[symbol]
    if action == "decide":
        engine = book.engine
        assert isinstance(engine, ManagedEngine)
        engine.decide(payload[2], payload[3], payload[4], payload[5], payload[6])
    elif action == "match":
        match_orders(
            book, venue.orders[payload[2]], venue.orders[payload[3]], payload[4], payload[5]
        )
    else:
        trade = trade_log(venue).get(payload[2])
        assert trade is not None
        if action == "bust":
            bust(book, trade)
        else:
            correct(book, trade, payload[3], payload[4])
    book.settle()


def schedule(venue: Venue, symbol: str, order_id: int, steps: list[Step]) -> None:
    """Run ``steps`` for ``order_id``, each ``delay_ns`` after the previous one on the
    venue clock (a step without delay runs right after the current command)."""
    at = venue.now
    for step in steps:
        at += step.delay_ns
        payload = ["decide", symbol, order_id, step.action, step.qty, step.price, step.text]
        if at <= venue.now:
            venue.run_in_batch(perform, venue, payload)
        else:
            venue.clock.call_at(at, venue.run_in_batch, perform, venue, payload)
