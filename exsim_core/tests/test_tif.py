"""Time in force: DAY, GTC, GTD, IOC, FOK; OPG and ATC are refused until the venue runs
auctions.

The clock is a ManualClock starting on Monday 2026-01-05 at 09:30 UTC; the venue's end of
day is 16:00 in its time zone (UTC unless a test says otherwise).
"""

from __future__ import annotations

import datetime as dt

import pytest

from exsim_core import (
    BUY,
    SELL,
    CancelReason,
    Equity,
    Order,
    OrderStatus,
    RejectReason,
    Replace,
    TimeInForce,
)
from exsim_core.events import ADDED, CANCELED, FILL, REJECTED, TRADE

SECOND = 1_000_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE


def at(hh, mm=0, day=5):
    """ns of 2026-01-<day> hh:mm UTC."""
    return int(dt.datetime(2026, 1, day, hh, mm, tzinfo=dt.UTC).timestamp()) * SECOND


# ---------------------------------------------------------------------------------- DAY


def test_day_order_expires_at_the_venues_end_of_day(venue, events, clock):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, tif=TimeInForce.DAY))
    clock.set(at(16))

    canceled = events.one(CANCELED)
    assert canceled["order"] is order
    assert canceled["reason"] == CancelReason.EXPIRED
    assert order.status == OrderStatus.EXPIRED
    assert venue.book("ACME").depth(BUY) == []


def test_day_order_is_still_working_just_before_the_end_of_day(venue, events, clock):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, tif=TimeInForce.DAY))
    clock.set(at(16) - 1)

    assert events.of(CANCELED) == []
    assert order.is_live


def test_day_expiry_happens_at_the_end_of_day_time_on_the_clock(venue, events, clock):
    venue.submit(Order("ACME", BUY, 100, price=1000, tif=TimeInForce.DAY))
    clock.advance(seconds=10 * 3600)

    assert events.batches[-1][0] == at(16)


def test_end_of_day_is_read_in_the_venues_time_zone(venue, events, clock):
    venue.set(timezone="America/New_York")
    order = venue.submit(Order("ACME", BUY, 100, price=1000))
    clock.set(at(20, 59))
    assert order.is_live

    clock.set(at(21))
    assert order.status == OrderStatus.EXPIRED


def test_changing_the_end_of_day_reschedules_day_expiry(venue, events, clock):
    venue.set(end_of_day=dt.time(12, 0))
    order = venue.submit(Order("ACME", BUY, 100, price=1000))
    clock.set(at(12))

    assert order.status == OrderStatus.EXPIRED


def test_day_order_entered_after_the_end_of_day_expires_at_the_next_one(venue, events, clock):
    clock.set(at(17))
    order = venue.submit(Order("ACME", BUY, 100, price=1000))
    clock.set(at(15, 59, day=6))
    assert order.is_live

    clock.set(at(16, day=6))
    assert order.status == OrderStatus.EXPIRED


def test_gtc_order_survives_the_end_of_day(venue, events, clock):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, tif=TimeInForce.GTC))
    clock.set(at(16, day=7))

    assert order.is_live
    assert venue.book("ACME").depth(BUY) == [(1000, 100, 1)]


def test_partially_filled_day_order_expires_its_remainder(venue, events, clock):
    order = venue.submit(Order("ACME", BUY, 100, price=1000))
    venue.submit(Order("ACME", SELL, 30, price=1000))
    events.clear()
    clock.set(at(16))

    assert events.one(CANCELED)["canceled_qty"] == 70
    assert order.cum_qty == 30


def test_day_order_of_a_halted_instrument_expires_at_the_end_of_day(venue, events, clock):
    order = venue.submit(Order("ACME", BUY, 100, price=1000))
    venue.set_status("halted", "ACME")
    clock.set(at(16))

    assert order.status == OrderStatus.EXPIRED


def test_waiting_day_stop_expires_at_the_end_of_day(venue, events, clock):
    stop = venue.submit(Order("ACME", BUY, 100, ord_type="stop", stop_price=1010))
    clock.set(at(16))

    assert stop.status == OrderStatus.EXPIRED
    assert venue.book("ACME").stops() == []


# ---------------------------------------------------------------------------------- GTD


def gtd(expire_ns, qty=100, price=1000, side=BUY):
    return Order("ACME", side, qty, price=price, tif=TimeInForce.GTD, expire_ns=expire_ns)


def test_gtd_order_expires_at_its_expire_time(venue, events, clock):
    order = venue.submit(gtd(clock.now_ns() + 5 * MINUTE))
    clock.advance(5 * MINUTE)

    canceled = events.one(CANCELED)
    assert canceled["reason"] == CancelReason.EXPIRED
    assert order.status == OrderStatus.EXPIRED
    assert events.batches[-1][0] == order.expire_ns


def test_gtd_order_is_working_until_its_expire_time(venue, events, clock):
    order = venue.submit(gtd(clock.now_ns() + 5 * MINUTE))
    clock.advance(5 * MINUTE - 1)

    assert order.is_live


def test_gtd_order_can_outlive_the_end_of_day(venue, events, clock):
    order = venue.submit(gtd(at(12, day=6)))
    clock.set(at(11, day=6))
    assert order.is_live

    clock.set(at(12, day=6))
    assert order.status == OrderStatus.EXPIRED


def test_gtd_without_an_expire_time_is_rejected(venue, events):
    venue.submit(gtd(None))

    assert events.one(REJECTED)["reason"] == RejectReason.BAD_EXPIRE_TIME


def test_gtd_with_an_expire_time_not_in_the_future_is_rejected(venue, events, clock):
    venue.submit(gtd(clock.now_ns()))

    assert events.one(REJECTED)["reason"] == RejectReason.BAD_EXPIRE_TIME


def test_filled_gtd_order_is_left_alone_at_its_expire_time(venue, events, clock):
    order = venue.submit(gtd(clock.now_ns() + MINUTE))
    venue.submit(Order("ACME", SELL, 100, price=1000))
    events.clear()
    clock.advance(MINUTE)

    assert events.events == []
    assert order.status == OrderStatus.FILLED


def test_gtd_order_that_lost_priority_in_a_replace_still_expires(venue, events, clock):
    order = venue.submit(gtd(clock.now_ns() + MINUTE))
    venue.replace(Replace(order.order_id, price=1001))
    clock.advance(MINUTE)

    moved = [c["order"] for c in events.of(CANCELED)]
    assert [o.order_id for o in moved] == [order.order_id]
    assert venue.book("ACME").depth(BUY) == []


# ---------------------------------------------------------------------------------- IOC


def test_ioc_trades_what_it_can_and_cancels_the_rest(venue, events):
    venue.submit(Order("ACME", SELL, 30, price=1000))
    order = venue.submit(Order("ACME", BUY, 100, price=1000, tif=TimeInForce.IOC))

    assert order.cum_qty == 30
    canceled = events.one(CANCELED)
    assert canceled["reason"] == CancelReason.IOC_REMAINDER
    assert canceled["canceled_qty"] == 70


def test_ioc_never_rests(venue, events):
    venue.submit(Order("ACME", SELL, 30, price=1000))
    venue.submit(Order("ACME", BUY, 100, price=1000, tif=TimeInForce.IOC))

    assert [e for e in events.of(ADDED) if e["order"].side == BUY] == []
    assert venue.book("ACME").depth(BUY) == []


def test_ioc_that_cannot_trade_is_canceled(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, tif=TimeInForce.IOC))

    assert events.one(CANCELED)["reason"] == CancelReason.IOC_REMAINDER
    assert order.status == OrderStatus.CANCELED


# ---------------------------------------------------------------------------------- FOK


def test_fok_that_can_fill_completely_fills(venue, events):
    venue.submit(Order("ACME", SELL, 60, price=1000))
    venue.submit(Order("ACME", SELL, 60, price=1001))
    order = venue.submit(Order("ACME", BUY, 100, price=1001, tif=TimeInForce.FOK))

    assert order.status == OrderStatus.FILLED
    assert sum(f["last_qty"] for f in events.for_order(order.order_id, FILL)) == 100


def test_fok_that_cannot_fill_completely_is_canceled_before_anything_prints(venue, events):
    venue.submit(Order("ACME", SELL, 60, price=1000))
    venue.submit(Order("ACME", SELL, 60, price=1002))
    events.clear()
    order = venue.submit(Order("ACME", BUY, 100, price=1001, tif=TimeInForce.FOK))

    assert events.kinds() == ["accepted", "canceled"]
    assert events.one(CANCELED)["reason"] == CancelReason.FOK_UNFILLED
    assert order.cum_qty == 0
    assert venue.book("ACME").depth(SELL) == [(1000, 60, 1), (1002, 60, 1)]


def test_fok_counts_the_hidden_reserve_of_icebergs(venue, events):
    venue.submit(Order("ACME", SELL, 100, price=1000, display=10))
    order = venue.submit(Order("ACME", BUY, 100, price=1000, tif=TimeInForce.FOK))

    assert order.status == OrderStatus.FILLED


def test_fok_market_order_is_all_or_nothing(venue, events):
    venue.submit(Order("ACME", SELL, 60, price=1000))
    order = venue.submit(Order("ACME", BUY, 100, ord_type="market", tif=TimeInForce.FOK))

    assert events.of(TRADE) == []
    assert order.status == OrderStatus.CANCELED


def test_fok_that_crosses_nothing_is_canceled_as_fok_unfilled(venue, events):
    venue.submit(Order("ACME", BUY, 100, price=1000, tif=TimeInForce.FOK))

    assert events.one(CANCELED)["reason"] == CancelReason.FOK_UNFILLED


# ---------------------------------------------------------------------------------- venue rules


@pytest.mark.parametrize("tif", [TimeInForce.OPG, TimeInForce.ATC], ids=["OPG", "ATC"])
def test_auction_tifs_are_rejected_because_the_venue_runs_no_auctions(venue, events, tif):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, tif=tif))

    rejected = events.one(REJECTED)
    assert rejected["reason"] == RejectReason.AUCTION_NOT_SUPPORTED
    assert "auction" in rejected["text"]
    assert order.status == OrderStatus.REJECTED


@pytest.mark.parametrize("tif", [TimeInForce.OPG, TimeInForce.ATC], ids=["OPG", "ATC"])
def test_auction_tifs_are_rejected_even_when_listed_in_the_venues_tifs(venue, events, tif):
    venue.set(tifs=["DAY", "GTC", "IOC", "FOK", "GTD", "OPG", "ATC"])
    venue.submit(Order("ACME", BUY, 100, price=1000, tif=tif))

    assert events.one(REJECTED)["reason"] == RejectReason.AUCTION_NOT_SUPPORTED


def test_tif_the_venue_does_not_allow_is_rejected(venue, events):
    venue.set(tifs=["DAY", "GTC"])
    venue.submit(Order("ACME", BUY, 100, price=1000, tif=TimeInForce.IOC))

    assert events.one(REJECTED)["reason"] == RejectReason.TIF_NOT_ALLOWED


def test_unknown_tif_value_is_rejected(venue, events):
    venue.submit(Order("ACME", BUY, 100, price=1000, tif=42))

    assert events.one(REJECTED)["reason"] == RejectReason.TIF_NOT_ALLOWED


def test_default_tifs_are_day_gtc_ioc_fok_and_gtd(venue, events, clock):
    for tif in (TimeInForce.DAY, TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK):
        venue.submit(Order("ACME", BUY, 100, price=1000, tif=tif))
    venue.submit(gtd(clock.now_ns() + MINUTE))

    assert events.of(REJECTED) == []


def test_expiry_of_one_instrument_leaves_gtc_orders_of_another_alone(venue, events, clock):
    venue.add_instrument(Equity(symbol="BOLT"))
    day = venue.submit(Order("ACME", BUY, 100, price=1000))
    gtc = venue.submit(Order("BOLT", BUY, 100, price=1000, tif=TimeInForce.GTC))
    clock.set(at(16))

    assert day.status == OrderStatus.EXPIRED
    assert gtc.is_live
