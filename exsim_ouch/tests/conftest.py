"""Shared fixtures: a simulator on a manual clock with a Nasdaq-like venue."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import exsim_ouch.plugin
from exsim_core import Equity, ManualClock, Simulator, Venue
from exsim_core.testing import register_plugin

# the spec-only clients (soupwire, ...) are plain modules of this folder
sys.path.insert(0, str(Path(__file__).parent))

#: 2026-01-05 09:30:00.000000456 UTC: the spec's test-vector timestamp in a UTC venue
START_NS = ManualClock.DEFAULT_START_NS + 456
#: the same instant as nanoseconds since midnight
TS = 34_200_000_000_456


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START_NS)


@pytest.fixture
def sim(clock: ManualClock) -> Simulator:
    simulator = Simulator(clock, autoload=False)
    register_plugin(simulator, exsim_ouch.plugin, name="ouch")
    return simulator


@pytest.fixture
def venue(sim: Simulator) -> Venue:
    venue = sim.create_venue("XNAS", timezone="UTC")
    venue.add_instrument(Equity(symbol="ACME", tick_size="0.01"))
    venue.add_instrument(Equity(symbol="WIDG", tick_size="0.01"))
    return venue
