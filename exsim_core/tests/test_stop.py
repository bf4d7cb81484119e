"""Stop and stop-limit orders.

A buy stop triggers when the last trade price is at or above its stop price, a sell stop
when it is at or below; a stop releases a market order, a stop-limit a limit order at its
price. A stop whose condition already holds on arrival triggers at once.
"""

from __future__ import annotations

from exsim_core import (
    BUY,
    SELL,
    Cancel,
    CancelReason,
    Equity,
    Order,
    OrderStatus,
    RejectReason,
    Replace,
)
from exsim_core.events import ADDED, CANCELED, FILL, REJECTED, TRIGGERED


def trade_at(venue, price, qty=10):
    """Print one trade at ``price`` between two sessions that are not under test."""
    venue.submit(Order("ACME", SELL, qty, price=price, session="tape-s"))
    venue.submit(Order("ACME", BUY, qty, price=price, session="tape-b"))


def test_stop_waits_for_its_trigger_without_resting_in_the_book(venue, events):
    stop = venue.submit(Order("ACME", BUY, 100, ord_type="stop", stop_price=1010))

    assert stop.status == OrderStatus.WAITING_TRIGGER
    assert events.kinds() == ["accepted"]
    assert venue.book("ACME").depth(BUY) == []
    assert venue.book("ACME").stops() == [stop]


def test_buy_stop_does_not_trigger_below_its_stop_price(venue, events):
    stop = venue.submit(Order("ACME", BUY, 100, ord_type="stop", stop_price=1010))
    trade_at(venue, 1009)

    assert events.of(TRIGGERED) == []
    assert stop.status == OrderStatus.WAITING_TRIGGER


def test_buy_stop_triggers_when_the_last_trade_reaches_its_stop_price(venue, events):
    stop = venue.submit(Order("ACME", BUY, 100, ord_type="stop", stop_price=1010))
    trade_at(venue, 1010)

    assert events.one(TRIGGERED)["order"] is stop
    assert stop.status != OrderStatus.WAITING_TRIGGER


def test_sell_stop_triggers_when_the_last_trade_falls_to_its_stop_price(venue, events):
    stop = venue.submit(Order("ACME", SELL, 100, ord_type="stop", stop_price=990))
    trade_at(venue, 991)
    assert events.of(TRIGGERED) == []

    trade_at(venue, 990)
    assert events.one(TRIGGERED)["order"] is stop


def test_triggered_stop_trades_as_a_market_order(venue, events):
    stop = venue.submit(Order("ACME", BUY, 100, ord_type="stop", stop_price=1010))
    venue.submit(Order("ACME", SELL, 60, price=1020))
    venue.submit(Order("ACME", SELL, 60, price=1030))
    trade_at(venue, 1010)

    fills = events.for_order(stop.order_id, FILL)
    assert [(f["last_px"], f["last_qty"]) for f in fills] == [(1020, 60), (1030, 40)]


def test_triggered_stop_without_liquidity_is_canceled_for_no_liquidity(venue, events):
    stop = venue.submit(Order("ACME", BUY, 100, ord_type="stop", stop_price=1010))
    trade_at(venue, 1010)

    canceled = events.for_order(stop.order_id, CANCELED)
    assert [c["reason"] for c in canceled] == [CancelReason.NO_LIQUIDITY]


def test_triggered_stop_limit_trades_up_to_its_limit_and_rests_the_rest(venue, events):
    stop = venue.submit(Order("ACME", BUY, 100, price=1020, ord_type="stop_limit", stop_price=1010))
    venue.submit(Order("ACME", SELL, 60, price=1020))
    venue.submit(Order("ACME", SELL, 60, price=1030))
    trade_at(venue, 1010)

    assert stop.cum_qty == 60
    assert venue.book("ACME").depth(BUY)[0] == (1020, 40, 1)
    assert [e["price"] for e in events.of(ADDED) if e["order"] is stop] == [1020]


def test_stop_whose_condition_holds_on_arrival_triggers_at_once(venue, events):
    trade_at(venue, 1010)
    venue.submit(Order("ACME", SELL, 100, price=1015))
    events.clear()
    stop = venue.submit(Order("ACME", BUY, 100, ord_type="stop", stop_price=1005))

    assert events.kinds()[:2] == ["accepted", "triggered"]
    assert stop.status == OrderStatus.FILLED


def test_stop_arriving_when_the_last_trade_is_at_its_stop_price_triggers_at_once(venue, events):
    trade_at(venue, 1010)
    venue.submit(Order("ACME", SELL, 100, price=1015))
    events.clear()
    stop = venue.submit(Order("ACME", BUY, 100, ord_type="stop", stop_price=1010))

    assert [e["order"] for e in events.of(TRIGGERED)] == [stop]


def test_sell_stop_whose_condition_holds_on_arrival_triggers_at_once(venue, events):
    trade_at(venue, 1010)
    venue.submit(Order("ACME", BUY, 100, price=1000))
    events.clear()
    stop = venue.submit(Order("ACME", SELL, 100, ord_type="stop", stop_price=1010))

    assert [e["order"] for e in events.of(TRIGGERED)] == [stop]
    assert stop.status == OrderStatus.FILLED


def test_stop_before_any_trade_waits(venue, events):
    venue.submit(Order("ACME", SELL, 100, price=1000))
    stop = venue.submit(Order("ACME", BUY, 100, ord_type="stop", stop_price=1))

    assert stop.status == OrderStatus.WAITING_TRIGGER


def test_triggered_stop_can_trigger_further_stops(venue, events):
    first = venue.submit(Order("ACME", BUY, 10, ord_type="stop", stop_price=1010))
    second = venue.submit(Order("ACME", BUY, 10, ord_type="stop", stop_price=1020))
    venue.submit(Order("ACME", SELL, 10, price=1020))
    venue.submit(Order("ACME", SELL, 10, price=1030))
    trade_at(venue, 1010)

    triggered = [e["order"] for e in events.of(TRIGGERED)]
    assert triggered == [first, second]
    assert first.cum_qty == 10
    assert second.cum_qty == 10


def test_stops_at_one_stop_price_trigger_oldest_first(venue, events):
    older = venue.submit(Order("ACME", BUY, 10, ord_type="stop", stop_price=1010))
    newer = venue.submit(Order("ACME", BUY, 10, ord_type="stop", stop_price=1010))
    venue.submit(Order("ACME", SELL, 10, price=1020))
    trade_at(venue, 1010)

    assert [e["order"] for e in events.of(TRIGGERED)] == [older, newer]
    assert older.cum_qty == 10
    assert newer.cum_qty == 0


def test_waiting_stop_can_be_canceled(venue, events):
    stop = venue.submit(Order("ACME", BUY, 100, ord_type="stop", stop_price=1010))
    venue.cancel(Cancel(stop.order_id))
    trade_at(venue, 1010)

    assert stop.status == OrderStatus.CANCELED
    assert events.of(TRIGGERED) == []
    assert venue.book("ACME").stops() == []


def test_replacing_the_stop_price_of_a_waiting_stop_moves_its_trigger(venue, events):
    stop = venue.submit(Order("ACME", BUY, 100, ord_type="stop", stop_price=1010))
    venue.replace(Replace(stop.order_id, stop_price=1020))
    trade_at(venue, 1010)
    assert events.of(TRIGGERED) == []

    trade_at(venue, 1020)
    assert [e["order"].order_id for e in events.of(TRIGGERED)] == [stop.order_id]


def test_replacing_a_waiting_stop_to_a_stop_price_already_reached_triggers_it(venue, events):
    trade_at(venue, 1010)
    stop = venue.submit(Order("ACME", BUY, 100, ord_type="stop", stop_price=1020))
    venue.replace(Replace(stop.order_id, stop_price=1005))

    assert [e["order"].order_id for e in events.of(TRIGGERED)] == [stop.order_id]


def test_stop_without_a_stop_price_is_rejected(venue, events):
    venue.submit(Order("ACME", BUY, 100, ord_type="stop"))

    assert events.one(REJECTED)["reason"] == RejectReason.MISSING_STOP_PRICE


def test_stop_with_a_limit_price_is_rejected(venue, events):
    venue.submit(Order("ACME", BUY, 100, price=1000, ord_type="stop", stop_price=1010))

    assert events.one(REJECTED)["reason"] == RejectReason.UNEXPECTED_PRICE


def test_stop_limit_without_a_limit_price_is_rejected(venue, events):
    venue.submit(Order("ACME", BUY, 100, ord_type="stop_limit", stop_price=1010))

    assert events.one(REJECTED)["reason"] == RejectReason.MISSING_PRICE


def test_stop_price_off_the_tick_is_rejected(venue, events):
    venue.add_instrument(Equity(symbol="NICKEL", tick_size="0.05"))
    venue.submit(Order("NICKEL", BUY, 100, ord_type="stop", stop_price=1012))

    assert events.one(REJECTED)["reason"] == RejectReason.OFF_TICK


def test_non_positive_stop_price_is_rejected(venue, events):
    venue.submit(Order("ACME", BUY, 100, ord_type="stop", stop_price=0))

    assert events.one(REJECTED)["reason"] == RejectReason.BAD_PRICE


def test_limit_order_with_a_stop_price_is_rejected_with_a_reason_about_the_stop_price(
    venue, events
):
    venue.submit(Order("ACME", BUY, 100, price=1000, stop_price=1010))

    rejected = events.one(REJECTED)
    assert rejected["reason"] != RejectReason.CHANGE_NOT_ALLOWED
    assert "stop price" in rejected["text"]


def test_stop_replaced_before_another_arrived_triggers_before_it(venue, events):
    replaced = venue.submit(Order("ACME", BUY, 10, ord_type="stop", stop_price=1010))
    venue.replace(Replace(replaced.order_id, qty=8))
    later = venue.submit(Order("ACME", BUY, 10, ord_type="stop", stop_price=1010))
    venue.submit(Order("ACME", SELL, 100, price=1020))
    trade_at(venue, 1010)

    triggered = [e["order"].order_id for e in events.of(TRIGGERED)]
    assert triggered == [replaced.order_id, later.order_id]
