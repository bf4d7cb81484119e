"""A venue's time-driven commands: GTD expiry and the end of the trading day.

Every timer is the venue clock's (:meth:`~exsim_core.Clock.call_at`), so a test that
advances a :class:`~exsim_core.ManualClock` sees orders expire exactly when it says.
Each expiry runs as a command and is handed to the recorder (``expire`` with the order
id, ``end_of_day``), so a replayed journal expires the same orders at the same points.

The functions here are :class:`~exsim_core.Venue` methods (bound in its class body).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from exsim_core.enums import CancelReason

if TYPE_CHECKING:
    from exsim_core.book import Book
    from exsim_core.order import Order

    from .venue import Venue

__all__ = [
    "close",
    "end_of_day",
    "expire",
    "expire_day_orders",
    "expire_order",
    "next_end_of_day",
    "schedule_end_of_day",
]

_GTD = 6
_DAY = 0


def expire(self: Venue, order_id: int) -> None:
    """The expiry timer of a GTD order fired: cancel it if it is still live."""
    order = self.orders.get(order_id)
    if order is not None and order.tif == _GTD:
        self._command(self._expire_order, order, record="expire", payload=order_id)


def expire_order(self: Venue, order: Order) -> None:
    """Cancel ``order`` as expired (inside a command)."""
    book = self.books[order.symbol]
    book.cancel_order(order, CancelReason.EXPIRED)
    book.settle()


def schedule_end_of_day(self: Venue) -> None:
    """(Re)arm the timer of the next end of day, after the settings changed or it fired."""
    if self._eod_timer is not None:
        self._eod_timer.cancel()
    self._eod_timer = self.clock.call_at(self.next_end_of_day(), self._end_of_day)


def next_end_of_day(self: Venue, after_ns: int | None = None) -> int:
    """When the next end of day falls (ns since the epoch) after ``after_ns``."""
    now_ns = self.clock.now_ns() if after_ns is None else after_ns
    now = dt.datetime.fromtimestamp(now_ns / 1e9, self.zone)
    eod = dt.datetime.combine(now.date(), self.settings.end_of_day, self.zone)
    if int(eod.timestamp()) * 1_000_000_000 <= now_ns:
        eod = dt.datetime.combine(
            now.date() + dt.timedelta(days=1), self.settings.end_of_day, self.zone
        )
    return int(eod.timestamp()) * 1_000_000_000


def end_of_day(self: Venue) -> None:
    """The end-of-day timer fired: expire DAY orders and arm the next one."""
    self._eod_timer = None
    self._command(self._expire_day_orders, record="end_of_day")
    self._schedule_end_of_day()


def expire_day_orders(self: Venue) -> None:
    """Cancel every live DAY order as expired, oldest first (inside a command)."""
    victims = sorted((o for o in self.orders.values() if o.tif == _DAY), key=lambda o: o.order_id)
    touched: dict[str, Book] = {}
    for order in victims:
        book = self.books[order.symbol]
        book.cancel_order(order, CancelReason.EXPIRED)
        touched[book.symbol] = book
    for book in touched.values():
        book.settle()


def close(self: Venue) -> None:
    """Stop the venue's timers (the venue is being deleted)."""
    if self._eod_timer is not None:
        self._eod_timer.cancel()
        self._eod_timer = None
