"""Rebuild a daemon's state from its journal (see :mod:`exsim_core.daemon.journal`).

Each entry runs with the clock pinned at the reading it was recorded with, in recorded
order, through the same doors it first came through (operations through
:func:`exsim_core.ops.apply`, commands through the venue), so order ids, time priority,
trade ids and expiry come out exactly as they were. Timers never run during a replay:
their firings are entries. Bots are started only once the replay is over, so that they
do not answer replayed events with new orders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exsim_core.errors import ExsimError
from exsim_core.managed import perform
from exsim_core.ops import apply
from exsim_core.order import Cancel, MassCancel, Order, Replace

if TYPE_CHECKING:
    from exsim_core.venue import Venue

    from .state import Daemon

__all__ = ["ReplayError", "replay_journal"]


class ReplayError(ExsimError):
    """The journal does not replay to the state it recorded (a different plugin set,
    a changed engine): the daemon refuses to start rather than run on a wrong state."""


def replay_journal(daemon: Daemon) -> int:
    """Replay every entry of ``daemon``'s journal; returns how many ran."""
    from .clocks import DaemonManualClock, DaemonWallClock
    from .state import OPERATION

    clock = daemon.clock
    if not isinstance(clock, DaemonWallClock | DaemonManualClock):
        raise ReplayError("a journal replays only onto a daemon that built its own clock")
    count = 0
    for count, entry in enumerate(daemon.journal.entries(), 1):
        clock.pin(entry["t"])
        kind, payload = entry["k"], entry["p"]
        try:
            if kind == "op":
                apply(daemon, OPERATION.validate_python(payload))
            else:
                _command(daemon.simulator.venue(entry["v"]), kind, payload)
        except ReplayError:
            raise
        except Exception as exc:
            raise ReplayError(
                f"journal entry {count} ({kind} at {entry['t']}) failed to replay: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
    return count


def _command(venue: Venue, kind: str, p: Any) -> None:
    if kind == "new":
        order = Order(*p[:16])
        venue.submit(order)
        if order.order_id != p[16]:
            raise ReplayError(
                f"order {p[16]} replayed as order {order.order_id} at venue {venue.name}"
            )
    elif kind == "cancel":
        venue.cancel(Cancel(p[0], p[1], p[2], p[3]))
    elif kind == "replace":
        venue.replace(
            Replace(p[0], p[1], p[2], qty=p[3], price=p[4], stop_price=p[5], display=p[6], tif=p[7])
        )
    elif kind == "mass_cancel":
        venue.mass_cancel(MassCancel(p[0], p[1], p[2], p[3], p[4]))
    elif kind == "cancel_session":
        venue.cancel_session(p)
    elif kind == "status":
        venue.set_status(p[1], p[0], p[2])
    elif kind == "expire":
        venue._expire(p)
    elif kind == "end_of_day":
        # the end of day fired here when it first ran: fire it now, and only now
        if venue._eod_timer is not None:
            venue._eod_timer.cancel()
        venue._end_of_day()
    elif kind == "managed":
        venue.run_in_batch(perform, venue, p)
    elif kind == "engine":
        book = venue.book(p[0])
        replay = getattr(book.engine, "replay", None)
        if replay is None:
            raise ReplayError(
                f"the {book.engine.name} engine of {p[0]} recorded journal entries but has no "
                "replay(payload) method to repeat them"
            )
        venue.run_in_batch(replay, p)
    else:
        raise ReplayError(f"unknown journal entry kind {kind!r}")
