"""Shared fixtures of exsim-core's specification tests.

* ``clock``: a :class:`~exsim_core.ManualClock` at its default reading (a Monday, 09:30 UTC);
* ``sim``: a simulator on that clock with the core's plugin only (no entry points), so the
  engine under test is exsim-core's own;
* ``venue``: venue ``XSIM`` with default settings trading the equity ``ACME`` (tick 0.01:
  prices are in cents, so ``1000`` is 10.00; lot 1);
* ``events``: every event ``venue`` publishes, recorded as :class:`EventLog`;
* ``record``: attach a fresh :class:`EventLog` to any other venue.

The hypothesis profiles are registered here too: ``exsim`` (the default: 200 examples per
property, derandomized so that every run checks the same streams) and ``exsim-thorough``
(2,000 random examples, for a deliberate search). ``EXSIM_HYPOTHESIS_PROFILE`` picks one;
loading it sets hypothesis' defaults for the whole test run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from exsim_core import Equity, ManualClock, Simulator, Venue
from exsim_core.events import KIND_NAMES, as_dict

settings.register_profile(
    "exsim",
    max_examples=200,
    deadline=None,
    derandomize=True,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "exsim-thorough",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("EXSIM_HYPOTHESIS_PROFILE", "exsim"))

Event = tuple[Any, ...]


class EventLog:
    """A venue listener that keeps every event, and the batches they came in.

    Event tuples are kept as they are: their numbers (quantities, prices, reasons) describe
    the moment of the event; the orders they reference are live objects.
    """

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.batches: list[tuple[int, list[Event]]] = []

    def __call__(self, batch: list[Event], now_ns: int) -> None:
        kept = list(batch)
        self.events.extend(kept)
        self.batches.append((now_ns, kept))

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def clear(self) -> None:
        """Forget everything recorded so far (to look at one command's events)."""
        self.events.clear()
        self.batches.clear()

    def kinds(self) -> list[str]:
        """The kind names of the recorded events, in order."""
        return [KIND_NAMES[e[0]] for e in self.events]

    def of(self, kind: int) -> list[dict[str, Any]]:
        """The recorded events of ``kind`` as dicts (see :func:`exsim_core.events.as_dict`)."""
        return [as_dict(e) for e in self.events if e[0] == kind]

    def one(self, kind: int) -> dict[str, Any]:
        """The single recorded event of ``kind`` (fails unless there is exactly one)."""
        found = self.of(kind)
        assert len(found) == 1, f"expected one {KIND_NAMES[kind]} event, got {self.kinds()}"
        return found[0]

    def for_order(self, order_id: int, kind: int) -> list[dict[str, Any]]:
        """The recorded events of ``kind`` about the order ``order_id``."""
        return [d for d in self.of(kind) if d["order"].order_id == order_id]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sim(clock: ManualClock) -> Simulator:
    return Simulator(clock, autoload=False)


@pytest.fixture
def venue(sim: Simulator) -> Venue:
    venue = sim.create_venue("XSIM")
    venue.add_instrument(Equity(symbol="ACME"))
    return venue


@pytest.fixture
def record() -> Callable[[Venue], EventLog]:
    def attach(venue: Venue) -> EventLog:
        log = EventLog()
        venue.subscribe(log)
        return log

    return attach


@pytest.fixture
def events(venue: Venue, record: Callable[[Venue], EventLog]) -> EventLog:
    return record(venue)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
