"""Market and market-to-limit orders.

A market order trades at any price, best first; its unfilled remainder is canceled
(NO_LIQUIDITY when nothing filled, IOC_REMAINDER otherwise). A market-to-limit order trades
at the opposite best price only and rests its remainder there as a limit order; it is
rejected with NO_LIQUIDITY when the opposite side is empty.
"""

from __future__ import annotations

from exsim_core import BUY, SELL, CancelReason, Order, OrderStatus, RejectReason
from exsim_core.events import ADDED, CANCELED, FILL, REJECTED


def test_market_order_sweeps_the_book_best_price_first(venue, events):
    venue.submit(Order("ACME", SELL, 100, price=1002))
    venue.submit(Order("ACME", SELL, 100, price=1000))
    venue.submit(Order("ACME", SELL, 100, price=1001))
    order = venue.submit(Order("ACME", BUY, 250, ord_type="market"))

    fills = events.for_order(order.order_id, FILL)
    assert [(f["last_px"], f["last_qty"]) for f in fills] == [(1000, 100), (1001, 100), (1002, 50)]
    assert order.status == OrderStatus.FILLED


def test_sell_market_order_trades_with_the_highest_bid_first(venue, events):
    venue.submit(Order("ACME", BUY, 100, price=998))
    venue.submit(Order("ACME", BUY, 100, price=999))
    order = venue.submit(Order("ACME", SELL, 100, ord_type="market"))

    assert events.for_order(order.order_id, FILL)[0]["last_px"] == 999


def test_market_remainder_after_a_partial_fill_is_canceled_as_ioc_remainder(venue, events):
    venue.submit(Order("ACME", SELL, 30, price=1000))
    order = venue.submit(Order("ACME", BUY, 100, ord_type="market"))

    canceled = events.one(CANCELED)
    assert canceled["order"] is order
    assert canceled["reason"] == CancelReason.IOC_REMAINDER
    assert canceled["canceled_qty"] == 70
    assert order.cum_qty == 30


def test_market_order_into_an_empty_side_is_canceled_for_no_liquidity(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, ord_type="market"))

    assert events.kinds() == ["accepted", "canceled"]
    assert events.one(CANCELED)["reason"] == CancelReason.NO_LIQUIDITY
    assert order.status == OrderStatus.CANCELED


def test_market_order_never_rests(venue, events):
    venue.submit(Order("ACME", SELL, 30, price=1000))
    venue.submit(Order("ACME", BUY, 100, ord_type="market"))

    assert [e for e in events.of(ADDED) if e["order"].side == BUY] == []
    assert venue.book("ACME").depth(BUY) == []


def test_market_order_with_a_limit_price_is_rejected(venue, events):
    venue.submit(Order("ACME", BUY, 100, price=1000, ord_type="market"))

    assert events.one(REJECTED)["reason"] == RejectReason.UNEXPECTED_PRICE


def test_market_to_limit_trades_at_the_opposite_best_price_only(venue, events):
    venue.submit(Order("ACME", SELL, 50, price=1000))
    venue.submit(Order("ACME", SELL, 50, price=1001))
    order = venue.submit(Order("ACME", BUY, 100, ord_type="market_to_limit"))

    fills = events.for_order(order.order_id, FILL)
    assert [(f["last_px"], f["last_qty"]) for f in fills] == [(1000, 50)]


def test_market_to_limit_rests_its_remainder_as_a_limit_at_that_price(venue, events):
    venue.submit(Order("ACME", SELL, 50, price=1000))
    venue.submit(Order("ACME", SELL, 50, price=1001))
    order = venue.submit(Order("ACME", BUY, 100, ord_type="market_to_limit"))

    assert order.price == 1000
    assert order.status == OrderStatus.PARTIALLY_FILLED
    assert venue.book("ACME").depth(BUY) == [(1000, 50, 1)]
    assert venue.book("ACME").depth(SELL) == [(1001, 50, 1)]


def test_market_to_limit_with_an_empty_opposite_side_is_rejected_for_no_liquidity(venue, events):
    venue.submit(Order("ACME", BUY, 100, price=999))
    order = venue.submit(Order("ACME", BUY, 100, ord_type="market_to_limit"))

    assert events.one(REJECTED)["reason"] == RejectReason.NO_LIQUIDITY
    assert order.status == OrderStatus.REJECTED


def test_market_to_limit_with_a_limit_price_is_rejected(venue, events):
    venue.submit(Order("ACME", SELL, 50, price=1000))
    venue.submit(Order("ACME", BUY, 100, price=1000, ord_type="market_to_limit"))

    assert events.one(REJECTED)["reason"] == RejectReason.UNEXPECTED_PRICE
