"""The management event queue: every venue event, numbered, for clients that poll.

Each event gets a cursor (1, 2, 3... for the life of the daemon process). A client asks
for the events after the last cursor it saw (``GET /v1/events?after=N&wait=S``) and, when
there are none yet, waits up to ``S`` seconds for one. The queue keeps the last
``bound`` events; a client that fell further behind first receives an explicit
``{"kind": "dropped", "from": N, "to": M}`` marker for the cursors it missed, never a
silent gap.

Events are kept as the venue's tuples (with the state of their order at the time) and
rendered to JSON only when read, so an unread queue costs little.
"""

from __future__ import annotations

from collections import deque
from itertools import islice
from typing import TYPE_CHECKING, Any

import anyio

from exsim_core.events import REPLACED
from exsim_core.ops.render import event_view
from exsim_core.order import Order

if TYPE_CHECKING:
    from exsim_core.venue import Listener, Venue

__all__ = ["DEFAULT_BOUND", "EventQueue"]

DEFAULT_BOUND = 100_000
MAX_READ = 10_000


class EventQueue:
    """Numbered venue events, bounded (see the module documentation)."""

    def __init__(self, bound: int = DEFAULT_BOUND) -> None:
        self.bound = bound
        self.items: deque[tuple[int, Any, int, Any, Any]] = deque(maxlen=bound)
        self.last = 0
        self._wake: anyio.Event | None = None

    def listener(self, venue: Venue) -> Listener:
        """A venue listener that queues the venue's events."""
        items = self.items

        def listen(batch: list[tuple[Any, ...]], now: int) -> None:
            last = self.last
            for ev in batch:
                last += 1
                first = ev[1] if len(ev) > 1 else None
                snap: tuple[Any, ...] | None = None
                if isinstance(first, Order):
                    # a replace's new terms, as they were: the order may change again
                    snap = (
                        (first.status, first.cl_ord_id, first.qty, first.price)
                        if ev[0] == REPLACED
                        else (first.status, first.cl_ord_id)
                    )
                items.append((last, venue, now, ev, snap))
            self.last = last
            self._notify()

        return listen

    def note(self, view: dict[str, Any], now: int) -> None:
        """Queue an event of the daemon's own (a reset, a problem), already rendered."""
        self.last += 1
        self.items.append((self.last, None, now, view, None))
        self._notify()

    def _notify(self) -> None:
        wake = self._wake
        if wake is not None:
            self._wake = None
            wake.set()

    def read(self, after: int, limit: int = 1000) -> list[dict[str, Any]]:
        """Rendered events with a cursor above ``after`` (at most ``limit``), preceded by
        a ``dropped`` marker when some were already discarded."""
        limit = max(1, min(limit, MAX_READ))
        items = self.items
        out: list[dict[str, Any]] = []
        if not items or after >= self.last:
            return out
        oldest = items[0][0]
        if after + 1 < oldest:
            out.append(
                {
                    "cursor": oldest - 1,
                    "kind": "dropped",
                    "from": max(after + 1, 1),
                    "to": oldest - 1,
                }
            )
        start = max(0, after + 1 - oldest)
        # islice walks the deque once; indexing its middle would cost O(n) per item
        for cursor, venue, now, ev, snap in islice(items, start, start + limit):
            if venue is None:
                view = dict(ev)
            else:
                view = event_view(venue, ev, snap)
            view["cursor"] = cursor
            view["time_ns"] = now
            out.append(view)
        return out

    async def wait(self, after: int, timeout: float) -> None:
        """Return once an event with a cursor above ``after`` exists, or after
        ``timeout`` seconds."""
        if self.last > after or timeout <= 0:
            return
        with anyio.move_on_after(timeout):
            while self.last <= after:
                if self._wake is None:
                    self._wake = anyio.Event()
                await self._wake.wait()
