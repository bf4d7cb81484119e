"""Pegged orders: primary (same side's best), market (opposite best) or midpoint, plus an
offset in ticks.

The reference ignores other pegged orders. A pegged order never takes liquidity on arrival,
is clamped one tick away from the opposite side so that it never locks or crosses the
book, never goes through its own limit price, and re-pegs (a new Order object with the same
order id, at the back of its new level) whenever its reference moves.
"""

from __future__ import annotations

import pytest

from exsim_core import (
    BUY,
    SELL,
    Cancel,
    Equity,
    Liquidity,
    Order,
    OrderStatus,
    PegType,
    RejectReason,
    TimeInForce,
)
from exsim_core.events import ADDED, FILL, REJECTED, RESTATED, RestateReason


def peg(side, peg_type, offset=0, qty=10, symbol="ACME", **kw):
    return Order(symbol, side, qty, ord_type="peg", peg=peg_type, peg_offset=offset, **kw)


@pytest.fixture
def spread(venue):
    """A book of ACME quoted 10.00 / 10.10 (one order each side)."""
    bid = venue.submit(Order("ACME", BUY, 100, price=1000, session="mm"))
    ask = venue.submit(Order("ACME", SELL, 100, price=1010, session="mm"))
    return bid, ask


def resting_price(venue, order_id):
    order = venue.order(order_id)
    assert order is not None, "the order should be live"
    assert order.level is not None, "the order should rest"
    return order.level.price


def test_primary_buy_peg_rests_at_the_best_bid(venue, events, spread):
    order = venue.submit(peg(BUY, PegType.PRIMARY))

    assert resting_price(venue, order.order_id) == 1000


def test_primary_sell_peg_rests_at_the_best_offer(venue, events, spread):
    order = venue.submit(peg(SELL, PegType.PRIMARY))

    assert resting_price(venue, order.order_id) == 1010


def test_peg_offset_counts_ticks_not_price_units(venue, events):
    venue.add_instrument(Equity(symbol="NICKEL", tick_size="0.05"))
    venue.submit(Order("NICKEL", BUY, 100, price=1000))
    venue.submit(Order("NICKEL", SELL, 100, price=1100))
    order = venue.submit(peg(BUY, PegType.PRIMARY, offset=-2, symbol="NICKEL"))

    assert resting_price(venue, order.order_id) == 990


def test_primary_peg_follows_the_best_bid_up(venue, events, spread):
    order = venue.submit(peg(BUY, PegType.PRIMARY))
    events.clear()
    venue.submit(Order("ACME", BUY, 100, price=1003))

    restated = events.one(RESTATED)
    assert restated["reason"] == RestateReason.REPEG
    assert restated["order"].order_id == order.order_id
    assert resting_price(venue, order.order_id) == 1003


def test_primary_peg_follows_the_best_bid_down_when_it_leaves(venue, events, spread):
    bid, _ = spread
    venue.submit(Order("ACME", BUY, 100, price=997))
    order = venue.submit(peg(BUY, PegType.PRIMARY))
    venue.cancel(Cancel(bid.order_id))

    assert resting_price(venue, order.order_id) == 997


def test_market_buy_peg_without_offset_is_kept_one_tick_below_the_best_offer(venue, events, spread):
    order = venue.submit(peg(BUY, PegType.MARKET))

    assert resting_price(venue, order.order_id) == 1009


def test_market_buy_peg_with_a_negative_offset_rests_that_many_ticks_below_the_offer(
    venue, events, spread
):
    order = venue.submit(peg(BUY, PegType.MARKET, offset=-3))

    assert resting_price(venue, order.order_id) == 1007


def test_market_sell_peg_follows_the_best_bid(venue, events, spread):
    order = venue.submit(peg(SELL, PegType.MARKET, offset=4))
    assert resting_price(venue, order.order_id) == 1004

    venue.submit(Order("ACME", BUY, 100, price=1002))
    assert resting_price(venue, order.order_id) == 1006


def test_midpoint_peg_rests_at_the_midpoint(venue, events, spread):
    order = venue.submit(peg(BUY, PegType.MIDPOINT))

    assert resting_price(venue, order.order_id) == 1005


def test_midpoint_buy_peg_rounds_down_to_the_tick(venue, events):
    venue.submit(Order("ACME", BUY, 100, price=1000))
    venue.submit(Order("ACME", SELL, 100, price=1011))
    order = venue.submit(peg(BUY, PegType.MIDPOINT))

    assert resting_price(venue, order.order_id) == 1005


def test_midpoint_sell_peg_rounds_up_to_the_tick(venue, events):
    venue.submit(Order("ACME", BUY, 100, price=1000))
    venue.submit(Order("ACME", SELL, 100, price=1011))
    order = venue.submit(peg(SELL, PegType.MIDPOINT))

    assert resting_price(venue, order.order_id) == 1006


def test_midpoint_peg_follows_the_midpoint_when_the_spread_narrows(venue, events, spread):
    order = venue.submit(peg(BUY, PegType.MIDPOINT))
    venue.submit(Order("ACME", SELL, 100, price=1006))

    assert resting_price(venue, order.order_id) == 1003


def test_primary_peg_offset_through_the_spread_is_clamped_one_tick_from_the_offer(
    venue, events, spread
):
    order = venue.submit(peg(BUY, PegType.PRIMARY, offset=50))

    assert resting_price(venue, order.order_id) == 1009


def test_repegging_keeps_the_peg_one_tick_from_the_offer_instead_of_locking(venue, events, spread):
    order = venue.submit(peg(BUY, PegType.PRIMARY, offset=5))
    venue.submit(Order("ACME", BUY, 100, price=1007))

    assert resting_price(venue, order.order_id) == 1009
    book = venue.book("ACME")
    assert (book.best_bid, book.best_ask) == (1009, 1010)


def test_peg_never_takes_liquidity_on_arrival(venue, events, spread):
    order = venue.submit(peg(BUY, PegType.MARKET, offset=5))

    assert events.of(FILL) == []
    assert order.cum_qty == 0
    assert venue.book("ACME").depth(SELL) == [(1010, 100, 1)]


def test_peg_is_clamped_away_from_an_opposite_pegged_order_too(venue, events, spread):
    sell_peg = venue.submit(peg(SELL, PegType.PRIMARY, offset=-9))
    order = venue.submit(peg(BUY, PegType.MARKET))

    assert resting_price(venue, sell_peg.order_id) == 1001
    assert resting_price(venue, order.order_id) == 1000


def test_peg_never_goes_through_its_limit_price(venue, events, spread):
    order = venue.submit(peg(BUY, PegType.PRIMARY, price=1001))
    venue.submit(Order("ACME", BUY, 100, price=1004))

    assert resting_price(venue, order.order_id) == 1001


def test_peg_reference_ignores_other_pegged_orders(venue, events, spread):
    first = venue.submit(peg(BUY, PegType.PRIMARY, offset=1))
    second = venue.submit(peg(BUY, PegType.PRIMARY, offset=1))

    assert resting_price(venue, first.order_id) == 1001
    assert resting_price(venue, second.order_id) == 1001


def test_repegged_order_is_a_new_object_with_the_same_order_id(venue, events, spread):
    order = venue.submit(peg(BUY, PegType.PRIMARY))
    venue.submit(Order("ACME", BUY, 100, price=1003))

    moved = venue.order(order.order_id)
    assert moved is not order
    assert moved.order_id == order.order_id
    assert order.status == OrderStatus.REPLACED
    assert not order.is_live


def test_repegged_order_joins_the_back_of_its_new_level(venue, events, spread):
    order = venue.submit(peg(BUY, PegType.PRIMARY))
    first_there = venue.submit(Order("ACME", BUY, 100, price=1003))

    ids = [o.order_id for o in venue.book("ACME").resting(BUY)]
    assert ids[:2] == [first_there.order_id, order.order_id]
    added = [e for e in events.of(ADDED) if e["order"].order_id == order.order_id]
    assert [e["price"] for e in added] == [1000, 1003]


def test_resting_peg_trades_as_a_maker(venue, events, spread):
    order = venue.submit(peg(BUY, PegType.MARKET, offset=-1))
    venue.submit(Order("ACME", SELL, 10, price=1008))

    fills = events.for_order(order.order_id, FILL)
    assert [(f["last_px"], f["last_qty"], f["liquidity"]) for f in fills] == [
        (1009, 10, Liquidity.MAKER)
    ]


def test_peg_without_a_reference_price_is_rejected_for_no_liquidity(venue, events):
    venue.submit(Order("ACME", SELL, 100, price=1010))
    venue.submit(peg(BUY, PegType.PRIMARY))

    assert events.one(REJECTED)["reason"] == RejectReason.NO_LIQUIDITY


def test_midpoint_peg_with_one_side_empty_is_rejected_for_no_liquidity(venue, events):
    venue.submit(Order("ACME", BUY, 100, price=1000))
    venue.submit(peg(BUY, PegType.MIDPOINT))

    assert events.one(REJECTED)["reason"] == RejectReason.NO_LIQUIDITY


@pytest.mark.parametrize("tif", [TimeInForce.IOC, TimeInForce.FOK])
def test_peg_with_an_immediate_tif_is_rejected(venue, events, spread, tif):
    venue.submit(peg(BUY, PegType.PRIMARY, tif=tif))

    assert events.one(REJECTED)["reason"] == RejectReason.TIF_NOT_ALLOWED


def test_peg_order_without_a_peg_type_is_rejected(venue, events, spread):
    venue.submit(peg(BUY, PegType.NONE))

    assert events.one(REJECTED)["reason"] == RejectReason.BAD_PEG


def test_limit_order_with_a_peg_type_is_rejected(venue, events, spread):
    venue.submit(Order("ACME", BUY, 10, price=1000, peg=PegType.PRIMARY))

    assert events.one(REJECTED)["reason"] == RejectReason.BAD_PEG
