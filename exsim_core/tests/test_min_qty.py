"""Minimum quantity: it applies on arrival. An order that would trade but cannot trade its
minimum at once is canceled (MIN_QTY_UNMET) before anything prints."""

from __future__ import annotations

from exsim_core import BUY, SELL, CancelReason, Order, OrderStatus, RejectReason
from exsim_core.events import CANCELED, FILL, REJECTED, TRADE


def test_min_qty_that_cannot_be_met_on_arrival_cancels_the_order(venue, events):
    venue.submit(Order("ACME", SELL, 30, price=1000))
    order = venue.submit(Order("ACME", BUY, 100, price=1000, min_qty=50))

    canceled = events.one(CANCELED)
    assert canceled["order"] is order
    assert canceled["reason"] == CancelReason.MIN_QTY_UNMET
    assert canceled["canceled_qty"] == 100
    assert order.status == OrderStatus.CANCELED


def test_unmet_min_qty_prints_nothing_and_leaves_the_book_alone(venue, events):
    venue.submit(Order("ACME", SELL, 30, price=1000))
    venue.submit(Order("ACME", BUY, 100, price=1000, min_qty=50))

    assert events.of(FILL) == []
    assert events.of(TRADE) == []
    assert venue.book("ACME").depth(SELL) == [(1000, 30, 1)]


def test_min_qty_counts_liquidity_across_price_levels(venue, events):
    venue.submit(Order("ACME", SELL, 30, price=1000))
    venue.submit(Order("ACME", SELL, 30, price=1001))
    order = venue.submit(Order("ACME", BUY, 100, price=1001, min_qty=50))

    assert order.cum_qty == 60


def test_met_min_qty_trades_and_rests_the_remainder(venue, events):
    venue.submit(Order("ACME", SELL, 60, price=1000))
    order = venue.submit(Order("ACME", BUY, 100, price=1000, min_qty=50))

    assert order.cum_qty == 60
    assert venue.book("ACME").depth(BUY) == [(1000, 40, 1)]


def test_min_qty_order_that_would_not_trade_rests(venue, events):
    venue.submit(Order("ACME", SELL, 10, price=1001))
    order = venue.submit(Order("ACME", BUY, 100, price=1000, min_qty=50))

    assert order.status == OrderStatus.NEW
    assert venue.book("ACME").depth(BUY) == [(1000, 100, 1)]


def test_resting_min_qty_order_fills_any_size_as_maker(venue, events):
    maker = venue.submit(Order("ACME", BUY, 100, price=1000, min_qty=50))
    venue.submit(Order("ACME", SELL, 10, price=1000))

    assert maker.cum_qty == 10
    assert maker.leaves == 90


def test_min_qty_above_order_qty_is_rejected(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, min_qty=101))

    assert events.one(REJECTED)["reason"] == RejectReason.BAD_MIN_QTY
    assert order.status == OrderStatus.REJECTED


def test_negative_min_qty_is_rejected(venue, events):
    venue.submit(Order("ACME", BUY, 100, price=1000, min_qty=-1))

    assert events.one(REJECTED)["reason"] == RejectReason.BAD_MIN_QTY
