"""The market maker: Avellaneda-Stoikov quotes, inventory skew, position limits."""

from __future__ import annotations

import math

import pytest

from exsim_bots import MarketMakerBot
from exsim_bots.marketmaker import quotes
from exsim_core import BUY, SELL, ManualClock, Order, Simulator, Venue

STILL = {"volatility": 0}
# sigma 1 tick per root second over a 10 s horizon: the risk term gamma*sigma^2*tau is 1 tick
MODEL = {"gamma": 0.1, "kappa": 1.5, "horizon_s": 10, "sigma_ticks": 1.0}


def test_flat_quotes_are_symmetric_around_fair_value_with_the_model_spread() -> None:
    spread = 0.1 * 1 * 10 + (2 / 0.1) * math.log(1 + 0.1 / 1.5)
    bid, ask = quotes(1000.0, 0, gamma=0.1, sigma=1.0, tau=10, kappa=1.5)
    assert (bid, ask) == (math.floor(1000 - spread / 2), math.ceil(1000 + spread / 2))
    assert 1000 - bid == ask - 1000


def test_long_inventory_lowers_both_quotes_and_short_inventory_raises_them() -> None:
    flat = quotes(1000.0, 0, gamma=0.1, sigma=1.0, tau=10, kappa=1.5)
    long = quotes(1000.0, 5, gamma=0.1, sigma=1.0, tau=10, kappa=1.5)
    short = quotes(1000.0, -5, gamma=0.1, sigma=1.0, tau=10, kappa=1.5)
    assert long == (flat[0] - 5, flat[1] - 5)
    assert short == (flat[0] + 5, flat[1] + 5)


def test_more_risk_aversion_or_a_longer_horizon_widens_the_spread() -> None:
    def width(**kw: float) -> int:
        params = {"gamma": 0.1, "sigma": 2.0, "tau": 10.0, "kappa": 1.5} | kw
        bid, ask = quotes(1000.0, 0, **params)
        return ask - bid

    assert width(gamma=1.0) > width()
    assert width(tau=100.0) > width()
    assert width(kappa=0.2) > width()


def _maker(sim: Simulator, **params: object) -> MarketMakerBot:
    bot = sim.create_bot(
        "market_maker", "XSIM", "ACME", MODEL | {"fair_value": STILL} | params
    )
    assert isinstance(bot, MarketMakerBot)
    bot.start()
    return bot


def _quotes(venue: Venue) -> tuple[int | None, int | None]:
    book = venue.book("ACME")
    return book.best_bid, book.best_ask


def test_bot_quotes_the_model_prices_around_fair_value(sim: Simulator, venue: Venue) -> None:
    _maker(sim)
    bid, ask = quotes(10_000.0, 0, gamma=0.1, sigma=1.0, tau=10, kappa=1.5)
    assert _quotes(venue) == (bid, ask)


def test_bot_skews_its_quotes_down_after_buying(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    bot = _maker(sim, qty_lots=1)
    before = _quotes(venue)
    for _ in range(3):
        bid = venue.book("ACME").best_bid
        venue.submit(Order("ACME", SELL, 1, bid, session="client"))
        clock.advance(seconds=0.25)
    assert bot.position == 3
    assert _quotes(venue) == (before[0] - 3, before[1] - 3)  # type: ignore[operator]


def test_bot_stops_bidding_at_its_position_limit(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    bot = _maker(sim, qty_lots=2, max_position_lots=4)
    for _ in range(5):
        bid = venue.book("ACME").best_bid
        if bid is not None:
            venue.submit(Order("ACME", SELL, 2, bid, session="client"))
        clock.advance(seconds=0.25)
    assert bot.position == 4
    assert [o.side for o in bot.orders.values()] == [SELL]
    assert venue.book("ACME").best_bid is None


def test_bot_stops_offering_at_its_short_limit(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    bot = _maker(sim, qty_lots=1, max_position_lots=2)
    for _ in range(4):
        ask = venue.book("ACME").best_ask
        if ask is not None:
            venue.submit(Order("ACME", BUY, 1, ask, session="client"))
        clock.advance(seconds=0.25)
    assert bot.position == -2
    assert [o.side for o in bot.orders.values()] == [BUY]


def test_default_sigma_comes_from_the_fair_value_process(sim: Simulator) -> None:
    bot = _maker(sim, sigma_ticks=None, fair_value={"volatility_ticks": 1.5})
    assert bot.sigma() == pytest.approx(1.5)
