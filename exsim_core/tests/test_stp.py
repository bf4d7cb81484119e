"""Self-trade prevention, a venue setting: what happens when an order would trade with an
order of the same owner (same session, or same account, per ``stp_scope``).

* cancel newest: the incoming order's remainder is canceled, the resting order stays;
* cancel oldest: the resting order is canceled and the incoming order goes on matching;
* cancel both: both are canceled;
* decrement: both are reduced by the smaller quantity, without a trade.
"""

from __future__ import annotations

from exsim_core import BUY, SELL, CancelReason, Order, OrderStatus, Replace, TimeInForce
from exsim_core.events import CANCELED, FILL, TRADE


def own_cancels(events):
    return [
        (c["order"].order_id, c["canceled_qty"], c["leaves"])
        for c in events.of(CANCELED)
        if c["reason"] == CancelReason.SELF_TRADE
    ]


def test_without_stp_an_owner_can_trade_with_itself(venue, events):
    venue.submit(Order("ACME", SELL, 100, price=1000, session="a"))
    venue.submit(Order("ACME", BUY, 100, price=1000, session="a"))

    assert len(events.of(TRADE)) == 1


def test_cancel_newest_cancels_the_incoming_order_and_keeps_the_resting_one(venue, events):
    venue.set(stp_mode="cancel_newest")
    resting = venue.submit(Order("ACME", SELL, 100, price=1000, session="a"))
    incoming = venue.submit(Order("ACME", BUY, 60, price=1000, session="a"))

    assert own_cancels(events) == [(incoming.order_id, 60, 0)]
    assert incoming.status == OrderStatus.CANCELED
    assert resting.leaves == 100
    assert events.of(TRADE) == []


def test_cancel_newest_keeps_the_fills_before_the_own_order(venue, events):
    venue.set(stp_mode="cancel_newest")
    venue.submit(Order("ACME", SELL, 30, price=1000, session="b"))
    venue.submit(Order("ACME", SELL, 100, price=1000, session="a"))
    venue.submit(Order("ACME", SELL, 100, price=1000, session="c"))
    incoming = venue.submit(Order("ACME", BUY, 100, price=1000, session="a"))

    assert incoming.cum_qty == 30
    assert own_cancels(events) == [(incoming.order_id, 70, 0)]


def test_cancel_oldest_cancels_the_resting_order_and_the_incoming_goes_on(venue, events):
    venue.set(stp_mode="cancel_oldest")
    resting = venue.submit(Order("ACME", SELL, 50, price=1000, session="a"))
    other = venue.submit(Order("ACME", SELL, 100, price=1000, session="b"))
    incoming = venue.submit(Order("ACME", BUY, 60, price=1000, session="a"))

    assert own_cancels(events) == [(resting.order_id, 50, 0)]
    assert [f["contra"] for f in events.for_order(incoming.order_id, FILL)] == [other]
    assert incoming.status == OrderStatus.FILLED


def test_cancel_both_cancels_the_incoming_and_the_resting_order(venue, events):
    venue.set(stp_mode="cancel_both")
    resting = venue.submit(Order("ACME", SELL, 100, price=1000, session="a"))
    venue.submit(Order("ACME", SELL, 100, price=1000, session="b"))
    incoming = venue.submit(Order("ACME", BUY, 60, price=1000, session="a"))

    assert own_cancels(events) == [(resting.order_id, 100, 0), (incoming.order_id, 60, 0)]
    assert events.of(TRADE) == []
    assert venue.book("ACME").depth(SELL) == [(1000, 100, 1)]


def test_decrement_reduces_both_by_the_smaller_quantity_without_a_trade(venue, events):
    venue.set(stp_mode="decrement")
    resting = venue.submit(Order("ACME", SELL, 100, price=1000, session="a"))
    incoming = venue.submit(Order("ACME", BUY, 60, price=1000, session="a"))

    assert events.of(TRADE) == []
    assert sorted(own_cancels(events)) == [(resting.order_id, 60, 40), (incoming.order_id, 60, 0)]
    assert resting.leaves == 40
    assert not incoming.is_live
    assert venue.book("ACME").depth(SELL) == [(1000, 40, 1)]


def test_decrement_lets_a_larger_incoming_order_go_on_matching(venue, events):
    venue.set(stp_mode="decrement")
    resting = venue.submit(Order("ACME", SELL, 30, price=1000, session="a"))
    other = venue.submit(Order("ACME", SELL, 100, price=1000, session="b"))
    incoming = venue.submit(Order("ACME", BUY, 80, price=1000, session="a"))

    assert resting.status == OrderStatus.CANCELED
    assert [(f["contra"], f["last_qty"]) for f in events.for_order(incoming.order_id, FILL)] == [
        (other, 50)
    ]
    assert (incoming.cum_qty, incoming.leaves) == (50, 0)


def test_decremented_order_quantity_is_what_has_filled_plus_what_is_left(venue, events):
    venue.set(stp_mode="decrement")
    resting = venue.submit(Order("ACME", SELL, 100, price=1000, session="a"))
    venue.submit(Order("ACME", BUY, 60, price=1000, session="a"))

    assert (resting.qty, resting.cum_qty, resting.leaves) == (40, 0, 40)


def test_replace_after_a_decrement_does_not_bring_the_decremented_quantity_back(venue, events):
    venue.set(stp_mode="decrement")
    resting = venue.submit(Order("ACME", SELL, 100, price=1000, session="a"))
    venue.submit(Order("ACME", BUY, 60, price=1000, session="a"))
    venue.replace(Replace(resting.order_id, session="a", price=1001))

    assert venue.order(resting.order_id).leaves == 40


def test_session_scope_lets_two_sessions_trade(venue, events):
    venue.set(stp_mode="cancel_newest", stp_scope="session")
    venue.submit(Order("ACME", SELL, 100, price=1000, session="a", account="X"))
    venue.submit(Order("ACME", BUY, 100, price=1000, session="b", account="X"))

    assert len(events.of(TRADE)) == 1


def test_account_scope_prevents_trades_between_sessions_of_one_account(venue, events):
    venue.set(stp_mode="cancel_newest", stp_scope="account")
    venue.submit(Order("ACME", SELL, 100, price=1000, session="a", account="X"))
    incoming = venue.submit(Order("ACME", BUY, 100, price=1000, session="b", account="X"))

    assert events.of(TRADE) == []
    assert own_cancels(events) == [(incoming.order_id, 100, 0)]


def test_account_scope_lets_two_accounts_of_one_session_trade(venue, events):
    venue.set(stp_mode="cancel_newest", stp_scope="account")
    venue.submit(Order("ACME", SELL, 100, price=1000, session="a", account="X"))
    venue.submit(Order("ACME", BUY, 100, price=1000, session="a", account="Y"))

    assert len(events.of(TRADE)) == 1


def test_fok_that_would_meet_its_own_order_first_is_not_filled(venue, events):
    venue.set(stp_mode="cancel_newest")
    venue.submit(Order("ACME", SELL, 50, price=1000, session="a"))
    venue.submit(Order("ACME", SELL, 100, price=1000, session="b"))
    incoming = venue.submit(Order("ACME", BUY, 100, price=1000, session="a", tif=TimeInForce.FOK))

    assert events.of(TRADE) == []
    assert incoming.cum_qty == 0


def test_stp_applies_to_orders_resting_from_before_it_was_switched_on(venue, events):
    venue.submit(Order("ACME", SELL, 100, price=1000, session="a"))
    venue.set(stp_mode="cancel_newest")
    venue.submit(Order("ACME", BUY, 100, price=1000, session="a"))

    assert events.of(TRADE) == []
