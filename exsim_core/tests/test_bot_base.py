"""The Bot base class: reconfiguring a running bot, and orders sent from event handlers."""

from __future__ import annotations

from typing import Any

import pytest

from exsim_core import BUY, SELL, Bot, BotParams, Equity, ManualClock, Order, Simulator, hookimpl
from exsim_core.testing import register_plugin

NS = 1_000_000_000


class TickerParams(BotParams):
    interval_s: int = 10


class Ticker(Bot):
    """Sends one buy every ``interval_s``; answers each fill with a sell."""

    name = "ticker"
    Params = TickerParams

    def on_start(self) -> None:
        self.every(self.params.interval_s * NS, lambda: self.send(BUY, 1, 100))

    def on_reconfigure(self, old: BotParams) -> None:
        self.cancel_timers()
        self.on_start()

    def on_fill(self, order: Order, qty: int, price: int) -> None:
        if order.side == BUY:
            self.send(SELL, qty, 200)


class Faulty(Ticker):
    """Sends an order and schedules itself, then fails to start."""

    name = "faulty"

    def on_start(self) -> None:
        super().on_start()
        self.send(BUY, 1, 100)
        raise RuntimeError("no price to start from")


class _Plugin:
    @hookimpl
    def exsim_register_bots(self, registry: Any) -> None:
        registry.add(Ticker)
        registry.add(Faulty)


def _sim() -> tuple[Simulator, ManualClock]:
    clock = ManualClock()
    sim = Simulator(clock=clock, autoload=False)
    register_plugin(sim, _Plugin(), name="ticker")
    sim.create_venue("XSIM").add_instrument(Equity(symbol="ACME"))
    return sim, clock


def test_reconfigure_of_a_running_bot_reschedules_it_at_once() -> None:
    sim, clock = _sim()
    bot = sim.create_bot("ticker", "XSIM", "ACME", {"interval_s": 100})
    bot.start()
    bot.reconfigure({"interval_s": 1})
    clock.advance(seconds=3)
    assert bot.sent == 3


def test_reconfigure_of_a_stopped_bot_only_changes_its_parameters() -> None:
    sim, clock = _sim()
    bot = sim.create_bot("ticker", "XSIM", "ACME", {"interval_s": 100})
    bot.reconfigure({"interval_s": 1})
    clock.advance(seconds=3)
    assert (bot.params.interval_s, bot.sent) == (1, 0)


def test_an_order_sent_from_an_event_handler_is_tracked_by_its_venue_id() -> None:
    sim, clock = _sim()
    venue = sim.venue("XSIM")
    bot = sim.create_bot("ticker", "XSIM", "ACME", {"interval_s": 1})
    bot.start()
    clock.advance(seconds=1)
    venue.submit(Order("ACME", SELL, 1, 100, session="client"))
    assert sorted(bot.orders) == [3]
    assert bot.orders[3].side == SELL


def test_a_bot_that_fails_to_start_is_left_stopped_with_nothing_live() -> None:
    sim, clock = _sim()
    venue = sim.venue("XSIM")
    bot = sim.create_bot("faulty", "XSIM", "ACME")
    with pytest.raises(RuntimeError, match="no price to start from"):
        bot.start()
    clock.advance(seconds=60)
    assert (bot.running, bot.sent, venue.orders, bot.session in venue.sessions) == (
        False,
        1,
        {},
        False,
    )
