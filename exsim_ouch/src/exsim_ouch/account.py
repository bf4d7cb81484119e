"""One OUCH login's order entry, without I/O: the part OUCH 4.2 and 5.0 share.

An account owns the login's :class:`~exsim_ouch.seqlog.SequencedLog` (one SoupBinTCP
session per trading day, ``YYYYMMDDnn``), the identities its client has used (tokens or
UserRefNums, each mapped to the venue's order id), and the translation of the venue's
events about its orders into outbound messages. Subclasses decode the inbound messages
of their version and encode the outbound ones.

Events come from :meth:`exsim_core.Venue.attach_session`, so the account records what
happens to its orders whether or not a client is connected; a client that logs in again
replays what it missed. After a restart on the same store, the identities in use are
recovered from the log, so a resent Enter Order is still ignored as a duplicate, and the
login's live orders, which the daemon's journal brings back, get their tags back from it
(see :mod:`exsim_ouch.restore`): they are cancelled, replaced and reported in the
client's terms as before.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from exsim_core import events as ev

from .convert import DayClock, PriceScale
from .seqlog import SequencedLog
from .tags import OrderTag

if TYPE_CHECKING:
    from exsim_core import Order, Session, Venue
    from exsim_core.clock import Timer
    from exsim_core.store import Store

    from .restore import Tags
    from .soupconnection import SoupConnection

__all__ = ["OuchAccount"]

log = logging.getLogger("exsim.ouch")

#: the characters of a valid MPID (Firm)
FIRM_CHARS = b" 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

Event = tuple[Any, ...]

_TRADE_BUSTED = ev.TRADE_BUSTED
_TRADE_CORRECTED = ev.TRADE_CORRECTED


class OuchAccount:
    """Base of the OUCH 4.2 and 5.0 accounts (see the module documentation).

    :param session: the configured login.
    :param venue: the venue it trades at.
    :param store: where its sequenced messages persist.
    :param firm: the MPID used when an order leaves its firm blank.
    """

    #: prefix of the account's store namespace and streams
    prefix: ClassVar[str] = "ouch"

    def __init__(self, session: Session, venue: Venue, store: Store, firm: str = "") -> None:
        self.session = session
        self.sid = session.id
        self.venue = venue
        self.store = store
        self.clock = venue.clock
        self.day = DayClock(venue.zone)
        self.firm = firm.upper().ljust(4)[:4].encode("ascii")
        #: wire identity (token or UserRefNum) -> venue order id (0: never live)
        self.keys: dict[Any, int] = {}
        self._scales: dict[str, tuple[PriceScale, int]] = {}
        #: raw Stock/Symbol field -> (symbol, price scale, quantity units per share),
        #: for the instruments the venue trades (the fast paths of order entry)
        self.stocks: dict[bytes, tuple[str, PriceScale, int]] = {}
        #: the login's firm and account name, for orders that leave Firm blank (None:
        #: the firm is not a valid MPID; the general paths reject such orders)
        self.blank_firm = (
            None
            if self.firm.translate(None, FIRM_CHARS)
            else (self.firm, self.firm.decode("ascii").strip() or None)
        )
        self.conn: SoupConnection | None = None
        self._handlers: dict[int, Callable[[Event, Any, int], None]] = {
            ev.ACCEPTED: self.on_accepted,
            ev.REJECTED: self.on_rejected,
            ev.FILL: self.on_fill,
            ev.CANCELED: self.on_canceled,
            ev.REPLACED: self.on_replaced,
            ev.CANCEL_REJECTED: self.on_cancel_rejected,
            ev.RESTATED: self.on_restated,
            ev.HELD: self.on_held,
            ev.MASS_CANCELED: self.on_mass_canceled,
        }
        self.log = self._open_log()
        venue.attach_session(self.sid, self.on_event)
        self._eod: Timer | None = self.clock.call_at(venue.next_end_of_day(), self._end_of_day)

    # ------------------------------------------------------------------ the log
    def _open_log(self) -> SequencedLog:
        namespace = f"{self.prefix}:{self.sid}"
        now = self.clock.now_ns()
        today = dt.datetime.fromtimestamp(now // 1_000_000_000, self.venue.zone).strftime("%Y%m%d")
        name = self.store.get(namespace, "soup_session")
        if name is None or not name.startswith(today):
            name = f"{today}01"
            self.store.put(namespace, "soup_session", name)
        lg = SequencedLog(self.store, f"{namespace}:{name}", name)
        if lg.last == 0:
            lg.append(self.system_event(self.day(now), b"S"))
        else:
            tags: Tags = {}
            start = 1
            while batch := lg.read(start, 4096):
                for message in batch:
                    self.recover(message, tags)
                start += len(batch)
            self._reattach(tags)
        self.store.flush()
        return lg

    def _reattach(self, tags: Tags) -> None:
        """Give the login's live orders that came back without a tag (a restart) the
        tag their last Accepted or Replaced describes."""
        sid = self.sid
        for order in self.venue.orders.values():
            if order.session == sid and order.tag is None:
                tag = tags.get(order.order_id)
                if tag is not None:
                    order.tag = tag

    def _end_of_day(self) -> None:
        self.emit(self.system_event(self.day(self.clock.now_ns()), b"E"))
        self._eod = self.clock.call_at(self.venue.next_end_of_day(), self._end_of_day)

    def close(self) -> None:
        """Stop following the venue (the endpoint is going away)."""
        if self._eod is not None:
            self._eod.cancel()
            self._eod = None
        if self.venue.sessions.get(self.sid) == self.on_event:
            self.venue.detach_session(self.sid)

    def emit(self, message: bytes) -> None:
        """Sequence an outbound message (persisted, then sent to a connected client)."""
        self.log.append(message)

    # ------------------------------------------------------------------ helpers
    def scale(self, symbol: str) -> tuple[PriceScale, int] | None:
        """The price converter and quantity units per share of ``symbol`` (None:
        the venue does not trade it)."""
        found = self._scales.get(symbol)
        if found is None:
            inst = self.venue.instruments.get(symbol)
            if inst is None:
                return None
            found = self._scales[symbol] = (PriceScale(inst.price_scale), inst.qty_scale)
        return found

    def stock(self, stock: bytes) -> tuple[str, PriceScale, int] | None:
        """What the raw Stock (Symbol) field ``stock`` names, remembered in
        :attr:`stocks`: its symbol, price scale and quantity units per share; None when
        the venue does not trade it."""
        symbol = stock.strip(b" ").decode("ascii", "replace")
        scale = self.scale(symbol)
        if scale is None:
            return None
        known = self.stocks[stock] = (symbol, scale[0], scale[1])
        return known

    def live(self, key: Any) -> Order | None:
        """The live order whose current identity is ``key``, or None."""
        oid = self.keys.get(key)
        if not oid:
            return None
        order = self.venue.orders.get(oid)
        if order is None or order.session != self.sid:
            return None
        tag = order.tag
        if type(tag) is not OrderTag or tag.key != key:
            return None
        return order

    def debug(self, text: str) -> None:
        """Tell the connected client (Debug packet) and the log why a message was
        refused."""
        log.info("session %s: %s", self.sid, text)
        if self.conn is not None:
            self.conn.send_debug(f"exsim: {text}")

    # ------------------------------------------------------------------ events
    def on_event(self, event: Event, now: int) -> None:
        """Venue event about one of this account's orders or requests."""
        kind = event[0]
        if kind == _TRADE_BUSTED or kind == _TRADE_CORRECTED:
            # about a trade, not one order: each side that is ours hears of it (OUCH has
            # no message for a correction)
            if kind == _TRADE_BUSTED:
                for order in (event[5], event[6]):
                    if order is not None and order.session == self.sid:
                        self.on_trade_busted(order, event[1], now)
            return
        tag = event[1].tag
        if type(tag) is not OrderTag:
            return
        handler = self._handlers.get(kind)
        if handler is None:
            return
        day = self.day
        start = day.start
        ts = now - start if start <= now < day.end else day(now)
        try:
            handler(event, tag, ts)
        except Exception:
            # one bad event must not stop the venue's delivery to everyone else
            log.exception("session %s: could not report %s", self.sid, ev.as_dict(event))

    def on_trade_busted(self, order: Order, trade_id: int, now: int) -> None:
        """A trade of ``order`` was broken by the venue."""

    # subclasses implement the ones their version answers
    def on_accepted(self, event: Event, tag: Any, ts: int) -> None: ...
    def on_rejected(self, event: Event, tag: Any, ts: int) -> None: ...
    def on_fill(self, event: Event, tag: Any, ts: int) -> None: ...
    def on_canceled(self, event: Event, tag: Any, ts: int) -> None: ...
    def on_replaced(self, event: Event, tag: Any, ts: int) -> None: ...
    def on_cancel_rejected(self, event: Event, tag: Any, ts: int) -> None: ...
    def on_restated(self, event: Event, tag: Any, ts: int) -> None: ...
    def on_held(self, event: Event, tag: Any, ts: int) -> None: ...
    def on_mass_canceled(self, event: Event, tag: Any, ts: int) -> None: ...

    # ------------------------------------------------------------------ version
    def handle(self, payload: bytes) -> None:
        """One inbound message (Unsequenced Data payload). Never raises for bad input."""
        raise NotImplementedError

    def system_event(self, ts: int, code: bytes) -> bytes:
        raise NotImplementedError

    def recover(self, message: bytes, tags: Tags) -> None:
        """Learn from one message of the log, read in order after a restart: the
        identities in use, and in ``tags`` each order's tag (by venue order id)."""
