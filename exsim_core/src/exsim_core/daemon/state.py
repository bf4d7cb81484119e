"""The daemon's state: a simulator, its journal and event queue, and what management
clients keep in it (order drafts, quotes).

:class:`Daemon` is synchronous; :mod:`exsim_core.daemon.runner` serves it (endpoints,
the management API, timers) inside an event loop. Every change goes through
:meth:`Daemon.execute`, so the management API, the configuration loader and a journal
replay all take the same path.
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from exsim_core.bot import Bot
from exsim_core.clock import Clock, ManualClock
from exsim_core.errors import Conflict, InvalidField
from exsim_core.managed import script_of, trade_log
from exsim_core.ops import AdvanceClock, CreateEndpoint, OpBase, Operation, apply
from exsim_core.ops.orders import Draft, QuoteDraft
from exsim_core.plugins import PluginHost
from exsim_core.protocol import Protocol
from exsim_core.sim import Simulator
from exsim_core.store import MemoryStore, Store

from .clocks import DaemonManualClock, DaemonWallClock, make_clock
from .events import DEFAULT_BOUND, EventQueue
from .journal import Journal

if TYPE_CHECKING:
    from exsim_core.session import Endpoint, Session
    from exsim_core.venue import Venue

    from .runner import Runtime

__all__ = ["OPERATION", "Daemon"]

log = logging.getLogger("exsim.daemon")

#: validates any operation from its JSON form
OPERATION: TypeAdapter[OpBase] = TypeAdapter(Operation)
NS = 1_000_000_000


class Daemon:
    """A simulator with everything the daemon adds to it.

    :param clock: ``"wall"`` or ``"manual"``.
    :param start_ns: first reading of a manual clock (default: its standard start).
    :param plugins: plugin modules to load besides the entry points.
    :param autoload: load entry points (default: unless disabled by environment).
    :param plugin_config: the ``[plugins.NAME]`` sections, validated.
    :param store: where the journal and protocols persist (default: memory).
    :param journal: record the journal (default: when ``store`` is not in memory; a
        journal kept in memory could only grow).
    :param durability: ``"sync"`` or ``"group"`` (see :mod:`exsim_core.daemon.journal`).
    :param event_bound: how many events the management queue keeps.
    :param base: the start configuration, as operations (``reset`` returns to it).
    :param host: a loaded plugin host to use (default: a new one).
    :param simulator: serve this simulator instead of building one (its clock and
        plugins are used as they are; a journal cannot be replayed onto it).
    """

    def __init__(
        self,
        *,
        clock: str = "wall",
        start_ns: int | None = None,
        seed: int = 0,
        plugins: Iterable[str] = (),
        autoload: bool | None = None,
        block: Iterable[str] = (),
        plugin_config: Mapping[str, Any] | None = None,
        store: Store | None = None,
        durability: str = "group",
        event_bound: int = DEFAULT_BOUND,
        base: Iterable[OpBase] = (),
        simulator: Simulator | None = None,
        host: PluginHost | None = None,
        journal: bool | None = None,
    ) -> None:
        self.start_ns = start_ns
        self.seed = seed
        if simulator is None:
            self.clock: Clock = make_clock(clock, start_ns)
            simulator = Simulator(
                self.clock,
                host=host,
                plugins=plugins,
                autoload=autoload,
                block=block,
                config=plugin_config,
            )
        else:
            self.clock = simulator.clock
        self.clock_kind = "manual" if isinstance(self.clock, ManualClock) else "wall"
        self.simulator = simulator
        self.store = store or MemoryStore()
        self.journal = Journal(self.store, durability)
        self.journaling = (
            journal if journal is not None else not isinstance(self.store, MemoryStore)
        )
        self.journal.enabled = self.journaling
        self.events = EventQueue(event_bound)
        self.base: list[OpBase] = list(base)
        self.drafts: dict[str, Draft] = {}
        self.quotes: dict[str, QuoteDraft] = {}
        #: running protocol instances by endpoint name (while served)
        self.protocols: dict[str, Protocol] = {}
        #: server-side errors since the last reset (reported by ``check``)
        self.errors: list[str] = []
        self.replaying = False
        self.runtime: Runtime | None = None
        self._bots_to_start: list[str] = []
        self._draft_ids = itertools.count(1)
        for venue in simulator.venues.values():
            self.venue_created(venue)

    # ------------------------------------------------------------------ operations
    def execute(self, op: OpBase) -> dict[str, Any]:
        """Validate and perform ``op``; journal it when it is a configuration change."""
        result = apply(self, op)
        if op.journaled:
            self.journal.record_op(op.model_dump(mode="json"), self.clock.now_ns())
        return result

    def open(self) -> None:
        """Build the state: replay the journal when it has entries, else apply the start
        configuration."""
        if not self.journal.empty:
            self.replay()
        else:
            for op in self.base:
                self.execute(op)

    def flush(self) -> None:
        """Commit the journal (see its durability notes)."""
        self.journal.flush()

    def next_draft_id(self) -> str:
        while True:
            candidate = f"order-{next(self._draft_ids)}"
            if candidate not in self.drafts:
                return candidate

    # ------------------------------------------------------------------ wiring
    def venue_created(self, venue: Venue) -> None:
        venue.subscribe(self.events.listener(venue))
        trade_log(venue)
        if self.journaling:
            venue.recorder = functools.partial(self.journal.record, venue.name)
        script_of(venue).replaying = self.replaying

    def endpoint_created(self, endpoint: Endpoint) -> None:
        if self.runtime is not None:
            self.runtime.want_start(endpoint.name)

    def endpoint_deleted(self, name: str) -> None:
        if self.runtime is not None:
            self.runtime.want_stop(name)
        self.protocols.pop(name, None)

    def session_created(self, session: Session) -> None:
        protocol = self.protocols.get(session.endpoint)
        if protocol is not None:
            protocol.session_added(session)

    def start_bot(self, bot: Bot) -> None:
        if self.replaying:
            if bot.session not in self._bots_to_start:
                self._bots_to_start.append(bot.session)
        else:
            bot.start()

    def stop_bot(self, bot: Bot) -> None:
        if bot.session in self._bots_to_start:
            self._bots_to_start.remove(bot.session)
        bot.stop()

    # ------------------------------------------------------------------ time
    def advance_clock(self, op: AdvanceClock) -> dict[str, Any]:
        clock = self.clock
        if not isinstance(clock, ManualClock):
            raise Conflict("the daemon runs on the wall clock; only a manual clock can be advanced")
        now = clock.now_ns()
        if op.to_ns is not None:
            if op.to_ns < now:
                raise InvalidField(("to_ns",), f"the clock reads {now}; it cannot go backwards")
            target = op.to_ns
        else:
            target = now + op.ns + int(op.seconds * NS)
        if self.replaying:
            assert isinstance(clock, DaemonManualClock)
            clock.pin(target)
            return {"now_ns": target, "timers_run": 0}
        ran = clock.set(target)
        self.journal.record_op(AdvanceClock(to_ns=target).model_dump(mode="json"), target)
        return {"now_ns": target, "timers_run": ran}

    # ------------------------------------------------------------------ replay
    def replay(self) -> None:
        """Rebuild the state from the journal (see :mod:`exsim_core.daemon.replay`)."""
        from .replay import replay_journal

        self.replaying = True
        self.journal.enabled = False
        try:
            count = replay_journal(self)
        finally:
            self.replaying = False
            self.journal.enabled = self.journaling
            if isinstance(self.clock, DaemonWallClock | DaemonManualClock):
                self.clock.unpin()
            for venue in self.simulator.venues.values():
                script_of(venue).replaying = False
        for name in self._bots_to_start:
            bot = self.simulator.bot_instances.get(name)
            if bot is not None:
                bot.start()
                bot.orders.update(
                    (o.order_id, o) for o in bot.venue.orders.values() if o.session == bot.session
                )
        self._bots_to_start.clear()
        log.info("replayed %d journal entries", count)

    # ------------------------------------------------------------------ reset
    def reset(self) -> None:
        """Back to the start configuration (see :class:`exsim_core.ops.Reset`)."""
        sim = self.simulator
        ports = {name: ep.port for name, ep in sim.endpoints.items()}
        for name in list(sim.bot_instances):
            sim.delete_bot(name)
        for name in list(sim.endpoints):
            self.endpoint_deleted(name)
            sim.delete_endpoint(name)
        for name in list(sim.venues):
            sim.delete_venue(name)
        self.drafts.clear()
        self.quotes.clear()
        self.errors.clear()
        if isinstance(self.clock, DaemonManualClock):
            self.clock = make_clock("manual", self.start_ns)
            sim.clock = self.clock
        # a fresh venue in every respect: protocols' sequence numbers and resend logs
        # go with the journal (sessions start again at 1)
        self.journal.truncate()
        self.store.clear()
        self.store.flush()
        for op in self.base:
            if isinstance(op, CreateEndpoint) and op.port == 0 and ports.get(op.name):
                # keep the port the clients already know
                op = op.model_copy(update={"port": ports[op.name]})
            self.execute(op)
        self.events.note({"kind": "reset"}, self.clock.now_ns())

    # ------------------------------------------------------------------ reports
    def check(self) -> dict[str, Any]:
        """Server-side errors and unused expectations since the last reset."""
        unused: list[dict[str, Any]] = []
        problems: list[str] = []
        for name, venue in sorted(self.simulator.venues.items()):
            report = script_of(venue).report()
            unused += [dict(e, venue=name) for e in report["unused"]]
            problems += [f"{name}: {p}" for p in report["problems"]]
        return {"errors": list(self.errors), "unused_expectations": unused, "problems": problems}

    def record_error(self, text: str) -> None:
        self.errors.append(text)
        if len(self.errors) > 1000:
            del self.errors[: len(self.errors) - 1000]

    def describe(self) -> dict[str, Any]:
        return {
            "clock": self.clock_kind,
            "now_ns": self.clock.now_ns(),
            "venues": sorted(self.simulator.venues),
            "endpoints": {n: e.describe() for n, e in sorted(self.simulator.endpoints.items())},
            "journal_entries": self.journal.seq,
            "events": self.events.last,
        }
