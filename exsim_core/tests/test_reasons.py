"""Reasons the engine gives must say what happened."""

from __future__ import annotations

from typing import Any

from exsim_core import (
    BUY,
    SELL,
    CancelReason,
    Equity,
    ManualClock,
    Order,
    PluginHost,
    RejectReason,
    Simulator,
    TimeInForce,
    Venue,
)
from exsim_core.events import CANCELED, REJECTED


def _venue() -> tuple[Venue, list[tuple[Any, ...]]]:
    venue = Simulator(clock=ManualClock(), autoload=False).create_venue("XSIM")
    venue.add_instrument(Equity(symbol="ACME"))
    events: list[tuple[Any, ...]] = []
    venue.subscribe(lambda batch, now: events.extend(batch))
    return venue, events


def test_a_stop_price_on_a_limit_order_is_rejected_as_unexpected() -> None:
    venue, events = _venue()
    venue.submit(Order("ACME", BUY, 100, 1000, stop_price=990))
    rejects = [e for e in events if e[0] == REJECTED]
    assert rejects[0][2] == RejectReason.UNEXPECTED_STOP_PRICE
    assert rejects[0][3] == "this order type takes no stop price"


def test_fok_with_nothing_within_its_limit_is_canceled_as_unfilled() -> None:
    venue, events = _venue()
    venue.submit(Order("ACME", SELL, 100, 1010, session="maker"))
    venue.submit(Order("ACME", BUY, 100, 1000, tif=TimeInForce.FOK, session="taker"))
    cancels = [e for e in events if e[0] == CANCELED]
    assert [c[2] for c in cancels] == [CancelReason.FOK_UNFILLED]


def test_a_named_plugin_already_loaded_by_entry_point_is_not_loaded_twice() -> None:
    host = PluginHost(autoload=True, plugins=["exsim_fix.plugin"]).load()
    assert "fix" in host.registry.names("protocols")
    assert "exsim_fix.plugin" not in host.plugins
