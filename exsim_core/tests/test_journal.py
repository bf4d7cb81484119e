"""The journal rebuilds the exact state on restart: same orders, ids and priority; GTC
survives, DAY expires as the clock says; timer firings replay where they happened."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import anyio
import anyio.abc
import pytest

from exsim_core import Engine, Order, OrderType, Protocol, Registrar, hookimpl
from exsim_core.daemon import Daemon, ServeOptions, serve
from exsim_core.ops import (
    AdvanceClock,
    CreateEndpoint,
    CreateInstrument,
    CreateOrder,
    CreateVenue,
    OrderFields,
)
from exsim_core.protocol import ProtocolContext
from exsim_core.store import SqliteStore
from exsim_core.testing import register_plugin

NS = 1_000_000_000
#: 2026-01-05 20:59:59 UTC is 15:59:59 in New York: one second before the end of day
BEFORE_CLOSE = 1_767_646_799 * NS


def _daemon(db: Path, clock: str = "manual", start_ns: int | None = None) -> Daemon:
    return Daemon(clock=clock, start_ns=start_ns, autoload=False, store=SqliteStore(db))


def _setup(d: Daemon) -> None:
    d.execute(
        CreateVenue.model_validate({"name": "X", "settings": {"timezone": "America/New_York"}})
    )
    d.execute(
        CreateInstrument.model_validate(
            {"venue": "X", "instrument": {"asset_class": "equity", "symbol": "A"}}
        )
    )


def _order(d: Daemon, side: str, price: str, tif: str = "GTC", qty: str = "10") -> int:
    fields = OrderFields(symbol="A", side=side, qty=qty, price=price, tif=tif)  # type: ignore[arg-type]
    result = d.execute(CreateOrder(venue="X", fields=fields, submit=True))
    return int(result["order"]["order_id"])


def _book(d: Daemon) -> list[tuple[Any, ...]]:
    book = d.simulator.venue("X").book("A")
    return [
        (o.order_id, o.side, o.price, o.leaves, o.tif, o.seq)
        for s in (1, 2)
        for o in book.resting(s)
    ]


def test_a_restart_rebuilds_resting_orders_in_priority(tmp_path: Path) -> None:
    d = _daemon(tmp_path / "j.db")
    d.open()
    _setup(d)
    for i in range(20):
        _order(d, "buy" if i % 2 else "sell", f"{100 + (i % 3) if i % 2 == 0 else 99 - (i % 3)}.00")
    _order(d, "buy", "101.00", qty="15")  # trades with the resting sells
    before = _book(d)
    d.flush()
    again = _daemon(tmp_path / "j.db")
    again.open()
    assert _book(again) == before
    assert again.simulator.venue("X").last_order_id == 21


def test_gtc_survives_and_day_expires_when_the_clock_passes_the_end_of_day(tmp_path: Path) -> None:
    d = _daemon(tmp_path / "j.db", start_ns=BEFORE_CLOSE)
    d.open()
    _setup(d)
    gtc = _order(d, "buy", "10.00", "GTC")
    day = _order(d, "buy", "10.00", "DAY")
    d.flush()
    again = _daemon(tmp_path / "j.db", start_ns=BEFORE_CLOSE)
    again.open()
    venue = again.simulator.venue("X")
    assert set(venue.orders) == {gtc, day}
    again.execute(AdvanceClock(seconds=2))  # type: ignore[arg-type]
    assert set(venue.orders) == {gtc}


def test_a_timer_that_fired_after_a_command_replays_after_it(tmp_path: Path) -> None:
    d = _daemon(tmp_path / "j.db", clock="wall")
    clock = d.clock
    clock.pin(BEFORE_CLOSE)  # type: ignore[attr-defined]
    d.open()
    _setup(d)
    close = BEFORE_CLOSE + NS
    # a DAY order arrives 1 ms after the close is due, before the close timer has run
    clock.pin(close + 1_000_000)  # type: ignore[attr-defined]
    late = _order(d, "buy", "10.00", "DAY")
    clock.pin(close + 2_000_000)  # type: ignore[attr-defined]
    assert clock.run_due() == 1
    assert late not in d.simulator.venue("X").orders
    d.flush()
    again = _daemon(tmp_path / "j.db", clock="wall")
    again.open()
    assert again.simulator.venue("X").orders == {}


def test_a_replayed_journal_is_not_recorded_twice(tmp_path: Path) -> None:
    d = _daemon(tmp_path / "j.db")
    d.open()
    _setup(d)
    _order(d, "buy", "10.00")
    d.flush()
    entries = d.journal.seq
    again = _daemon(tmp_path / "j.db")
    again.open()
    again.flush()
    assert again.journal.seq == entries


class _DelayedFill(Engine):
    """Acknowledges, then fills everything one second later, from its own timer."""

    name = "delayed_fill"

    def on_new(self, order: Order, order_type: OrderType) -> None:
        self.book.accept(order)
        self.book.rest(order)
        venue = self.book.venue
        venue.clock.call_later(NS, venue.run_in_batch, self._fill, order.order_id)

    def _fill(self, order_id: int) -> None:
        venue = self.book.venue
        if order_id not in self.book.orders:
            return  # a timer set during a replay whose action the journal already ran
        if venue.recorder is not None:
            venue.recorder("engine", [self.book.symbol, order_id], venue.now)
        self.replay([self.book.symbol, order_id])

    def replay(self, payload: list[Any]) -> None:
        order = self.book.orders[payload[1]]
        self.book.fill(order, order.leaves, order.price or 0)


class _EnginePlugin:
    @hookimpl
    def exsim_register_engines(self, registry: Registrar) -> None:
        registry.add(_DelayedFill)


def test_an_engines_own_timed_action_is_journaled_and_replayed(tmp_path: Path) -> None:
    def make() -> Daemon:
        d = _daemon(tmp_path / "j.db")
        register_plugin(d.simulator, _EnginePlugin())
        return d

    d = make()
    d.open()
    d.execute(CreateVenue.model_validate({"name": "X", "settings": {"engine": "delayed_fill"}}))
    d.execute(
        CreateInstrument.model_validate(
            {"venue": "X", "instrument": {"asset_class": "equity", "symbol": "A"}}
        )
    )
    _order(d, "buy", "10.00")
    d.execute(AdvanceClock(seconds=2))  # type: ignore[arg-type]
    assert d.simulator.venue("X").orders == {}
    d.flush()
    again = make()
    again.open()
    venue = again.simulator.venue("X")
    assert venue.orders == {}
    assert venue.book("A").volume == 10
    again.execute(AdvanceClock(seconds=2))  # type: ignore[arg-type]
    assert venue.book("A").volume == 10


class _Feed(Protocol):
    """A protocol that sends by its own means (as a UDP feed does): it keeps its
    context, to commit before sending."""

    name = "test_feed"
    transport = "none"
    contexts: ClassVar[list[ProtocolContext]] = []

    async def run(self, task_status: anyio.abc.TaskStatus[Any]) -> None:
        self.contexts.append(self.context)
        task_status.started()


class _FeedPlugin:
    @hookimpl
    def exsim_register_protocols(self, registry: Registrar) -> None:
        registry.add(_Feed)


@pytest.mark.anyio
async def test_a_served_protocols_commit_commits_the_journal_before_it_sends(
    tmp_path: Path,
) -> None:
    d = _daemon(tmp_path / "j.db")
    register_plugin(d.simulator, _FeedPlugin())
    d.base = [CreateVenue(name="X"), CreateEndpoint(name="feed", protocol="test_feed", venue="X")]
    options = ServeOptions(http=False, signals=False)
    async with anyio.create_task_group() as tg:
        await tg.start(serve, d, options)
        _setup_instrument(d)
        _order(d, "buy", "10.00")  # recorded; in group durability not committed yet
        # (no await since the daemon started: its group commit has not run either)
        committed = SqliteStore(tmp_path / "j.db")
        before = committed.last_seq("journal")
        _Feed.contexts[-1].commit()
        after = committed.last_seq("journal")
        assert d.runtime is not None
        d.runtime.stop()
    # the venue, the endpoint, the instrument and the order: none committed before
    assert (before, after) == (0, 4)


def _setup_instrument(d: Daemon) -> None:
    d.execute(
        CreateInstrument.model_validate(
            {"venue": "X", "instrument": {"asset_class": "equity", "symbol": "A"}}
        )
    )
