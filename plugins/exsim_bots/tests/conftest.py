"""Fixtures of the bot tests: a simulator on a manual clock with the bots loaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from exsim_core import Equity, ManualClock, Simulator, Venue

NS_PER_S = 1_000_000_000


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sim(clock: ManualClock) -> Simulator:
    """A simulator with the bots loaded by module name (no other plugins), and venue
    XSIM trading ACME (an equity: tick 0.01, lot 1, reference price 100.00)."""
    sim = Simulator(clock=clock, autoload=False, plugins=["exsim_bots.plugin"])
    sim.create_venue("XSIM").add_instrument(Equity(symbol="ACME", reference_price="100.00"))
    return sim


@pytest.fixture
def venue(sim: Simulator) -> Venue:
    return sim.venue("XSIM")


@pytest.fixture
def record(venue: Venue) -> Callable[[], list[tuple[int, tuple[Any, ...]]]]:
    """Start recording the venue's events; call the result for ``(time, event)`` so far."""
    seen: list[tuple[int, tuple[Any, ...]]] = []
    venue.subscribe(lambda batch, now: seen.extend((now, e) for e in batch))
    return lambda: seen
