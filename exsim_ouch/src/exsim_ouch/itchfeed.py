"""An ITCH 5.0 feed of one venue: its events, as the messages a book builder needs.

The feed subscribes to the venue and appends every ITCH message to a
:class:`~exsim_ouch.seqlog.SequencedLog`, which the transports (SoupBinTCP, MoldUDP64)
serve. It starts with System Events O, S and Q, a Stock Directory and a Stock Trading
Action per instrument, and an Add Order for every order resting at that moment; after
that it follows the venue's L3 events (PROTOCOLS.md 4.3):

* ADDED: Add Order ('F' with the MPID of attributable OUCH orders, else 'A'), or Order
  Replace when it places an order whose previous incarnation was displayed (a replace or
  a re-peg that lost priority);
* a maker FILL: Order Executed (a fill away from the display price: Executed With
  Price); a trade no displayed order took part in: Trade ('P');
* CANCELED and priority-keeping REPLACED: Order Cancel (shares) or Order Delete;
* STATUS: Stock Trading Action; TRADE_BUSTED: Broken Trade.

Order reference numbers: an order's first placement uses its order id (the number OUCH
reports in Accepted); each later placement (a replace or move losing priority, a
reserve order's refill) uses the venue's priority sequence of that placement, which is
what OUCH reports in Replaced and Order Priority Update. A placement that is over within
the same batch of events (a refill traded away at once) gets a number of its own from a
range no venue ever reaches (2**56 upwards). Numbers are never reused.
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from exsim_core import BUY, Liquidity, TradingStatus
from exsim_core import events as ev

from . import itch
from .convert import DayClock, PriceScale

if TYPE_CHECKING:
    from exsim_core import Order, Venue

    from .seqlog import SequencedLog

__all__ = ["ItchFeed"]

log = logging.getLogger("exsim.itch")

_MAKER = int(Liquidity.MAKER)
_TAKER = int(Liquidity.TAKER)
_SKIP_TO_ADD = frozenset({ev.BOOK, ev.RESTATED})
PRIVATE_BASE = 1 << 56


@dataclass(slots=True)
class _Shown:
    """A displayed order as the feed published it."""

    obj: Order
    orn: int
    price: int
    shown: int
    locate: int
    stock: bytes


class ItchFeed:
    """The ITCH 5.0 messages of one venue (see the module documentation).

    :param venue: the venue published.
    :param log: where the messages go, numbered from 1.
    """

    def __init__(self, venue: Venue, log: SequencedLog) -> None:
        self.venue = venue
        self.log = log
        self.day = DayClock(venue.zone)
        #: stock locate code and 8-byte stock field by symbol
        self.locates: dict[str, tuple[int, bytes, PriceScale, int]] = {}
        #: displayed orders by order id
        self.shown: dict[int, _Shown] = {}
        self._pending: dict[int, _Shown] = {}
        self._private = itertools.count(PRIVATE_BASE)
        self._printed: set[int] = set()
        self._unsubscribe: Any = None

    # ------------------------------------------------------------------ life cycle
    def start(self) -> None:
        """Publish the start of the day and the books as they are, then follow the venue."""
        now = self.venue.clock.now_ns()
        ts = self.day(now)
        emit = self.log.append
        for code in (b"O", b"S", b"Q"):
            emit(itch.system_event(ts, code))
        for symbol in sorted(self.venue.books):
            self._symbol(symbol, ts)
        for symbol in sorted(self.venue.books):
            book = self.venue.books[symbol]
            for side in (BUY, 2):
                for order in book.resting(side):
                    level = order.level
                    if level is not None and order.shown:
                        self._add(order, order.seq, level.price, order.shown, ts)
        self._unsubscribe = self.venue.subscribe(self.on_batch)

    def stop(self) -> None:
        """Publish End of Messages and stop following the venue."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
            self.log.append(itch.system_event(self.day(self.venue.clock.now_ns()), b"C"))

    # ------------------------------------------------------------------ instruments
    def _symbol(self, symbol: str, ts: int) -> tuple[int, bytes, PriceScale, int] | None:
        found = self.locates.get(symbol)
        if found is not None:
            return found
        inst = self.venue.instruments.get(symbol)
        if inst is None:
            return None
        if len(symbol) > 8 or not symbol.isascii():
            log.warning("ITCH carries 8-character symbols; %r is left out of the feed", symbol)
            return None
        stock = symbol.encode().ljust(8)
        lot = max(1, inst.lot_units // inst.qty_scale) if inst.qty_scale else 1
        found = (len(self.locates) + 1, stock, PriceScale(inst.price_scale), inst.qty_scale)
        self.locates[symbol] = found
        self.log.append(itch.stock_directory(found[0], ts, stock, lot))
        book = self.venue.books[symbol]
        self.log.append(itch.trading_action(found[0], ts, stock, _STATE[book.status]))
        return found

    # ------------------------------------------------------------------ events
    def on_batch(self, batch: list[tuple[Any, ...]], now: int) -> None:
        """Venue listener: publish one batch of events."""
        try:
            self._publish(batch, self.day(now))
        except Exception:
            log.exception("ITCH feed of venue %s could not publish a batch", self.venue.name)
        finally:
            self._printed.clear()
            self._pending.clear()

    def _publish(self, batch: list[tuple[Any, ...]], ts: int) -> None:
        remaining: Counter[int] | None = None
        added = 0
        for event in batch:
            if event[0] == ev.ADDED:
                added += 1
        if added > 1:
            remaining = Counter(id(e[1]) for e in batch if e[0] == ev.ADDED)
        for i, event in enumerate(batch):
            kind = event[0]
            if kind == ev.ADDED:
                last = True
                if remaining is not None:
                    key = id(event[1])
                    remaining[key] -= 1
                    last = remaining[key] == 0
                self._on_added(event[1], event[2], event[3], ts, last)
            elif kind == ev.FILL:
                self._on_fill(event, ts)
            elif kind == ev.TRADE:
                if event[2] not in self._printed:
                    self._on_unprinted_trade(event, ts)
            elif kind == ev.CANCELED:
                self._reduce(event[1], event[4], event[5], ts)
            elif kind == ev.REPLACED:
                if event[2] is event[1]:
                    # priority kept: the order only shrank (leaves stay above zero)
                    self._reduce(event[1], 1, event[5], ts)
                else:
                    self._moved(event[2], event[1], batch, i, ts)
            elif kind == ev.RESTATED:
                if event[2] is not event[1]:
                    self._moved(event[2], event[1], batch, i, ts)
            elif kind == ev.STATUS:
                found = self._symbol(event[1], ts)
                if found is not None:
                    self.log.append(itch.trading_action(found[0], ts, found[1], _STATE[event[2]]))
            elif kind == ev.TRADE_BUSTED:
                found = self._symbol(event[2], ts)
                if found is not None:
                    self.log.append(itch.broken_trade(found[0], ts, event[1]))

    def _add(self, order: Order, orn: int, price: int, shown: int, ts: int) -> None:
        found = self._symbol(order.symbol, ts)
        if found is None:
            return
        locate, stock, scale, qs = found
        side = b"B" if order.side == BUY else b"S"
        wire = scale.to_wire(price)
        mpid = getattr(order.tag, "mpid", None)
        if mpid:
            msg = itch.add_order_mpid(locate, ts, orn, side, shown // qs, stock, wire, mpid)
        else:
            msg = itch.add_order(locate, ts, orn, side, shown // qs, stock, wire)
        self.log.append(msg)
        self.shown[order.order_id] = _Shown(order, orn, price, shown, locate, stock)

    def _on_added(self, order: Order, price: int, shown: int, ts: int, last: bool) -> None:
        oid = order.order_id
        entry = self.shown.pop(oid, None)
        moved = self._pending.pop(oid, None)
        if entry is None and moved is None:
            # the order's first placement: its number is its order id
            self._add(order, oid, price, shown, ts)
            return
        orn = order.seq if last else next(self._private)
        if entry is not None and entry.shown:
            self.log.append(itch.order_delete(entry.locate, ts, entry.orn))
        if moved is None or not moved.shown:
            self._add(order, orn, price, shown, ts)
            return
        qs = self.locates[order.symbol][3]
        scale = self.locates[order.symbol][2]
        self.log.append(
            itch.order_replace(moved.locate, ts, moved.orn, orn, shown // qs, scale.to_wire(price))
        )
        self.shown[oid] = _Shown(order, orn, price, shown, moved.locate, moved.stock)

    def _on_fill(self, event: tuple[Any, ...], ts: int) -> None:
        liquidity = event[6]
        if liquidity == _TAKER:
            return
        order: Order = event[1]
        entry = self.shown.get(order.order_id)
        if entry is None or entry.obj is not order or not entry.shown:
            return
        qty, px, match, leaves = event[2], event[3], event[5], event[8]
        qs = self.locates[order.symbol][3]
        taken = qty if qty < entry.shown else entry.shown
        if liquidity == _MAKER or px == entry.price:
            self.log.append(itch.order_executed(entry.locate, ts, entry.orn, taken // qs, match))
        else:
            wire = self.locates[order.symbol][2].to_wire(px)
            self.log.append(
                itch.order_executed_with_price(
                    entry.locate, ts, entry.orn, taken // qs, match, b"Y", wire
                )
            )
        self._printed.add(match)
        entry.shown -= taken
        if not leaves:
            del self.shown[order.order_id]
        elif not entry.shown and liquidity != _MAKER:
            # a fill without a counterparty refills the display in place (no ADDED event)
            display = order.display
            refill = display if display and display < leaves else leaves
            del self.shown[order.order_id]
            self._add(order, next(self._private), entry.price, refill, ts)

    def _on_unprinted_trade(self, event: tuple[Any, ...], ts: int) -> None:
        found = self._symbol(event[1], ts)
        if found is None:
            return
        locate, stock, scale, qs = found
        self.log.append(
            itch.trade(
                locate, ts, 0, b"B", event[4] // qs, stock, scale.to_wire(event[3]), event[2]
            )
        )

    def _reduce(self, order: Order, leaves: int, shown: int, ts: int) -> None:
        entry = self.shown.get(order.order_id)
        if entry is None or entry.obj is not order:
            return
        if not leaves:
            del self.shown[order.order_id]
            if entry.shown:
                self.log.append(itch.order_delete(entry.locate, ts, entry.orn))
            return
        if shown < entry.shown:
            qs = self.locates[order.symbol][3]
            self.log.append(
                itch.order_cancel(entry.locate, ts, entry.orn, (entry.shown - shown) // qs)
            )
            entry.shown = shown

    def _moved(self, old: Order, new: Order, batch: list[tuple[Any, ...]], i: int, ts: int) -> None:
        """``old`` lost its place to ``new``: an Order Replace if ``new`` is placed next
        with the same attribution, else an Order Delete now (and an Add Order later)."""
        entry = self.shown.get(old.order_id)
        if entry is None or entry.obj is not old:
            return
        del self.shown[old.order_id]
        same = getattr(old.tag, "mpid", None) == getattr(new.tag, "mpid", None)
        if entry.shown and not (same and _placed_next(new, batch, i)):
            self.log.append(itch.order_delete(entry.locate, ts, entry.orn))
            entry.shown = 0
        # remembered for this batch: a later placement is not the order's first
        self._pending[old.order_id] = entry


def _placed_next(order: Order, batch: list[tuple[Any, ...]], i: int) -> bool:
    """Is the next event about the book, after ``i``, the placement of ``order``?"""
    for j in range(i + 1, len(batch)):
        event = batch[j]
        kind = event[0]
        if kind == ev.ADDED:
            return event[1] is order
        if kind not in _SKIP_TO_ADD or (kind == ev.RESTATED and event[1] is not order):
            return False
    return False


_STATE = {
    TradingStatus.OPEN: b"T",
    TradingStatus.HALTED: b"H",
    TradingStatus.CLOSED: b"H",
}
