"""The journal: every configuration operation and every venue command, in order, with
the clock reading it ran at, so that a restarted daemon rebuilds exactly the same state.

Entries live in the daemon's :class:`~exsim_core.store.Store` as the message stream
``journal`` (one JSON document per entry, numbered from 1), next to the protocols' own
sequence numbers and resend logs, so one commit covers both.

Entry layout: ``{"k": kind, "v": venue or null, "t": clock reading (ns), "p": payload}``.

=================  ==============================================================
kind               payload
=================  ==============================================================
``op``             a configuration operation (:mod:`exsim_core.ops`) as JSON
``new``            ``[order fields in Order() argument order..., order_id]``
``cancel``         ``[order_id, session, cl_ord_id, leaves_to]``
``replace``        ``[order_id, session, cl_ord_id, qty, price, stop_price, display, tif]``
``mass_cancel``    ``[session, symbol, side, account, cl_ord_id]``
``cancel_session`` session id
``status``         ``[symbol or null, status, text]``
``expire``         order id (a GTD timer fired)
``end_of_day``     null (the end-of-day timer fired)
``managed``        a managed action (see :func:`exsim_core.managed.perform`)
``engine``         ``[symbol, ...]``: an engine's own action (see below)
=================  ==============================================================

An engine (or behaviour) that changes its book from its own timers, through
:meth:`~exsim_core.Venue.run_in_batch`, records the action when it runs, with
``venue.recorder("engine", [symbol, ...], venue.now)``, and implements
``replay(payload)``: the replay calls it, inside a venue command, with the same payload.
Timers set while a journal is replayed still fire once it is over, so a timed action
checks that it still applies (the order may be done already), as GTD expiry does.

Timer firings are entries of their own because with a wall clock a timer runs a little
after its due time, possibly after a command that arrived in between: replaying the
recorded order, never re-running timers, is what makes the replay exact.

Durability: ``sync`` writes and commits (with SQLite ``synchronous=FULL``) every entry
as it is recorded; ``group`` buffers entries in memory and writes them in one transaction
when :meth:`Journal.flush` runs — the daemon flushes before every byte it sends (a socket
write of any protocol, a management response) and at least every
:data:`GROUP_INTERVAL` seconds, so nothing a client was told is ever lost to a crash of
the process. ``group`` commits are not fsynced (``synchronous=NORMAL``): a power failure
may lose the last group.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from exsim_core.order import Cancel, MassCancel, Order, Replace
from exsim_core.store import Store

__all__ = ["GROUP_INTERVAL", "STREAM", "Entry", "Journal", "encode"]

log = logging.getLogger("exsim.journal")

STREAM = "journal"
GROUP_INTERVAL = 0.05

Entry = dict[str, Any]


def encode(kind: str, payload: Any) -> Any:
    """The JSON-ready payload of a venue command (see the module table)."""
    if kind == "new":
        o: Order = payload
        return [
            o.symbol, o.side, o.qty, o.price, o.ord_type, o.tif, o.cl_ord_id, o.session,
            o.account, o.stop_price, o.display, o.min_qty, o.post_only, o.peg,
            o.peg_offset, o.expire_ns, o.order_id,
        ]  # fmt: skip
    if kind == "cancel":
        c: Cancel = payload
        return [c.order_id, c.session, c.cl_ord_id, c.leaves_to]
    if kind == "replace":
        r: Replace = payload
        return [r.order_id, r.session, r.cl_ord_id, r.qty, r.price, r.stop_price, r.display, r.tif]
    if kind == "mass_cancel":
        m: MassCancel = payload
        return [m.session, m.symbol, m.side, m.account, m.cl_ord_id]
    if kind == "status":
        symbol, status, text = payload
        return [symbol, str(status), text]
    return payload


class Journal:
    """Records entries into ``store`` (see the module documentation)."""

    def __init__(self, store: Store, durability: str = "group") -> None:
        self.store = store
        self.durability = durability
        self.seq = store.last_seq(STREAM)
        self._buffer: list[tuple[str, str | None, Any, int]] = []
        #: False while replaying: nothing is recorded twice
        self.enabled = True
        self.recorded = 0

    def record(self, venue: str | None, kind: str, payload: Any, now: int) -> None:
        """Record one venue command (a venue's ``recorder`` is this with its name bound)."""
        if not self.enabled:
            return
        self._buffer.append((kind, venue, encode(kind, payload), now))
        self.recorded += 1
        if self.durability == "sync":
            self.flush()

    def record_op(self, op: dict[str, Any], now: int) -> None:
        """Record a configuration operation (its JSON form)."""
        self.record(None, "op", op, now)

    def flush(self) -> None:
        """Write buffered entries and commit them (with the store's other writes)."""
        buffer = self._buffer
        if buffer:
            self._buffer = []
            store = self.store
            seq = self.seq
            for kind, venue, payload, now in buffer:
                seq += 1
                data = json.dumps(
                    {"k": kind, "v": venue, "t": now, "p": payload}, separators=(",", ":")
                )
                store.append(STREAM, seq, data.encode())
            self.seq = seq
        self.store.flush()

    def entries(self) -> Iterator[Entry]:
        """Every recorded entry, oldest first."""
        for _, data in self.store.read(STREAM):
            entry: Entry = json.loads(data)
            yield entry

    def truncate(self) -> None:
        """Forget every entry (the state is being rebuilt from scratch)."""
        self._buffer.clear()
        self.store.truncate(STREAM)
        self.seq = 0
        self.store.flush()

    @property
    def empty(self) -> bool:
        return self.seq == 0 and not self._buffer
