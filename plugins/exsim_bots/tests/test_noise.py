"""The noise trader: Poisson arrivals of limit, market and cancel orders around fair value."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from exsim_bots import NoiseBot, fair_value_of
from exsim_core import BUY, ManualClock, Simulator, Venue
from exsim_core import events as ev

Recorded = Callable[[], list[tuple[int, tuple[Any, ...]]]]


def _noise(sim: Simulator, **params: Any) -> NoiseBot:
    bot = sim.create_bot("noise", "XSIM", "ACME", params)
    assert isinstance(bot, NoiseBot)
    bot.start()
    return bot


def test_arrivals_come_at_the_configured_rate(sim: Simulator, clock: ManualClock) -> None:
    bot = _noise(sim, rate=5, cancel_share=0, max_orders=10_000)
    clock.advance(seconds=2000)
    assert bot.messages_sent == pytest.approx(10_000, rel=0.03)


def test_gaps_between_arrivals_are_exponential(
    sim: Simulator, clock: ManualClock, record: Recorded
) -> None:
    _noise(sim, rate=2, market_share=0, cancel_share=0, max_orders=10_000)
    clock.advance(seconds=3000)
    times = [t for t, e in record() if e[0] == ev.ACCEPTED]
    gaps = sorted((b - a) / 1e9 for a, b in itertools.pairwise(times))
    # an exponential distribution of mean 0.5 s: median 0.5·ln 2, 90th percentile 0.5·ln 10
    assert gaps[len(gaps) // 2] == pytest.approx(0.3466, rel=0.08)
    assert gaps[int(len(gaps) * 0.9)] == pytest.approx(1.1513, rel=0.08)


def test_limit_prices_stay_within_depth_and_cross_ticks_of_fair_value(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    _noise(sim, rate=20, market_share=0, cancel_share=0, depth_ticks=4, cross_ticks=1)
    fv = fair_value_of(venue.book("ACME"))
    assert fv is not None
    offsets: list[int] = []

    def offsets_from_fair_value(batch: list[tuple[Any, ...]], now: int) -> None:
        fair = round(fv.value_units())
        for e in batch:
            if e[0] == ev.ACCEPTED:
                order = e[1]
                offsets.append(fair - order.price if order.side == BUY else order.price - fair)

    venue.subscribe(offsets_from_fair_value)
    clock.advance(seconds=60)
    assert set(offsets) == {-1, 0, 1, 2, 3, 4}
    assert len(offsets) > 1000


def test_market_orders_make_up_the_configured_share(
    sim: Simulator, clock: ManualClock, record: Recorded
) -> None:
    _noise(sim, rate=50, market_share=0.3, cancel_share=0, max_orders=100_000)
    clock.advance(seconds=100)
    accepted = [e[1] for _, e in record() if e[0] == ev.ACCEPTED]
    share = sum(1 for o in accepted if o.ord_type == "market") / len(accepted)
    assert share == pytest.approx(0.3, abs=0.02)


def test_live_orders_never_exceed_max_orders(sim: Simulator, clock: ManualClock) -> None:
    bot = _noise(sim, rate=50, market_share=0, cancel_share=0, max_orders=7)
    most = 0
    for _ in range(200):
        clock.advance(seconds=0.1)
        most = max(most, len(bot.orders))
    assert most == 7


def test_cancels_target_the_bots_own_live_orders(
    sim: Simulator, clock: ManualClock, record: Recorded
) -> None:
    bot = _noise(sim, rate=20, market_share=0, cancel_share=0.5)
    clock.advance(seconds=60)
    rejected_cancels = [e for _, e in record() if e[0] == ev.CANCEL_REJECTED]
    user_cancels = [e for _, e in record() if e[0] == ev.CANCELED and e[2] == 1]
    assert rejected_cancels == []
    assert len(user_cancels) == bot.cancels_sent > 100


def test_size_bounds_are_checked_when_the_bot_is_created(sim: Simulator, venue: Venue) -> None:
    import pydantic

    with pytest.raises(pydantic.ValidationError, match="min_lots is larger than max_lots"):
        sim.create_bot("noise", "XSIM", "ACME", {"min_lots": 5, "max_lots": 2})
