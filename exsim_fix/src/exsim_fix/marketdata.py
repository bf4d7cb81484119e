"""Market data over FIX: MarketDataRequest (V) answered with W, X or Y.

* SubscriptionRequestType(263) 0 sends one MarketDataSnapshotFullRefresh (W) per symbol;
  1 sends the snapshot and then, after every venue batch that changes the book or
  trades, either an IncrementalRefresh (X, MDUpdateType 1, the default) or a new full
  refresh (W, MDUpdateType 0); 2 ends the subscription named by MDReqID(262).
* MarketDepth(264) 0 is the full book, N the best N price levels per side.
* MDEntryType(269) 0 bid, 1 offer and 2 trade are supported.

Incremental updates are price-level updates (MDUpdateAction 0 new, 1 change, 2
delete, keyed by MDEntryType and MDEntryPx). Each subscription keeps the levels its
client has been told, and every X is the difference between that and the book after
the batch, so a client that applies the updates holds exactly the book's top levels.

A subscription also gets a SecurityStatus (f) when its instrument opens, halts or
closes (SecurityTradingStatus 17, 2, 18). Refusals are MarketDataRequestReject (Y)
with MDReqRejReason(281): 0 unknown symbol, 1 duplicate MDReqID, 4 unsupported
SubscriptionRequestType, 5 unsupported MarketDepth, 8 unsupported MDEntryType, and a
Text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .amounts import format_units

if TYPE_CHECKING:
    from exsim_core import Book

    from .application import Application
    from .codec import FixMessage

__all__ = ["MarketData", "Subscription"]

_SIDE_TYPE = {1: b"0", 2: b"1"}
#: SecurityTradingStatus(326): 17 ready to trade, 2 trading halt, 18 not available
_TRADING_STATUS = {"open": 17, "halted": 2, "closed": 18}


class Subscription:
    """One MDReqID on one symbol."""

    def __init__(
        self,
        md: MarketData,
        req_id: bytes,
        book: Book,
        *,
        depth: int,
        types: frozenset[bytes],
        incremental: bool,
    ) -> None:
        self.md = md
        self.req_id = req_id
        self.book = book
        self.symbol = book.symbol
        self.depth = depth
        self.types = types
        self.incremental = incremental
        instrument = book.instrument
        self.pd = len(str(instrument.price_scale)) - 1
        self.qd = len(str(instrument.qty_scale)) - 1
        #: side -> price -> (qty, count), as the client knows it
        self.known: dict[int, dict[int, tuple[int, int]]] = {1: {}, 2: {}}

    def levels(self) -> dict[int, dict[int, tuple[int, int]]]:
        n = self.depth or None
        out: dict[int, dict[int, tuple[int, int]]] = {1: {}, 2: {}}
        for side, code in _SIDE_TYPE.items():
            if code in self.types:
                out[side] = {p: (q, c) for p, q, c in self.book.depth(side, n)}
        return out

    def snapshot(self) -> bytes:
        """The body of a W for this subscription (and remember what it says)."""
        self.known = self.levels()
        entries = []
        for side in (1, 2):
            code = _SIDE_TYPE[side]
            levels = self.known[side]
            for price in sorted(levels, reverse=side == 1):
                qty, count = levels[price]
                entries.append(
                    b"269=%s\x01270=%s\x01271=%s\x01346=%d\x01"
                    % (code, format_units(price, self.pd), format_units(qty, self.qd), count)
                )
        book = self.book
        if b"2" in self.types and book.last_price is not None:
            entries.append(
                b"269=2\x01270=%s\x01271=%s\x01"
                % (format_units(book.last_price, self.pd), format_units(book.last_qty, self.qd))
            )
        return b"262=%s\x0155=%s\x01268=%d\x01%s" % (
            self.req_id,
            self.symbol.encode(),
            len(entries),
            b"".join(entries),
        )

    def publish(self, batch: list[tuple[Any, ...]]) -> None:
        """After a batch touching the symbol: send what changed (and a SecurityStatus
        when the instrument opened, halted or closed)."""
        for ev in batch:
            if ev[0] == 12 and ev[1] == self.symbol:
                status = _TRADING_STATUS.get(str(ev[2]), 17)
                text = b"58=%s\x01" % ev[3].encode() if ev[3] else b""
                self.md.app.out.send(
                    b"f",
                    b"324=%s\x0155=%s\x01326=%d\x01%s"
                    % (self.req_id, self.symbol.encode(), status, text),
                )
        if not self.incremental:
            self.md.app.out.send(b"W", self.snapshot())
            return
        entries: list[bytes] = []
        symbol = self.symbol.encode()
        new = self.levels()
        for side in (1, 2):
            code = _SIDE_TYPE[side]
            if code not in self.types:
                continue
            old = self.known[side]
            now = new[side]
            for price in [p for p in old if p not in now]:
                entries.append(
                    b"279=2\x01269=%s\x0155=%s\x01270=%s\x01"
                    % (code, symbol, format_units(price, self.pd))
                )
            for price, (qty, count) in now.items():
                was = old.get(price)
                if was == (qty, count):
                    continue
                entries.append(
                    b"279=%s\x01269=%s\x0155=%s\x01270=%s\x01271=%s\x01346=%d\x01"
                    % (
                        b"0" if was is None else b"1",
                        code,
                        symbol,
                        format_units(price, self.pd),
                        format_units(qty, self.qd),
                        count,
                    )
                )
        self.known = new
        if b"2" in self.types:
            for ev in batch:
                if ev[0] == 11 and ev[1] == self.symbol:
                    entries.append(
                        b"279=0\x01269=2\x0155=%s\x01270=%s\x01271=%s\x01"
                        % (symbol, format_units(ev[3], self.pd), format_units(ev[4], self.qd))
                    )
        if entries:
            self.md.app.out.send(
                b"X", b"262=%s\x01268=%d\x01%s" % (self.req_id, len(entries), b"".join(entries))
            )


class MarketData:
    """The market-data subscriptions of one session."""

    def __init__(self, app: Application) -> None:
        self.app = app
        self.subs: dict[bytes, list[Subscription]] = {}

    def request(self, msg: FixMessage) -> None:
        values = msg.values
        req_id = values[b"262"]
        kind = values[b"263"]
        if kind == b"2":
            self._end(req_id)
            return
        if req_id in self.subs:
            self._reject(req_id, 1, f"MDReqID {req_id.decode('latin-1')} is already in use")
            return
        depth = int(values[b"264"])
        types = frozenset(v for t, v in msg.fields if t == b"269")
        unsupported = types - {b"0", b"1", b"2"}
        if unsupported:
            self._reject(req_id, 8, "MDEntryType(269) supported: 0 bid, 1 offer, 2 trade")
            return
        symbols = [v.decode("latin-1") for t, v in msg.fields if t == b"55"]
        venue = self.app.venue
        unknown = [s for s in symbols if s not in venue.books]
        if unknown or not symbols:
            self._reject(
                req_id,
                0,
                f"unknown symbol {', '.join(unknown) or '(none given)'} at venue {venue.name}",
            )
            return
        incremental = values.get(b"265", b"1") == b"1"
        subs = [
            Subscription(
                self, req_id, venue.books[s], depth=depth, types=types, incremental=incremental
            )
            for s in symbols
        ]
        for sub in subs:
            self.app.out.send(b"W", sub.snapshot())
        if kind == b"1":
            self.subs[req_id] = subs
            feed = self.app.fix.protocol.feed
            for sub in subs:
                feed.subscriptions.setdefault(sub.symbol, []).append(sub)

    def _reject(self, req_id: bytes, reason: int, text: str) -> None:
        self.app.out.send(b"Y", b"262=%s\x01281=%d\x0158=%s\x01" % (req_id, reason, text.encode()))

    def _end(self, req_id: bytes) -> None:
        subs = self.subs.pop(req_id, None)
        if subs is None:
            self.app.out.send(b"Y", b"262=%s\x0158=no subscription with this MDReqID\x01" % req_id)
            return
        self._forget(subs)

    def _forget(self, subs: list[Subscription]) -> None:
        feed = self.app.fix.protocol.feed
        for sub in subs:
            listed = feed.subscriptions.get(sub.symbol, [])
            if sub in listed:
                listed.remove(sub)
            if not listed:
                feed.subscriptions.pop(sub.symbol, None)

    def clear(self) -> None:
        """The session disconnected: its subscriptions end."""
        for subs in self.subs.values():
            self._forget(subs)
        self.subs.clear()
