"""Post-only orders never take liquidity: the venue rejects them or re-prices them one tick
behind the opposite best price, per its ``post_only_mode``."""

from __future__ import annotations

import pytest

from exsim_core import BUY, SELL, Order, OrderStatus, RejectReason, TimeInForce
from exsim_core.events import FILL, REJECTED, RESTATED, RestateReason


def test_post_only_that_would_take_is_rejected_in_reject_mode(venue, events):
    venue.submit(Order("ACME", SELL, 100, price=1000))
    order = venue.submit(Order("ACME", BUY, 100, price=1000, post_only=True))

    assert events.one(REJECTED)["reason"] == RejectReason.POST_ONLY_WOULD_TAKE
    assert order.status == OrderStatus.REJECTED
    assert events.of(FILL) == []


def test_post_only_that_would_not_take_rests(venue, events):
    venue.submit(Order("ACME", SELL, 100, price=1001))
    order = venue.submit(Order("ACME", BUY, 100, price=1000, post_only=True))

    assert order.status == OrderStatus.NEW
    assert venue.book("ACME").depth(BUY) == [(1000, 100, 1)]


def test_buy_post_only_is_repriced_one_tick_below_the_best_offer_in_reprice_mode(venue, events):
    venue.set(post_only_mode="reprice")
    venue.submit(Order("ACME", SELL, 100, price=1000))
    order = venue.submit(Order("ACME", BUY, 100, price=1005, post_only=True))

    assert events.one(RESTATED)["reason"] == RestateReason.REPRICED
    assert order.price == 999
    assert venue.book("ACME").depth(BUY) == [(999, 100, 1)]
    assert events.of(FILL) == []


def test_sell_post_only_is_repriced_one_tick_above_the_best_bid_in_reprice_mode(venue, events):
    venue.set(post_only_mode="reprice")
    venue.submit(Order("ACME", BUY, 100, price=1000))
    venue.submit(Order("ACME", SELL, 100, price=990, post_only=True))

    assert venue.book("ACME").depth(SELL) == [(1001, 100, 1)]
    assert events.of(FILL) == []


def test_post_only_repricing_never_rests_at_a_non_positive_price(venue, events):
    venue.set(post_only_mode="reprice")
    venue.submit(Order("ACME", SELL, 100, price=1))
    order = venue.submit(Order("ACME", BUY, 100, price=5, post_only=True))

    assert venue.book("ACME").depth(BUY) == []
    assert not order.is_live


def test_post_only_market_order_is_rejected(venue, events):
    venue.submit(Order("ACME", SELL, 100, price=1000))
    venue.submit(Order("ACME", BUY, 100, ord_type="market", post_only=True))

    assert events.one(REJECTED)["reason"] == RejectReason.ORDER_TYPE_NOT_ALLOWED


@pytest.mark.parametrize("tif", [TimeInForce.IOC, TimeInForce.FOK])
def test_post_only_with_immediate_tif_is_rejected(venue, events, tif):
    venue.submit(Order("ACME", BUY, 100, price=1000, tif=tif, post_only=True))

    assert events.one(REJECTED)["reason"] == RejectReason.TIF_NOT_ALLOWED


def test_resting_post_only_order_trades_as_maker(venue, events):
    maker = venue.submit(Order("ACME", BUY, 100, price=1000, post_only=True))
    venue.submit(Order("ACME", SELL, 100, price=1000))

    assert maker.status == OrderStatus.FILLED
