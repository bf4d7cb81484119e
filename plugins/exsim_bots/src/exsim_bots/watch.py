"""Watch a book while bots trade on it: is it uncrossed, two-sided, tracking its fair value?

:class:`MarketWatch` listens to a venue's events (it never sends anything, so it does not
change what happens) and measures one book:

* ``crossed_batches`` — batches after which the best bid was at or above the best offer;
* ``two_sided_share`` — the share of the watched time during which the book had both a
  bid and an offer, weighted by time (each state lasts until the next batch);
* ``trades`` — every trade as ``(time ns, price units, qty units, fair value units)``,
  the fair value read at the trade's time;
* ``digest`` — a SHA-256 over every event of the venue (all books), with orders named
  by id, session and client order id, so that two runs can be compared for equality.
"""

from __future__ import annotations

import hashlib
import statistics
from typing import TYPE_CHECKING, Any

from exsim_core import Cancel, MassCancel, Order, Replace
from exsim_core import events as ev

from .fairvalue import fair_value_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from exsim_core import Venue

__all__ = ["MarketWatch", "canonical"]


def canonical(value: Any) -> Any:
    """``value`` with orders and requests replaced by stable identities."""
    if isinstance(value, Order):
        return ("order", value.order_id, value.session, value.cl_ord_id)
    if isinstance(value, Cancel | Replace | MassCancel):
        return (type(value).__name__, getattr(value, "order_id", 0), value.cl_ord_id)
    if isinstance(value, tuple):
        return tuple(canonical(v) for v in value)
    return value


class MarketWatch:
    """Measures the book of ``symbol`` at ``venue`` from now until :meth:`stop`.

    :param venue: the venue to listen to.
    :param symbol: the book to measure.
    :param digest: keep the digest of the event stream (it costs about as much as the
        rest of the watch together).
    """

    def __init__(self, venue: Venue, symbol: str, *, digest: bool = True) -> None:
        self.venue = venue
        self.book = venue.book(symbol)
        self.symbol = symbol
        self.clock = venue.clock
        self.started_ns = self.last_ns = self.clock.now_ns()
        self.stopped_ns: int | None = None
        self.two_sided_ns = 0
        self.crossed_batches = 0
        self.batches = 0
        self.events = 0
        self.trades: list[tuple[int, int, int, float]] = []
        self._hash = hashlib.sha256() if digest else None
        self._two_sided = self._is_two_sided()
        self._unsubscribe: Callable[[], None] | None = venue.subscribe(self._on_batch)

    def _is_two_sided(self) -> bool:
        book = self.book
        return bool(book.bid_prices and book.ask_keys)

    def _on_batch(self, batch: list[tuple[Any, ...]], now: int) -> None:
        if self._two_sided:
            self.two_sided_ns += now - self.last_ns
        self.last_ns = now
        self._two_sided = self._is_two_sided()
        self.batches += 1
        self.events += len(batch)
        if self.book.is_crossed:
            self.crossed_batches += 1
        if self._hash is not None:
            update = self._hash.update
            update(repr(now).encode())
            for event in batch:
                update(repr(canonical(event)).encode())
        symbol = self.symbol
        for event in batch:
            if event[0] == ev.TRADE and event[1] == symbol:
                fv = fair_value_of(self.book)
                fair = fv.value_units() if fv is not None else float("nan")
                self.trades.append((now, event[3], event[4], fair))

    def stop(self) -> None:
        """Stop watching (the figures stay)."""
        if self._unsubscribe is None:
            return
        now = self.clock.now_ns()
        if self._two_sided:
            self.two_sided_ns += now - self.last_ns
        self.last_ns = self.stopped_ns = now
        self._unsubscribe()
        self._unsubscribe = None

    # ------------------------------------------------------------------ figures
    @property
    def digest(self) -> str | None:
        """SHA-256 of the event stream so far (None when not kept)."""
        return None if self._hash is None else self._hash.hexdigest()

    @property
    def watched_ns(self) -> int:
        end = self.stopped_ns if self.stopped_ns is not None else self.clock.now_ns()
        return end - self.started_ns

    @property
    def two_sided_share(self) -> float:
        """Share of the watched time with both a bid and an offer (0 to 1)."""
        watched = self.watched_ns
        ongoing = 0
        if self.stopped_ns is None and self._two_sided:
            ongoing = self.clock.now_ns() - self.last_ns
        return (self.two_sided_ns + ongoing) / watched if watched else 0.0

    def trade_deviation_ticks(self) -> list[float]:
        """For each trade, how far its price was from the fair value, in ticks."""
        tick = self.book.tick
        return [abs(px - fair) / tick for _, px, _, fair in self.trades]

    def vwap_deviation_ticks(self, window_ns: int) -> list[float]:
        """For each window of ``window_ns`` with trades, how far the volume-weighted
        average trade price was from the average fair value at those trades, in ticks."""
        windows: dict[int, list[float]] = {}
        for t, px, qty, fair in self.trades:
            w = windows.setdefault((t - self.started_ns) // window_ns, [0.0, 0.0, 0.0, 0.0])
            w[0] += px * qty
            w[1] += qty
            w[2] += fair
            w[3] += 1
        tick = self.book.tick
        return [abs(w[0] / w[1] - w[2] / w[3]) / tick for w in windows.values()]

    def summary(self) -> dict[str, Any]:
        """The figures, for a test's failure message or a log."""
        dev = sorted(self.trade_deviation_ticks())
        return {
            "watched_s": self.watched_ns / 1e9,
            "batches": self.batches,
            "events": self.events,
            "crossed_batches": self.crossed_batches,
            "two_sided_share": round(self.two_sided_share, 6),
            "trades": len(self.trades),
            "mean_trade_deviation_ticks": round(statistics.fmean(dev), 3) if dev else None,
            "p95_trade_deviation_ticks": dev[int(0.95 * (len(dev) - 1))] if dev else None,
            "digest": self.digest,
        }
