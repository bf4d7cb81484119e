"""Tests of the template's bot, on a manual clock: copy them along with the bot.

Each test builds a simulator that loads the plugin by module name, a venue trading one
instrument, and drives the bot through the calls the configuration and the management
API use (create, start, reconfigure, stop, report).
"""

from __future__ import annotations

from decimal import Decimal

import pydantic
import pytest

from exsim_core import BUY, SELL, Equity, ManualClock, Order, Simulator, TimeInForce

PLUGIN = "exsim_bot_template.plugin"
KIND = "template_quoter"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sim(clock: ManualClock) -> Simulator:
    sim = Simulator(clock=clock, autoload=False, plugins=[PLUGIN])
    venue = sim.create_venue("XSIM")
    venue.add_instrument(Equity(symbol="ACME", reference_price="10.00"))
    return sim


def _quotes(sim: Simulator) -> tuple[int | None, int | None]:
    book = sim.venue("XSIM").book("ACME")
    return book.best_bid, book.best_ask


def test_installed_distribution_registers_the_bot_kind() -> None:
    sim = Simulator(clock=ManualClock(), autoload=True)
    info = sim.host.plugins["bot_template"]
    assert (info.distribution, info.registered) == ("exsim-bot-template", {"bots": [KIND]})


def test_quotes_a_bid_and_an_ask_around_the_reference_price(sim: Simulator) -> None:
    sim.create_bot(KIND, "XSIM", "ACME").start()
    assert _quotes(sim) == (998, 1002)


def test_trades_with_a_client_and_reports_position_and_pnl(
    sim: Simulator, clock: ManualClock
) -> None:
    bot = sim.create_bot(KIND, "XSIM", "ACME", {"qty_lots": 10})
    bot.start()
    client = Order("ACME", BUY, 10, None, "market", TimeInForce.IOC, session="client")
    sim.venue("XSIM").submit(client)
    report = bot.report()
    assert (client.cum_qty, client.avg_px_units) == (10, 1002)
    assert (report["position"], report["fills"]) == ("-10", 1)
    assert Decimal(report["pnl"]) == Decimal("0.00")  # sold at 10.02, marked at 10.02


def test_quotes_again_around_the_trade_after_a_fill(sim: Simulator, clock: ManualClock) -> None:
    bot = sim.create_bot(KIND, "XSIM", "ACME", {"interval_ms": 60_000})
    bot.start()
    sim.venue("XSIM").submit(Order("ACME", SELL, 1, 998, session="client"))
    assert _quotes(sim) == (None, 1002)
    clock.advance(0)
    # the book was one-sided: the last trade (9.98) is the price to quote around
    assert _quotes(sim) == (996, 1000)


def test_updates_at_each_interval_with_jitter_from_its_seed(
    sim: Simulator, clock: ManualClock
) -> None:
    def mids(seed: int) -> list[int]:
        s = Simulator(clock=ManualClock(), autoload=False, plugins=[PLUGIN])
        s.create_venue("XSIM").add_instrument(Equity(symbol="ACME", reference_price="10.00"))
        bot = s.create_bot(KIND, "XSIM", "ACME", {"jitter_ticks": 3}, seed=seed)
        bot.start()
        out = []
        for _ in range(20):
            assert isinstance(s.clock, ManualClock)
            s.clock.advance(seconds=1)
            bid, ask = _quotes(s)
            assert bid is not None
            assert ask is not None
            out.append((bid + ask) // 2)
        return out

    assert mids(1) == mids(1)
    assert mids(1) != mids(2)
    assert len(set(mids(1))) > 3


def test_reconfigure_applies_at_once(sim: Simulator) -> None:
    bot = sim.create_bot(KIND, "XSIM", "ACME")
    bot.start()
    bot.reconfigure({"spread_ticks": 10})
    assert _quotes(sim) == (995, 1005)


def test_stop_cancels_the_quotes(sim: Simulator, clock: ManualClock) -> None:
    bot = sim.create_bot(KIND, "XSIM", "ACME")
    bot.start()
    bot.stop()
    clock.advance(seconds=10)
    assert (_quotes(sim), bot.orders) == ((None, None), {})


def test_bad_parameters_are_refused_with_the_field_named(sim: Simulator) -> None:
    with pytest.raises(pydantic.ValidationError, match="spread_ticks"):
        sim.create_bot(KIND, "XSIM", "ACME", {"spread_ticks": 1})
    with pytest.raises(pydantic.ValidationError, match="spred"):
        sim.create_bot(KIND, "XSIM", "ACME", {"spred": 4})
