"""One listener per venue that hands its events to the FIX sessions that want them.

Every FIX endpoint of a venue shares one :class:`VenueFeed`: it subscribes to the venue's
event batches once and, for each event,

* gives an order event to the FIX session that owns the order (acks, fills, cancels,
  replaces, rejects, holds, mass cancels),
* gives a copy to every drop-copy session (with the same ExecID, so a drop copy and the
  owner's report can be matched),
* and, after the batch, lets market-data subscriptions publish what changed.

ExecIDs: a fill's ExecID is the venue's own execution id; every other report gets
``<order id>-<n>`` from a per-venue counter, so ExecIDs are unique and the same inputs
give the same ids. The counter starts each run of the feed in a range of its own
(:data:`RUN_SPAN` numbers per run, the run number kept in the store under
``fix-venue:<venue>``): a daemon restarted on its database, whose venue replays the same
order ids, never repeats an ExecID it sent before the restart.
"""

from __future__ import annotations

import itertools
import weakref
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from collections.abc import Callable

    from exsim_core import Venue
    from exsim_core.store import Store

    from .marketdata import Subscription
    from .session import FixSession

__all__ = ["RUN_SPAN", "VenueFeed"]

#: ExecID numbers each run of a venue's feed may use before reaching the next run's
RUN_SPAN = 1_000_000_000

_ORDER_KINDS = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 13, 14})
_COPY_KINDS = frozenset({1, 2, 3, 4, 5, 7, 8})
_MD_KINDS = frozenset({10, 11, 12})


class VenueFeed:
    """The FIX sessions of one venue and the event routing between them."""

    _feeds: ClassVar[weakref.WeakKeyDictionary[Venue, VenueFeed]] = weakref.WeakKeyDictionary()

    @classmethod
    def of(cls, venue: Venue, store: Store) -> VenueFeed:
        """The feed of ``venue`` (created on first use, its run recorded in ``store``)."""
        feed = cls._feeds.get(venue)
        if feed is None:
            feed = cls._feeds[venue] = cls(venue, store)
        return feed

    def __init__(self, venue: Venue, store: Store) -> None:
        self.venue = venue
        self.owners: dict[str, FixSession] = {}
        self.copies: list[FixSession] = []
        #: symbol -> market-data subscriptions on it
        self.subscriptions: dict[str, list[Subscription]] = {}
        namespace = f"fix-venue:{venue.name}"
        run = int(store.get(namespace, "run") or 0)
        # committed with the store's next flush, before any ExecID of this run is sent
        store.put(namespace, "run", str(run + 1))
        self._ids = itertools.count(run * RUN_SPAN + 1)
        self._unsubscribe: Callable[[], None] | None = None

    def add(self, fix: FixSession) -> None:
        self.owners[fix.id] = fix
        if fix.session.role == "drop_copy":
            self.copies.append(fix)
        if self._unsubscribe is None:
            self._unsubscribe = self.venue.subscribe(self.on_batch)

    def remove(self, fix: FixSession) -> None:
        self.owners.pop(fix.id, None)
        if fix in self.copies:
            self.copies.remove(fix)
        if not self.owners and self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
            VenueFeed._feeds.pop(self.venue, None)

    def _trade_changed(self, ev: tuple[Any, ...]) -> None:
        """A trade was busted or corrected: tell the FIX owners of both orders."""
        orders = (ev[5], ev[6]) if ev[0] == 15 else (ev[7], ev[8])
        for order in orders:
            if order is None:
                continue
            owner = self.owners.get(order.session)
            if owner is not None:
                owner.app.on_trade_changed(ev, order, self.next_exec_id(order.order_id))

    def next_exec_id(self, order_id: int) -> bytes:
        return b"%d-%d" % (order_id, next(self._ids))

    def next_number(self) -> int:
        """A number no other report of this venue uses (for ids of refusals)."""
        return next(self._ids)

    def on_batch(self, batch: list[tuple[Any, ...]], now: int) -> None:
        owners = self.owners
        copies = self.copies
        touched: set[str] | None = None
        for ev in batch:
            kind = ev[0]
            if kind in _ORDER_KINDS:
                owner = owners.get(ev[1].session)
                if owner is None and not copies:
                    continue
                if kind == 3:
                    exec_id = b"%d" % ev[4]
                else:
                    subject = ev[1]
                    exec_id = b"%d-%d" % (getattr(subject, "order_id", 0), next(self._ids))
                if owner is not None:
                    owner.app.on_event(ev, exec_id)
                if copies and kind in _COPY_KINDS:
                    for copy in copies:
                        if copy is not owner:
                            copy.app.on_copy(ev, exec_id)
            elif kind == 15 or kind == 16:
                self._trade_changed(ev)
            elif kind in _MD_KINDS and self.subscriptions:
                symbol = ev[1]
                if symbol in self.subscriptions:
                    if touched is None:
                        touched = set()
                    touched.add(symbol)
        if touched:
            for symbol in touched:
                for sub in list(self.subscriptions.get(symbol, ())):
                    sub.publish(batch)
