"""Cancel/replace: a price change, a quantity increase or a display change loses time
priority (the order becomes a new Order object with the same order id, at the back of its
level, and may trade); a quantity decrease keeps it. The new quantity is the total,
including what has already filled."""

from __future__ import annotations

import pytest

from exsim_core import BUY, SELL, Equity, Order, OrderStatus, RejectReason, Replace
from exsim_core.events import CANCEL_REJECTED, FILL, REPLACED


def queue(venue, side=BUY):
    return [o.order_id for o in venue.book("ACME").resting(side)]


@pytest.fixture
def two_bids(venue):
    """Two bids at 10.00 from two sessions, ``first`` ahead of ``second``."""
    first = venue.submit(Order("ACME", BUY, 100, price=1000, session="a", cl_ord_id="a1"))
    second = venue.submit(Order("ACME", BUY, 100, price=1000, session="b", cl_ord_id="b1"))
    return first, second


def test_quantity_decrease_keeps_time_priority(venue, events, two_bids):
    first, second = two_bids
    venue.replace(Replace(first.order_id, session="a", cl_ord_id="a2", qty=60))

    assert queue(venue) == [first.order_id, second.order_id]
    assert venue.order(first.order_id) is first
    assert events.one(REPLACED)["kept_priority"] is True
    assert venue.book("ACME").depth(BUY) == [(1000, 160, 2)]


def test_quantity_increase_loses_time_priority(venue, events, two_bids):
    first, second = two_bids
    venue.replace(Replace(first.order_id, session="a", cl_ord_id="a2", qty=150))

    assert queue(venue) == [second.order_id, first.order_id]
    assert events.one(REPLACED)["kept_priority"] is False
    assert venue.book("ACME").depth(BUY) == [(1000, 250, 2)]


def test_price_change_loses_time_priority(venue, events, two_bids):
    first, second = two_bids
    venue.replace(Replace(first.order_id, session="a", price=999))
    venue.replace(Replace(venue.order(first.order_id).order_id, session="a", price=1000))

    assert queue(venue) == [second.order_id, first.order_id]


def test_display_change_loses_time_priority(venue, events, two_bids):
    first, second = two_bids
    venue.replace(Replace(first.order_id, session="a", display=50))

    assert queue(venue) == [second.order_id, first.order_id]


def test_replace_that_loses_priority_makes_a_new_order_with_the_same_order_id(
    venue, events, two_bids
):
    first, _ = two_bids
    venue.replace(Replace(first.order_id, session="a", cl_ord_id="a2", price=1001))

    replaced = events.one(REPLACED)
    new = replaced["order"]
    assert new is not first
    assert replaced["old"] is first
    assert new.order_id == first.order_id
    assert venue.order(first.order_id) is new
    assert first.status == OrderStatus.REPLACED
    assert new.price == 1001


def test_replace_reports_the_previous_client_order_id(venue, events, two_bids):
    first, _ = two_bids
    venue.replace(Replace(first.order_id, session="a", cl_ord_id="a2", qty=50))

    replaced = events.one(REPLACED)
    assert replaced["old_cl_ord_id"] == "a1"
    assert replaced["order"].cl_ord_id == "a2"


def test_replace_to_a_crossing_price_trades(venue, events, two_bids):
    first, _ = two_bids
    venue.submit(Order("ACME", SELL, 40, price=1002))
    venue.replace(Replace(first.order_id, session="a", price=1002))

    new = venue.order(first.order_id)
    fills = events.for_order(first.order_id, FILL)
    assert [(f["last_px"], f["last_qty"], f["liquidity"]) for f in fills] == [(1002, 40, 2)]
    assert new.leaves == 60
    assert venue.book("ACME").depth(BUY) == [(1002, 60, 1), (1000, 100, 1)]


def test_replace_quantity_is_the_total_including_what_has_filled(venue, events, two_bids):
    first, _ = two_bids
    venue.submit(Order("ACME", SELL, 30, price=1000))
    venue.replace(Replace(first.order_id, session="a", qty=80))

    assert first.qty == 80
    assert first.cum_qty == 30
    assert first.leaves == 50


def test_replace_keeps_what_has_filled_when_the_order_moves(venue, events, two_bids):
    first, _ = two_bids
    venue.submit(Order("ACME", SELL, 30, price=1000))
    venue.replace(Replace(first.order_id, session="a", price=999))

    new = venue.order(first.order_id)
    assert (new.cum_qty, new.leaves, new.cum_cost) == (30, 70, 30 * 1000)
    assert new.status == OrderStatus.PARTIALLY_FILLED


@pytest.mark.parametrize("qty", [30, 20])
def test_replace_quantity_not_above_what_has_filled_is_rejected(venue, events, two_bids, qty):
    first, _ = two_bids
    venue.submit(Order("ACME", SELL, 30, price=1000))
    events.clear()
    venue.replace(Replace(first.order_id, session="a", qty=qty))

    assert events.one(CANCEL_REJECTED)["reason"] == RejectReason.QTY_NOT_ABOVE_FILLED
    assert first.leaves == 70


def test_replace_with_nothing_changed_keeps_priority(venue, events, two_bids):
    first, second = two_bids
    venue.replace(Replace(first.order_id, session="a", price=1000, qty=100))

    assert queue(venue) == [first.order_id, second.order_id]


def test_replace_of_an_unknown_order_is_rejected(venue, events):
    venue.replace(Replace(999, qty=10))

    rejected = events.one(CANCEL_REJECTED)
    assert rejected["reason"] == RejectReason.UNKNOWN_ORDER
    assert rejected["order"] is None


def test_replace_of_a_filled_order_is_rejected_as_too_late(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000))
    venue.submit(Order("ACME", SELL, 100, price=1000))
    venue.replace(Replace(order.order_id, qty=50))

    assert events.one(CANCEL_REJECTED)["reason"] == RejectReason.TOO_LATE


def test_replace_by_another_session_is_rejected(venue, events, two_bids):
    first, second = two_bids
    venue.replace(Replace(first.order_id, session="b", qty=50))

    assert events.one(CANCEL_REJECTED)["reason"] == RejectReason.NOT_OWNER
    assert first.qty == 100
    assert queue(venue) == [first.order_id, second.order_id]


def test_replace_to_an_off_tick_price_is_rejected(venue, events):
    venue.add_instrument(Equity(symbol="NICKEL", tick_size="0.05"))
    order = venue.submit(Order("NICKEL", BUY, 100, price=1000))
    venue.replace(Replace(order.order_id, price=1003))

    assert events.one(CANCEL_REJECTED)["reason"] == RejectReason.OFF_TICK
    assert order.price == 1000


def test_replace_to_a_quantity_off_the_lot_is_rejected(venue, events):
    venue.add_instrument(Equity(symbol="ROUND", lot_size=100))
    order = venue.submit(Order("ROUND", BUY, 1000, price=1000))
    venue.replace(Replace(order.order_id, qty=950))

    assert events.one(CANCEL_REJECTED)["reason"] == RejectReason.BAD_LOT


def test_replace_to_a_price_outside_the_band_is_rejected(venue, events):
    venue.add_instrument(Equity(symbol="BAND", reference_price="10.00"))
    venue.set(price_band_pct=5)
    order = venue.submit(Order("BAND", BUY, 100, price=1000))
    venue.replace(Replace(order.order_id, price=1100))

    assert events.one(CANCEL_REJECTED)["reason"] == RejectReason.PRICE_OUT_OF_BAND


def test_replace_of_the_stop_price_of_a_limit_order_is_rejected(venue, events, two_bids):
    first, _ = two_bids
    venue.replace(Replace(first.order_id, session="a", stop_price=1010))

    assert events.one(CANCEL_REJECTED)["reason"] == RejectReason.CHANGE_NOT_ALLOWED


def test_replace_of_a_post_only_order_to_a_crossing_price_is_rejected(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, post_only=True))
    venue.submit(Order("ACME", SELL, 100, price=1005))
    venue.replace(Replace(order.order_id, price=1005))

    assert events.one(CANCEL_REJECTED)["reason"] == RejectReason.POST_ONLY_WOULD_TAKE
    assert events.of(FILL) == []


def test_replace_of_a_post_only_order_to_a_crossing_price_is_repriced_in_reprice_mode(
    venue, events
):
    venue.set(post_only_mode="reprice")
    order = venue.submit(Order("ACME", BUY, 100, price=1000, post_only=True))
    venue.submit(Order("ACME", SELL, 100, price=1005))
    venue.replace(Replace(order.order_id, price=1005))

    assert events.of(FILL) == []
    assert venue.order(order.order_id).price == 1004
    assert venue.book("ACME").depth(BUY) == [(1004, 100, 1)]


def test_replace_display_above_the_quantity_is_rejected(venue, events, two_bids):
    first, _ = two_bids
    venue.replace(Replace(first.order_id, session="a", display=150))

    assert events.one(CANCEL_REJECTED)["reason"] == RejectReason.BAD_DISPLAY_QTY


def test_replace_display_off_the_lot_is_rejected(venue, events):
    venue.add_instrument(Equity(symbol="ROUND", lot_size=100))
    order = venue.submit(Order("ROUND", BUY, 1000, price=1000, display=200))
    venue.replace(Replace(order.order_id, display=150))

    assert events.one(CANCEL_REJECTED)["reason"] == RejectReason.BAD_DISPLAY_QTY


def test_rejected_replace_leaves_the_order_as_it_was(venue, events, two_bids):
    first, second = two_bids
    venue.replace(Replace(second.order_id, session="b", qty=0, price=1003))

    assert events.one(CANCEL_REJECTED)["reason"] == RejectReason.BAD_QTY
    assert (second.qty, second.price, second.leaves) == (100, 1000, 100)
    assert queue(venue) == [first.order_id, second.order_id]
