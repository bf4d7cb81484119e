"""Limit orders under price-time priority: what trades, at which price, in which order,
and what rests."""

from __future__ import annotations

from exsim_core import BUY, SELL, Order, OrderStatus
from exsim_core.events import ACCEPTED, ADDED, FILL, TRADE


def test_limit_order_that_does_not_cross_rests_at_its_price(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000))

    assert events.kinds() == ["accepted", "added", "book"]
    assert order.status == OrderStatus.NEW
    assert venue.book("ACME").depth(BUY) == [(1000, 100, 1)]


def test_accepted_is_the_first_event_of_an_order(venue, events):
    venue.submit(Order("ACME", SELL, 100, price=1000))
    events.clear()
    taker = venue.submit(Order("ACME", BUY, 100, price=1000))

    assert events.events[0][0] == ACCEPTED
    assert events.events[0][1] is taker


def test_buy_limit_trades_at_the_resting_sell_price(venue, events):
    venue.submit(Order("ACME", SELL, 100, price=1000))
    taker = venue.submit(Order("ACME", BUY, 100, price=1005))

    fill = events.for_order(taker.order_id, FILL)[0]
    assert fill["last_px"] == 1000
    assert events.one(TRADE)["price"] == 1000


def test_sell_limit_trades_at_the_resting_buy_price(venue, events):
    venue.submit(Order("ACME", BUY, 100, price=1005))
    taker = venue.submit(Order("ACME", SELL, 100, price=1000))

    assert events.for_order(taker.order_id, FILL)[0]["last_px"] == 1005


def test_better_priced_resting_order_trades_first(venue, events):
    venue.submit(Order("ACME", SELL, 100, price=1002))
    later_better = venue.submit(Order("ACME", SELL, 100, price=1001))
    taker = venue.submit(Order("ACME", BUY, 100, price=1002))

    fill = events.for_order(taker.order_id, FILL)[0]
    assert fill["contra"] is later_better
    assert fill["last_px"] == 1001


def test_at_one_price_the_oldest_resting_order_trades_first(venue, events):
    first = venue.submit(Order("ACME", BUY, 100, price=1000, session="a"))
    venue.submit(Order("ACME", BUY, 100, price=1000, session="b"))
    taker = venue.submit(Order("ACME", SELL, 100, price=1000))

    assert events.for_order(taker.order_id, FILL)[0]["contra"] is first


def test_partially_filled_maker_keeps_its_place_at_the_front(venue, events):
    first = venue.submit(Order("ACME", SELL, 100, price=1000))
    second = venue.submit(Order("ACME", SELL, 100, price=1000))
    venue.submit(Order("ACME", BUY, 30, price=1000))

    assert [o.order_id for o in venue.book("ACME").resting(SELL)] == [
        first.order_id,
        second.order_id,
    ]
    assert first.leaves == 70


def test_limit_order_sweeps_levels_up_to_its_limit_and_rests_the_rest(venue, events):
    venue.submit(Order("ACME", SELL, 100, price=1000))
    venue.submit(Order("ACME", SELL, 100, price=1001))
    venue.submit(Order("ACME", SELL, 100, price=1003))
    taker = venue.submit(Order("ACME", BUY, 250, price=1002))

    fills = events.for_order(taker.order_id, FILL)
    assert [(f["last_qty"], f["last_px"]) for f in fills] == [(100, 1000), (100, 1001)]
    book = venue.book("ACME")
    assert book.depth(BUY) == [(1002, 50, 1)]
    assert book.depth(SELL) == [(1003, 100, 1)]
    assert taker.status == OrderStatus.PARTIALLY_FILLED


def test_limit_order_never_trades_beyond_its_limit(venue, events):
    venue.submit(Order("ACME", SELL, 100, price=1001))
    venue.submit(Order("ACME", BUY, 100, price=1000))

    assert events.of(FILL) == []
    assert venue.book("ACME").depth(SELL) == [(1001, 100, 1)]


def test_fully_filled_taker_does_not_rest(venue, events):
    venue.submit(Order("ACME", SELL, 100, price=1000))
    events.clear()
    taker = venue.submit(Order("ACME", BUY, 100, price=1000))

    assert taker.status == OrderStatus.FILLED
    assert [e for e in events.of(ADDED) if e["order"] is taker] == []
    assert venue.book("ACME").depth(BUY) == []
    assert venue.order(taker.order_id) is None


def test_one_taker_trades_with_several_makers_in_time_order(venue, events):
    makers = [venue.submit(Order("ACME", SELL, 40, price=1000)) for _ in range(3)]
    taker = venue.submit(Order("ACME", BUY, 100, price=1000))

    fills = events.for_order(taker.order_id, FILL)
    assert [f["contra"] for f in fills] == makers
    assert [f["last_qty"] for f in fills] == [40, 40, 20]
    assert venue.book("ACME").depth(SELL) == [(1000, 20, 1)]


def test_trade_updates_the_last_price_and_volume(venue):
    venue.submit(Order("ACME", SELL, 100, price=1000))
    venue.submit(Order("ACME", SELL, 100, price=1001))
    venue.submit(Order("ACME", BUY, 150, price=1001))

    book = venue.book("ACME")
    assert book.last_price == 1001
    assert book.volume == 150
