"""A `fast` book over one simulated hour: uncrossed, two-sided, trading at fair value.

The workload runs in-process on a manual clock; :class:`exsim_bots.MarketWatch` only
listens, so it measures without changing the run. The figures of the reference run
(seed 1) are in this package's README.
"""

from __future__ import annotations

import pytest

from exsim_bots import ActivityBot, MarketWatch
from exsim_core import Equity, ManualClock, Simulator

NS_PER_MINUTE = 60 * 1_000_000_000
HOUR_S = 3600


def run_fast_book(seconds: int, seed: int) -> tuple[MarketWatch, ActivityBot]:
    """ACME at 100.00 with the `fast` activity level for ``seconds`` of a manual clock."""
    clock = ManualClock()
    sim = Simulator(clock=clock, autoload=False, plugins=["exsim_bots.plugin"])
    venue = sim.create_venue("XSIM")
    venue.add_instrument(Equity(symbol="ACME", reference_price="100.00"))
    watch = MarketWatch(venue, "ACME", digest=False)
    bot = sim.create_bot("activity", "XSIM", "ACME", {"level": "fast"}, seed=seed)
    assert isinstance(bot, ActivityBot)
    bot.start()
    clock.advance(seconds=seconds)
    watch.stop()
    return watch, bot


@pytest.fixture(scope="module")
def hour() -> tuple[MarketWatch, ActivityBot]:
    return run_fast_book(HOUR_S, seed=1)


pytestmark = pytest.mark.slow


def test_fast_book_is_never_crossed(hour: tuple[MarketWatch, ActivityBot]) -> None:
    watch, _ = hour
    assert watch.batches > 500_000, watch.summary()
    assert watch.crossed_batches == 0, watch.summary()


def test_fast_book_has_both_sides_at_least_95_percent_of_the_time(
    hour: tuple[MarketWatch, ActivityBot],
) -> None:
    watch, _ = hour
    assert watch.two_sided_share >= 0.95, watch.summary()


def test_fast_book_sends_hundreds_of_order_messages_per_second(
    hour: tuple[MarketWatch, ActivityBot],
) -> None:
    _, bot = hour
    messages = sum(b.messages_sent for b in bot.bots.values())
    assert messages / HOUR_S >= 200


def test_fast_book_trades_within_a_few_ticks_of_fair_value(
    hour: tuple[MarketWatch, ActivityBot],
) -> None:
    watch, _ = hour
    deviations = sorted(watch.trade_deviation_ticks())
    assert len(deviations) > 100_000
    assert sum(deviations) / len(deviations) <= 2.0, watch.summary()
    assert deviations[int(0.95 * len(deviations))] <= 3.0, watch.summary()
    assert deviations[-1] <= 10.0, watch.summary()


def test_fast_book_minute_vwap_follows_fair_value_as_it_moves(
    hour: tuple[MarketWatch, ActivityBot],
) -> None:
    watch, _ = hour
    tick = watch.book.tick
    fair = [f for *_, f in watch.trades]
    # the fair value travels tens of ticks over the hour ...
    assert (max(fair) - min(fair)) / tick >= 30
    # ... and every minute's average trade price stays within 2 ticks of it
    minutes = watch.vwap_deviation_ticks(NS_PER_MINUTE)
    assert len(minutes) >= 60
    assert max(minutes) <= 2.0, watch.summary()
