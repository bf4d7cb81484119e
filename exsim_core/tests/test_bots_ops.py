"""Bots through the operations: create, configure, start, stop; a journal restart
rebuilds their orders and starts the ones that were running."""

from __future__ import annotations

from pathlib import Path

import pytest

from exsim_core import Bot, BotParams, Registrar, hookimpl
from exsim_core.daemon import Daemon
from exsim_core.errors import InvalidField
from exsim_core.ops import (
    AdvanceClock,
    ConfigureBot,
    CreateBot,
    CreateInstrument,
    CreateVenue,
    StopBot,
)
from exsim_core.store import SqliteStore
from exsim_core.testing import register_plugin


class QuoterParams(BotParams):
    price: int = 1000
    every_ns: int = 1_000_000_000


class Quoter(Bot):
    """Rests one buy order every interval."""

    name = "quoter"
    Params = QuoterParams

    def on_start(self) -> None:
        params = self.params
        assert isinstance(params, QuoterParams)
        self.every(params.every_ns, lambda: self.send(1, 10, params.price, tif=1))


class _Plugin:
    @hookimpl
    def exsim_register_bots(self, registry: Registrar) -> None:
        registry.add(Quoter)


def _daemon(db: Path | None = None) -> Daemon:
    d = Daemon(clock="manual", autoload=False, store=SqliteStore(db) if db else None)
    register_plugin(d.simulator, _Plugin())
    return d


def _setup(d: Daemon) -> None:
    d.execute(CreateVenue(name="X"))
    d.execute(
        CreateInstrument.model_validate(
            {"venue": "X", "instrument": {"asset_class": "equity", "symbol": "A"}}
        )
    )


def test_a_started_bot_trades_on_the_clock_and_stops_with_its_orders_canceled() -> None:
    d = _daemon()
    d.open()
    _setup(d)
    d.execute(CreateBot(kind="quoter", venue="X", symbol="A", name="q", start=True))
    d.execute(AdvanceClock(seconds=3))  # type: ignore[arg-type]
    venue = d.simulator.venue("X")
    assert len(venue.orders) == 3
    d.execute(StopBot(name="q"))
    assert venue.orders == {}


def test_bad_bot_parameters_name_the_field_and_change_nothing() -> None:
    d = _daemon()
    d.open()
    _setup(d)
    d.execute(CreateBot(kind="quoter", venue="X", symbol="A", name="q"))
    with pytest.raises(InvalidField) as info:
        d.execute(ConfigureBot(name="q", params={"price": "cheap"}))
    assert info.value.loc == ("params",)
    assert d.simulator.bot("q").params.model_dump() == {"price": 1000, "every_ns": 1_000_000_000}


def test_a_restart_rebuilds_a_running_bots_orders_and_restarts_it(tmp_path: Path) -> None:
    d = _daemon(tmp_path / "j.db")
    d.open()
    _setup(d)
    d.execute(CreateBot(kind="quoter", venue="X", symbol="A", name="q", start=True))
    d.execute(AdvanceClock(seconds=2))  # type: ignore[arg-type]
    d.flush()
    again = _daemon(tmp_path / "j.db")
    again.open()
    bot = again.simulator.bot("q")
    assert bot.running
    assert sorted(bot.orders) == [1, 2]
    again.execute(AdvanceClock(seconds=1))  # type: ignore[arg-type]
    assert sorted(again.simulator.venue("X").orders) == [1, 2, 3]
