"""Cancel, reduce, mass cancel (by session, instrument, side, account) and order status."""

from __future__ import annotations

import pytest

from exsim_core import (
    BUY,
    SELL,
    Cancel,
    CancelReason,
    Equity,
    MassCancel,
    Order,
    OrderStatus,
    RejectReason,
    Replace,
)
from exsim_core.events import CANCEL_REJECTED, CANCELED, MASS_CANCELED


def test_cancel_removes_a_resting_order(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, session="a"))
    events.clear()
    venue.cancel(Cancel(order.order_id, session="a"))

    canceled = events.one(CANCELED)
    assert canceled["order"] is order
    assert canceled["reason"] == CancelReason.USER
    assert (canceled["canceled_qty"], canceled["leaves"]) == (100, 0)
    assert order.status == OrderStatus.CANCELED
    assert venue.book("ACME").depth(BUY) == []
    assert venue.order(order.order_id) is None


def test_cancel_after_a_partial_fill_cancels_only_what_is_left(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, session="a"))
    venue.submit(Order("ACME", SELL, 30, price=1000))
    events.clear()
    venue.cancel(Cancel(order.order_id, session="a"))

    assert events.one(CANCELED)["canceled_qty"] == 70
    assert order.cum_qty == 30


def test_cancel_of_an_unknown_order_is_rejected(venue, events):
    venue.cancel(Cancel(12345, session="a"))

    rejected = events.one(CANCEL_REJECTED)
    assert rejected["reason"] == RejectReason.UNKNOWN_ORDER
    assert rejected["order"] is None


def test_cancel_of_a_filled_order_is_rejected_as_too_late(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, session="a"))
    venue.submit(Order("ACME", SELL, 100, price=1000))
    venue.cancel(Cancel(order.order_id, session="a"))

    assert events.one(CANCEL_REJECTED)["reason"] == RejectReason.TOO_LATE


def test_second_cancel_of_an_order_is_rejected_as_too_late(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, session="a"))
    venue.cancel(Cancel(order.order_id, session="a"))
    venue.cancel(Cancel(order.order_id, session="a"))

    assert events.one(CANCEL_REJECTED)["reason"] == RejectReason.TOO_LATE
    assert len(events.of(CANCELED)) == 1


def test_cancel_by_another_session_is_rejected_and_the_order_stays(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, session="a"))
    venue.cancel(Cancel(order.order_id, session="b"))

    assert events.one(CANCEL_REJECTED)["reason"] == RejectReason.NOT_OWNER
    assert order.is_live


def test_cancel_with_leaves_to_reduces_the_order_and_keeps_its_priority(venue, events):
    first = venue.submit(Order("ACME", BUY, 100, price=1000, session="a"))
    second = venue.submit(Order("ACME", BUY, 100, price=1000, session="b"))
    events.clear()
    venue.cancel(Cancel(first.order_id, session="a", leaves_to=40))

    canceled = events.one(CANCELED)
    assert (canceled["canceled_qty"], canceled["leaves"]) == (60, 40)
    assert [o.order_id for o in venue.book("ACME").resting(BUY)] == [
        first.order_id,
        second.order_id,
    ]
    assert venue.book("ACME").depth(BUY) == [(1000, 140, 2)]


def test_reduce_that_would_not_reduce_is_rejected_with_an_explicit_reason(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, session="a"))
    venue.cancel(Cancel(order.order_id, session="a", leaves_to=100))

    assert events.one(CANCEL_REJECTED)["reason"] != RejectReason.OTHER


def test_reduced_order_quantity_is_what_has_filled_plus_what_is_left(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, session="a"))
    venue.submit(Order("ACME", SELL, 10, price=1000))
    venue.cancel(Cancel(order.order_id, session="a", leaves_to=40))

    assert (order.qty, order.cum_qty, order.leaves) == (50, 10, 40)


def test_replace_after_a_reduce_keeps_the_reduced_quantity_working(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, session="a"))
    venue.cancel(Cancel(order.order_id, session="a", leaves_to=40))
    venue.replace(Replace(order.order_id, session="a", price=999))

    assert venue.order(order.order_id).leaves == 40
    assert venue.book("ACME").depth(BUY) == [(999, 40, 1)]


def test_waiting_stop_can_be_canceled(venue, events):
    stop = venue.submit(Order("ACME", SELL, 100, ord_type="stop", stop_price=990, session="a"))
    venue.cancel(Cancel(stop.order_id, session="a"))

    assert events.one(CANCELED)["reason"] == CancelReason.USER
    assert stop.status == OrderStatus.CANCELED


# ---------------------------------------------------------------------------------- mass cancel


@pytest.fixture
def spread_of_orders(venue):
    """Orders from sessions a and b (accounts A1, B1) on both sides of ACME and BOLT."""
    venue.add_instrument(Equity(symbol="BOLT"))
    orders = {}
    for session, account in (("a", "A1"), ("b", "B1")):
        for symbol in ("ACME", "BOLT"):
            for side, price in ((BUY, 900), (SELL, 1100)):
                order = Order(symbol, side, 10, price=price, session=session, account=account)
                orders[session, symbol, side] = venue.submit(order)
    return orders


def survivors(orders):
    return {key for key, order in orders.items() if order.is_live}


def test_mass_cancel_by_session_cancels_only_that_sessions_orders(venue, events, spread_of_orders):
    events.clear()
    venue.mass_cancel(MassCancel(session="a"))

    assert survivors(spread_of_orders) == {k for k in spread_of_orders if k[0] == "b"}
    assert events.one(MASS_CANCELED)["count"] == 4
    assert {c["reason"] for c in events.of(CANCELED)} == {CancelReason.MASS_CANCEL}


def test_mass_cancel_by_instrument_cancels_only_that_instruments_orders(
    venue, events, spread_of_orders
):
    venue.mass_cancel(MassCancel(symbol="BOLT"))

    assert survivors(spread_of_orders) == {k for k in spread_of_orders if k[1] == "ACME"}
    assert venue.book("BOLT").depth(BUY) == []
    assert venue.book("BOLT").depth(SELL) == []


def test_mass_cancel_by_side_cancels_only_that_side(venue, events, spread_of_orders):
    venue.mass_cancel(MassCancel(side=SELL))

    assert survivors(spread_of_orders) == {k for k in spread_of_orders if k[2] == BUY}


def test_mass_cancel_by_account_cancels_only_that_accounts_orders(venue, events, spread_of_orders):
    venue.mass_cancel(MassCancel(account="B1"))

    assert survivors(spread_of_orders) == {k for k in spread_of_orders if k[0] == "a"}


def test_mass_cancel_criteria_combine(venue, events, spread_of_orders):
    venue.mass_cancel(MassCancel(session="a", symbol="ACME", side=BUY))

    assert survivors(spread_of_orders) == set(spread_of_orders) - {("a", "ACME", BUY)}


def test_mass_cancel_includes_waiting_stops(venue, events):
    stop = venue.submit(Order("ACME", SELL, 100, ord_type="stop", stop_price=990, session="a"))
    venue.mass_cancel(MassCancel(session="a"))

    assert stop.status == OrderStatus.CANCELED
    assert events.one(MASS_CANCELED)["count"] == 1


def test_mass_cancel_that_matches_nothing_reports_zero(venue, events, spread_of_orders):
    events.clear()
    venue.mass_cancel(MassCancel(session="nobody"))

    assert events.kinds() == ["mass_canceled"]
    assert events.one(MASS_CANCELED)["count"] == 0


# ---------------------------------------------------------------------------------- status


def test_order_status_of_a_live_order_is_the_order(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000))
    venue.submit(Order("ACME", SELL, 30, price=1000))

    live = venue.order(order.order_id)
    assert live is order
    assert (live.status, live.cum_qty, live.leaves) == (OrderStatus.PARTIALLY_FILLED, 30, 70)


def test_order_status_moves_from_new_to_filled(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000))
    assert order.status == OrderStatus.NEW

    venue.submit(Order("ACME", SELL, 40, price=1000))
    assert order.status == OrderStatus.PARTIALLY_FILLED

    venue.submit(Order("ACME", SELL, 60, price=1000))
    assert order.status == OrderStatus.FILLED


def test_done_orders_are_not_live(venue, events):
    filled = venue.submit(Order("ACME", BUY, 100, price=1000))
    venue.submit(Order("ACME", SELL, 100, price=1000))
    canceled = venue.submit(Order("ACME", BUY, 100, price=990))
    venue.cancel(Cancel(canceled.order_id))
    rejected = venue.submit(Order("ACME", BUY, 0, price=990))

    for order in (filled, canceled, rejected):
        assert venue.order(order.order_id) is None
        assert not order.is_live
        assert OrderStatus(order.status).is_terminal
