"""The fair-value process: seeded, lazily stepped on a fixed grid, shared per book."""

from __future__ import annotations

import itertools
import math
import statistics

import pytest

from exsim_bots import FairValue, FairValueParams, share_fair_value
from exsim_core import ConfigError, Equity, ManualClock, Simulator, Venue

NS_PER_S = 1_000_000_000


def _process(venue: Venue, seed: int = 1, **params: object) -> FairValue:
    return FairValue(venue.book("ACME"), FairValueParams.model_validate(params), seed)


def _path(fv: FairValue, clock: ManualClock, steps: int, every_s: float) -> list[float]:
    out = []
    for _ in range(steps):
        clock.advance(seconds=every_s)
        out.append(fv.value_units())
    return out


def test_same_seed_and_clock_give_the_same_path(venue: Venue, clock: ManualClock) -> None:
    a, b = _process(venue), _process(venue)
    pairs = []
    for _ in range(100):
        clock.advance(seconds=1)
        pairs.append((a.value_units(), b.value_units()))
    assert all(x == y for x, y in pairs)
    assert len({x for x, _ in pairs}) > 90


def test_different_seeds_give_different_paths(venue: Venue, clock: ManualClock) -> None:
    a, b = _process(venue, seed=1), _process(venue, seed=2)
    clock.advance(seconds=10)
    assert a.value_units() != b.value_units()


def test_value_depends_on_time_not_on_how_often_it_is_read(
    venue: Venue, clock: ManualClock
) -> None:
    often, once = _process(venue), _process(venue)
    _path(often, clock, 600, 0.1)
    assert often.value_units() == once.value_units()


def test_value_moves_only_every_step(venue: Venue, clock: ManualClock) -> None:
    fv = _process(venue, step_ms=1000)
    start = fv.value_units()
    clock.advance(seconds=0.999)
    assert fv.value_units() == start
    clock.advance(seconds=0.001)
    assert fv.value_units() != start


def test_gbm_log_returns_have_the_configured_volatility(venue: Venue, clock: ManualClock) -> None:
    fv = _process(venue, volatility=0.02, step_ms=100)
    path = [fv.value_units(), *_path(fv, clock, 36_000, 0.1)]
    returns = [math.log(b / a) for a, b in itertools.pairwise(path)]
    per_hour = statistics.stdev(returns) * math.sqrt(len(returns))
    assert per_hour == pytest.approx(0.02, rel=0.03)


def test_volatility_in_ticks_sets_the_move_per_second(venue: Venue, clock: ManualClock) -> None:
    fv = _process(venue, model="random_walk", volatility_ticks=2.0, step_ms=1000)
    path = [fv.value_units(), *_path(fv, clock, 20_000, 1)]
    tick = venue.book("ACME").tick
    moves = [(b - a) / tick for a, b in itertools.pairwise(path)]
    assert statistics.stdev(moves) == pytest.approx(2.0, rel=0.03)


def test_drift_without_volatility_grows_exponentially(venue: Venue, clock: ManualClock) -> None:
    fv = _process(venue, volatility=0, drift=0.1)
    clock.advance(seconds=3600)
    assert fv.value_units() == pytest.approx(10_000 * math.exp(0.1), rel=1e-9)


def test_jumps_arrive_at_the_configured_rate(venue: Venue, clock: ManualClock) -> None:
    fv = _process(venue, volatility=0, jump_rate=60, jump_size=0.01, step_ms=1000)
    path = [fv.value_units(), *_path(fv, clock, 36_000, 1)]
    jumps = sum(1 for a, b in itertools.pairwise(path) if a != b)
    assert jumps == pytest.approx(600, rel=0.12)


def test_value_never_falls_below_one_tick(venue: Venue, clock: ManualClock) -> None:
    fv = _process(venue, model="random_walk", volatility=3.0)
    values = _path(fv, clock, 3600, 1)
    assert min(values) >= venue.book("ACME").tick
    assert values.count(venue.book("ACME").tick) > 0


def test_start_defaults_to_the_reference_price_then_the_given_start(venue: Venue) -> None:
    assert _process(venue).units == 10_000
    assert _process(venue, start="101.50").units == 10_150


def test_no_price_to_start_from_is_an_error_that_says_what_to_set(sim: Simulator) -> None:
    venue = sim.create_venue("NOREF")
    venue.add_instrument(Equity(symbol="ACME"))
    with pytest.raises(ConfigError, match="set the instrument's reference_price"):
        _process(venue)


def test_reconfiguring_keeps_the_path_so_far(venue: Venue, clock: ManualClock) -> None:
    a, b = _process(venue), _process(venue)
    clock.advance(seconds=60)
    before = a.value_units()
    b.configure(FairValueParams.model_validate({"volatility": 0.5}))
    assert b.value_units() == before
    clock.advance(seconds=60)
    assert b.value_units() != a.value_units()


def test_bots_of_one_book_share_one_process(venue: Venue) -> None:
    book = venue.book("ACME")
    first = share_fair_value(book, None, seed=1)
    assert share_fair_value(book, None, seed=2) is first
    share_fair_value(book, FairValueParams.model_validate({"volatility": 0.3}), seed=3)
    assert first.params.volatility == 0.3
