"""Behaviour engines as plugins: discovery, configuration errors, clock and life cycle."""

from __future__ import annotations

import pydantic
import pytest

from exsim_core import (
    BUY,
    ConfigError,
    Equity,
    ManualClock,
    Order,
    Simulator,
    TimeInForce,
)
from exsim_core import events as ev

NS_PER_MS = 1_000_000


def _venue(engine: str, params: dict[str, object] | None = None) -> tuple[Simulator, ManualClock]:
    clock = ManualClock()
    sim = Simulator(clock=clock, autoload=False, plugins=["exsim_behaviours.plugin"])
    venue = sim.create_venue("XSIM")
    venue.add_instrument(
        Equity(symbol="ACME", reference_price="10.00", engine=engine, engine_params=params or {})
    )
    return sim, clock


def _kinds(batches: list[list[tuple[object, ...]]]) -> list[list[str]]:
    return [[ev.KIND_NAMES[e[0]] for e in b] for b in batches]  # type: ignore[index]


def test_installed_distribution_registers_every_behaviour_through_its_entry_point() -> None:
    sim = Simulator(clock=ManualClock(), autoload=True)
    info = sim.host.plugins["behaviours"]
    assert (info.distribution, info.source) == ("exsim-behaviours", "entry point")
    assert info.registered["engines"] == [
        "auto_fill",
        "auto_partial",
        "auto_reject",
        "auto_cancel",
        "partial_then_cancel",
    ]


def test_unknown_parameter_is_refused_when_the_engine_is_configured() -> None:
    with pytest.raises(pydantic.ValidationError, match="delay"):
        _venue("auto_fill", {"delay": 5})


def test_negative_delay_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError, match="delay_ms"):
        _venue("auto_cancel", {"delay_ms": -1})


def test_fill_size_finer_than_the_lot_is_refused_with_what_to_do() -> None:
    with pytest.raises(ConfigError, match=r"sizes 0\.5 is not a quantity of ACME \(lot size 1\)"):
        _venue("auto_partial", {"sizes": ["0.5"]})


def test_price_off_the_tick_is_refused_with_what_to_do() -> None:
    with pytest.raises(ConfigError, match=r"price 10\.001 is not a price of ACME"):
        _venue("auto_fill", {"price": "10.001"})


def test_unknown_reject_reason_is_refused_with_the_known_ones() -> None:
    with pytest.raises(pydantic.ValidationError, match="unknown reject reason 'nope'; known: "):
        _venue("auto_reject", {"reasons": [{"code": "nope"}]})


def test_switching_engine_cancels_pending_steps_and_keeps_the_order_live() -> None:
    sim, clock = _venue("auto_fill", {"delay_ms": 100})
    venue = sim.venue("XSIM")
    order = venue.submit(Order("ACME", BUY, 10, 1000, session="client"))
    venue.set_engine("ACME", "price_time")
    before = clock.pending
    batches: list[list[tuple[object, ...]]] = []
    venue.subscribe(lambda b, now: batches.append(list(b)))
    clock.advance(seconds=1)
    assert batches == []
    assert venue.order(order.order_id) is order
    assert clock.pending <= before


def test_held_gtd_order_expires_on_time_and_is_never_filled() -> None:
    sim, clock = _venue("auto_fill", {"delay_ms": 500})
    venue = sim.venue("XSIM")
    batches: list[list[tuple[object, ...]]] = []
    venue.subscribe(lambda b, now: batches.append(list(b)))
    expire = clock.now_ns() + 200 * NS_PER_MS
    venue.submit(Order("ACME", BUY, 10, 1000, tif=TimeInForce.GTD, expire_ns=expire, session="c"))
    clock.advance(seconds=1)
    assert _kinds(batches) == [["accepted"], ["canceled"]]
    assert batches[1][0][2] == 4  # CancelReason.EXPIRED


def test_held_order_is_not_displayed_in_the_book() -> None:
    sim, _clock = _venue("auto_cancel", {"delay_ms": 500})
    venue = sim.venue("XSIM")
    order = venue.submit(Order("ACME", BUY, 10, 1000, session="client"))
    book = venue.book("ACME")
    assert venue.order(order.order_id) is order
    assert (book.depth(BUY), order.shown) == ([], 0)


def test_same_steps_on_the_same_clock_give_the_same_events_every_run() -> None:
    from exsim_behaviours.scenarios import SCENARIOS
    from exsim_behaviours.testing import run_in_process

    first = [run_in_process(s) for s in SCENARIOS]
    again = [run_in_process(s) for s in SCENARIOS]
    assert first == again
