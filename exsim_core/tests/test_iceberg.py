"""Iceberg orders (display quantity): the book shows only the displayed part; when it is
filled, the reserve replenishes it and the refreshed part goes to the back of the queue."""

from __future__ import annotations

from exsim_core import BUY, SELL, Equity, Order, OrderStatus, RejectReason
from exsim_core.events import ADDED, FILL, REJECTED


def test_iceberg_shows_only_its_display_quantity(venue, events):
    order = venue.submit(Order("ACME", SELL, 100, price=1000, display=20))

    assert venue.book("ACME").depth(SELL) == [(1000, 20, 1)]
    assert events.one(ADDED)["shown"] == 20
    assert order.leaves == 100


def test_iceberg_maker_fills_no_more_than_its_display_at_a_time(venue, events):
    iceberg = venue.submit(Order("ACME", SELL, 100, price=1000, display=20))
    other = venue.submit(Order("ACME", SELL, 100, price=1000))
    venue.submit(Order("ACME", BUY, 50, price=1000))

    fills = [(f["order"], f["last_qty"]) for f in events.of(FILL) if f["liquidity"] == 1]
    assert fills == [(iceberg, 20), (other, 30)]


def test_iceberg_reserve_refills_the_display_after_it_is_filled(venue, events):
    iceberg = venue.submit(Order("ACME", SELL, 100, price=1000, display=20))
    events.clear()
    venue.submit(Order("ACME", BUY, 20, price=1000))

    assert iceberg.leaves == 80
    assert iceberg.shown == 20
    assert events.one(ADDED)["shown"] == 20
    assert venue.book("ACME").depth(SELL) == [(1000, 20, 1)]


def test_refilled_display_goes_to_the_back_of_the_queue(venue, events):
    iceberg = venue.submit(Order("ACME", SELL, 100, price=1000, display=20))
    behind = venue.submit(Order("ACME", SELL, 100, price=1000))
    venue.submit(Order("ACME", BUY, 20, price=1000))
    events.clear()
    taker = venue.submit(Order("ACME", BUY, 10, price=1000))

    assert [f["contra"] for f in events.for_order(taker.order_id, FILL)] == [behind]
    assert [o.order_id for o in venue.book("ACME").resting(SELL)] == [
        behind.order_id,
        iceberg.order_id,
    ]


def test_partly_filled_display_keeps_its_place_until_it_is_used_up(venue, events):
    iceberg = venue.submit(Order("ACME", SELL, 100, price=1000, display=20))
    venue.submit(Order("ACME", SELL, 100, price=1000))
    venue.submit(Order("ACME", BUY, 15, price=1000))

    assert venue.book("ACME").resting(SELL)[0] is iceberg
    assert iceberg.shown == 5


def test_iceberg_alone_at_its_price_keeps_trading_through_its_refills(venue, events):
    iceberg = venue.submit(Order("ACME", SELL, 100, price=1000, display=20))
    taker = venue.submit(Order("ACME", BUY, 70, price=1000))

    assert [f["last_qty"] for f in events.for_order(taker.order_id, FILL)] == [20, 20, 20, 10]
    assert iceberg.leaves == 30
    assert venue.book("ACME").depth(SELL) == [(1000, 10, 1)]


def test_last_refill_shows_only_what_is_left(venue, events):
    iceberg = venue.submit(Order("ACME", SELL, 50, price=1000, display=20))
    venue.submit(Order("ACME", BUY, 40, price=1000))

    assert iceberg.shown == 10
    assert venue.book("ACME").depth(SELL) == [(1000, 10, 1)]


def test_iceberg_is_filled_completely_through_its_reserve(venue, events):
    iceberg = venue.submit(Order("ACME", SELL, 50, price=1000, display=20))
    venue.submit(Order("ACME", BUY, 50, price=1000))

    assert iceberg.status == OrderStatus.FILLED
    assert venue.book("ACME").depth(SELL) == []


def test_iceberg_taker_trades_its_whole_quantity_and_rests_its_display(venue, events):
    venue.submit(Order("ACME", SELL, 60, price=1000))
    iceberg = venue.submit(Order("ACME", BUY, 100, price=1000, display=10))

    assert iceberg.cum_qty == 60
    assert venue.book("ACME").depth(BUY) == [(1000, 10, 1)]


def test_display_above_the_order_quantity_is_rejected(venue, events):
    venue.submit(Order("ACME", SELL, 100, price=1000, display=101))

    assert events.one(REJECTED)["reason"] == RejectReason.BAD_DISPLAY_QTY


def test_negative_display_is_rejected(venue, events):
    venue.submit(Order("ACME", SELL, 100, price=1000, display=-10))

    assert events.one(REJECTED)["reason"] == RejectReason.BAD_DISPLAY_QTY


def test_display_that_is_not_a_multiple_of_the_lot_is_rejected(venue, events):
    venue.add_instrument(Equity(symbol="ROUND", lot_size=100))
    venue.submit(Order("ROUND", SELL, 1000, price=1000, display=150))

    assert events.one(REJECTED)["reason"] == RejectReason.BAD_DISPLAY_QTY
