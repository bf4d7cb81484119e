"""How a venue's commands run and their events go out.

A command runs alone: one that arrives while another is running (a bot answering a
fill, a behaviour reacting to an ack, a listener sending an order) is queued and run,
in order, right after it. The events a command produced go out as one batch, stamped
with one clock reading, first to the session that owns each order event, then to every
venue listener, so that every listener sees batches in the order of the commands that
caused them.

The functions here are :class:`~exsim_core.Venue` methods (bound in its class body); the
hottest command, :meth:`Venue.submit <exsim_core.Venue.submit>`, inlines
:func:`flush` for speed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .venue import Venue

__all__ = [
    "Batch",
    "Listener",
    "SessionHandler",
    "attach_session",
    "command",
    "deferred_command",
    "detach_session",
    "drain",
    "flush",
    "route",
    "run_in_batch",
    "subscribe",
]

#: the events of one command, as the venue delivers them
Batch = list[tuple[Any, ...]]
#: ``listener(batch, now_ns)``: sees every batch (spelt out in signatures, for the docs)
Listener = Callable[[Batch, int], None]
#: ``handler(event, now_ns)``: sees the events of one session's orders
SessionHandler = Callable[[tuple[Any, ...], int], None]

#: event kinds whose second item is the order (or request) of one session
_ORDER_EVENTS = frozenset(range(1, 9)) | {14}
_REQUEST_EVENTS = frozenset({6, 13})
#: TRADE_BUSTED and TRADE_CORRECTED: delivered to the owners of the buy and sell orders
_TRADE_FIX_EVENTS = frozenset({15, 16})


def subscribe(
    self: Venue, listener: Callable[[list[tuple[Any, ...]], int], None]
) -> Callable[[], None]:
    """Call ``listener(batch, now_ns)`` with every batch of events; returns a function
    that unsubscribes. The batch list is reused: copy what you keep."""
    self.listeners.append(listener)

    def unsubscribe() -> None:
        if listener in self.listeners:
            self.listeners.remove(listener)

    return unsubscribe


def attach_session(
    self: Venue, session: str, handler: Callable[[tuple[Any, ...], int], None]
) -> None:
    """Deliver the events of orders owned by ``session`` to ``handler(event, now)``."""
    self.sessions[session] = handler


def detach_session(self: Venue, session: str) -> None:
    """Stop delivering ``session``'s events (its orders stay live)."""
    self.sessions.pop(session, None)


def run_in_batch(self: Venue, fn: Callable[..., Any], *args: Any) -> None:
    """Run ``fn(*args)`` as one command: its events go out as one batch. Engines and
    plugins use this for work of their own (a behaviour's delayed fill)."""
    self._command(fn, *args)


def command(
    self: Venue, fn: Callable[..., Any], *args: Any, record: str = "", payload: Any = None
) -> None:
    """Run ``fn(*args)`` as one command (queued if another is running), after handing
    it to the recorder as ``record`` with ``payload`` (default: the first argument)."""
    if self._busy:
        self._deferred.append((self._deferred_command, (fn, args, record, payload)))
        return
    self._busy = True
    try:
        self.now = self._now_ns()
        if record and self.recorder is not None:
            self.recorder(
                record, payload if payload is not None else args[0] if args else None, self.now
            )
        fn(*args)
        if self.out:
            self._flush()
    finally:
        self._busy = False
    if self._deferred:
        self._drain()


def deferred_command(
    self: Venue, fn: Callable[..., Any], args: tuple[Any, ...], record: str, payload: Any
) -> None:
    """A queued :func:`command`, run when its turn comes."""
    self._command(fn, *args, record=record, payload=payload)


def drain(self: Venue) -> None:
    """Run the queued commands, in order, until none is left."""
    deferred = self._deferred
    while deferred and not self._busy:
        fn, args = deferred.popleft()
        fn(*args)


def flush(self: Venue) -> None:
    """Send the pending batch to its sessions and the listeners, then empty it."""
    out = self.out
    now = self.now
    try:
        if self.sessions:
            self._route(out, now)
        for listener in self.listeners:
            listener(out, now)
    finally:
        out.clear()


def route(self: Venue, batch: Iterable[tuple[Any, ...]], now: int) -> None:
    """Hand each event to the session that owns it (both owners for a bust or a
    correction, each once)."""
    sessions = self.sessions
    for ev in batch:
        kind = ev[0]
        if kind in _ORDER_EVENTS or kind in _REQUEST_EVENTS:
            handler = sessions.get(ev[1].session)
            if handler is not None:
                handler(ev, now)
        elif kind in _TRADE_FIX_EVENTS:
            owners = {o.session for o in ev[-2:] if o is not None}
            for owner in sorted(owners):
                handler = sessions.get(owner)
                if handler is not None:
                    handler(ev, now)
