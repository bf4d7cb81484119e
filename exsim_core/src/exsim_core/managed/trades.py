"""The trades a venue printed, kept so that they can be listed, busted and corrected.

A :class:`TradeLog` listens to its venue from the moment it is attached
(:func:`trade_log` attaches it on first use; the daemon does so when it creates a venue)
and keeps the most recent ``bound`` trades.

Bust and correct follow FIX Trade Cancel (ExecType H) and Trade Correct (ExecType G):

* a **bust** takes the trade's quantity and cost off both orders' cumulative quantity
  and average price. The quantity is *not* given back to the orders: ``leaves`` does not
  change, so a busted order does not return to the book. A live order's status becomes
  NEW or PARTIALLY_FILLED according to what is still filled; a done order stays done.
* a **correct** replaces the trade's price and quantity (the quantity may shrink, never
  grow) and adjusts both orders' cumulative quantity and cost by the difference, with
  the same rule for ``leaves`` and status.

Both emit one event (TRADE_BUSTED, TRADE_CORRECTED) that the venue delivers to the
owner of each side.
"""

from __future__ import annotations

import weakref
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from exsim_core.enums import OrderStatus
from exsim_core.events import TRADE, TRADE_BUSTED, TRADE_CORRECTED

if TYPE_CHECKING:
    from exsim_core.book import Book
    from exsim_core.order import Order
    from exsim_core.venue import Venue

__all__ = ["TradeLog", "TradeRecord", "bust", "correct", "trade_log"]

DEFAULT_BOUND = 100_000


@dataclass
class TradeRecord:
    trade_id: int
    symbol: str
    price: int
    qty: int
    aggressor: int
    buy: Order | None
    sell: Order | None
    time_ns: int
    state: str = "done"  # "done", "busted", "corrected"


class TradeLog:
    """The last ``bound`` trades of one venue, by trade id."""

    def __init__(self, venue: Venue, bound: int = DEFAULT_BOUND) -> None:
        self.venue = venue
        self.trades: dict[int, TradeRecord] = {}
        self._order: deque[int] = deque()
        self.bound = bound
        self.unsubscribe = venue.subscribe(self._listen)

    def _listen(self, batch: list[tuple[Any, ...]], now: int) -> None:
        for ev in batch:
            if ev[0] == TRADE:
                tid = ev[2]
                self.trades[tid] = TradeRecord(tid, ev[1], ev[3], ev[4], ev[5], ev[6], ev[7], now)
                self._order.append(tid)
                if len(self._order) > self.bound:
                    self.trades.pop(self._order.popleft(), None)

    def get(self, trade_id: int) -> TradeRecord | None:
        return self.trades.get(trade_id)

    def list(self, symbol: str | None = None, limit: int | None = None) -> list[TradeRecord]:
        out = [t for t in self.trades.values() if symbol is None or t.symbol == symbol]
        return out[-limit:] if limit else out


_logs: weakref.WeakKeyDictionary[Venue, TradeLog] = weakref.WeakKeyDictionary()


def trade_log(venue: Venue) -> TradeLog:
    """The trade log of ``venue``, attached on first use (it sees trades from then on)."""
    log = _logs.get(venue)
    if log is None:
        log = _logs[venue] = TradeLog(venue)
    return log


def _current(book: Book, order: Order | None) -> Order | None:
    if order is None:
        return None
    # an order that moved in the book was cloned: the live object carries its state
    return book.orders.get(order.order_id, order)


def _adjust(order: Order | None, qty: int, cost: int) -> None:
    if order is None:
        return
    order.cum_qty += qty
    order.cum_cost += cost
    if order.leaves and not OrderStatus(order.status).is_terminal:
        order.status = OrderStatus.PARTIALLY_FILLED if order.cum_qty else OrderStatus.NEW


def bust(book: Book, trade: TradeRecord) -> None:
    """Cancel ``trade`` (see the module notes); emits TRADE_BUSTED."""
    buy, sell = _current(book, trade.buy), _current(book, trade.sell)
    for order in (buy, sell):
        _adjust(order, -trade.qty, -trade.qty * trade.price)
    book.volume -= trade.qty
    trade.state = "busted"
    book.out.append((TRADE_BUSTED, trade.trade_id, trade.symbol, trade.qty, trade.price, buy, sell))


def correct(book: Book, trade: TradeRecord, qty: int, price: int) -> None:
    """Correct ``trade`` to ``qty`` at ``price`` (see the module notes); emits
    TRADE_CORRECTED."""
    buy, sell = _current(book, trade.buy), _current(book, trade.sell)
    old_qty, old_price = trade.qty, trade.price
    for order in (buy, sell):
        _adjust(order, qty - old_qty, qty * price - old_qty * old_price)
    book.volume += qty - old_qty
    trade.qty, trade.price, trade.state = qty, price, "corrected"
    book.out.append(
        (TRADE_CORRECTED, trade.trade_id, trade.symbol, qty, price, old_qty, old_price, buy, sell)
    )
