"""A venue's rules: its instruments, the order types and times in force it allows, its
end of day; errors in them say what was wrong and what is known."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from exsim_core import (
    BUY,
    ConfigError,
    Equity,
    NotFound,
    Order,
    OrderStatus,
    PriceTimeEngine,
    Venue,
    VenueSettings,
)
from exsim_core.ordertypes import BUILTIN_ORDER_TYPES


def test_venue_allows_every_registered_order_type_by_default(venue):
    assert set(venue.order_types) == {
        "limit",
        "market",
        "market_to_limit",
        "stop",
        "stop_limit",
        "peg",
    }


def test_unknown_order_type_in_the_settings_names_the_registered_ones(venue):
    with pytest.raises(ConfigError, match=r"'pegg'.*registered: limit, market"):
        venue.set(order_types=["limit", "pegg"])


def test_failed_settings_change_leaves_the_rules_as_they_were(venue):
    with pytest.raises(ConfigError):
        venue.set(order_types=["pegg"], stp_mode="decrement")

    assert venue.settings.stp_mode == "off"
    assert "market" in venue.order_types


def test_unknown_time_in_force_in_the_settings_is_refused():
    with pytest.raises(ValidationError, match="unknown time in force XYZ"):
        VenueSettings(tifs=["DAY", "XYZ"])


def test_unknown_time_zone_in_the_settings_is_refused():
    with pytest.raises(ValidationError, match="unknown time zone"):
        VenueSettings(timezone="Mars/Olympus")


def test_unknown_setting_is_refused():
    with pytest.raises(ValidationError):
        VenueSettings(stp="decrement")


def test_unknown_engine_names_the_registered_ones(sim):
    with pytest.raises(ConfigError, match=r"registered: .*\bprice_time\b"):
        sim.create_venue("XOTC", engine="magic")


def test_book_of_an_unknown_instrument_names_the_traded_ones(venue):
    with pytest.raises(NotFound, match="ACME"):
        venue.book("NOPE")


def test_rules_change_while_the_venue_runs(venue, events):
    venue.set(order_types=["limit"])
    venue.submit(Order("ACME", BUY, 100, ord_type="market"))
    venue.set(order_types=None)
    order = venue.submit(Order("ACME", BUY, 100, price=1000, ord_type="limit"))

    assert order.status == OrderStatus.NEW


def test_next_end_of_day_is_today_before_it_and_tomorrow_after_it(venue, clock):
    def ns(day, hour):
        return int(dt.datetime(2026, 1, day, hour, tzinfo=dt.UTC).timestamp()) * 10**9

    assert venue.next_end_of_day(ns(5, 9)) == ns(5, 16)
    assert venue.next_end_of_day(ns(5, 16)) == ns(6, 16)


def test_removing_an_instrument_cancels_its_orders(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000))
    venue.remove_instrument("ACME")

    assert order.status == OrderStatus.CANCELED
    assert "ACME" not in venue.books


def test_venue_can_be_built_directly_for_embedding(clock):
    venue = Venue(
        "EMBED",
        clock,
        {t.name: t() for t in BUILTIN_ORDER_TYPES},
        {"price_time": PriceTimeEngine},
    )
    venue.add_instrument(Equity(symbol="ACME"))
    order = venue.submit(Order("ACME", BUY, 100, price=1000))

    assert order.status == OrderStatus.NEW
