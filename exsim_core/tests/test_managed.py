"""The managed engine holds everything for a decision; busts and corrections follow
FIX Trade Cancel / Trade Correct."""

from __future__ import annotations

from typing import Any

import pytest

from exsim_core import BUY, SELL, Cancel, Equity, ManualClock, Order, Replace, Simulator, Venue
from exsim_core.enums import OrderStatus
from exsim_core.managed import ManagedEngine, perform, problem, script_of, trade_log


@pytest.fixture
def venue() -> Venue:
    sim = Simulator(ManualClock(), autoload=False)
    v = sim.create_venue("M", engine="managed")
    v.add_instrument(Equity(symbol="A"))
    trade_log(v)
    return v


@pytest.fixture
def events(venue: Venue) -> list[tuple[Any, ...]]:
    seen: list[tuple[Any, ...]] = []
    venue.subscribe(lambda batch, now: seen.extend(batch))
    return seen


def _kinds(events: list[tuple[Any, ...]]) -> list[int]:
    return [e[0] for e in events]


def _decide(
    venue: Venue, order: Order, action: str, qty: int | None = None, price: int | None = None
) -> None:
    payload = ["decide", "A", order.order_id, action, qty, price, "why"]
    assert problem(venue, payload) is None
    venue.run_in_batch(perform, venue, payload)


def test_a_new_order_is_held_without_an_ack(venue: Venue, events: list[tuple[Any, ...]]) -> None:
    order = venue.submit(Order("A", BUY, 100, price=1000))
    assert _kinds(events) == [14]  # HELD
    assert order.status == OrderStatus.PENDING_NEW
    assert venue.order(order.order_id) is order


def test_ack_makes_the_order_rest_visibly(venue: Venue, events: list[tuple[Any, ...]]) -> None:
    order = venue.submit(Order("A", BUY, 100, price=1000))
    _decide(venue, order, "ack")
    assert venue.book("A").depth(BUY) == [(1000, 100, 1)]
    assert order.status == OrderStatus.NEW


def test_acknowledged_orders_never_match_by_themselves(venue: Venue) -> None:
    buy = venue.submit(Order("A", BUY, 100, price=1010))
    sell = venue.submit(Order("A", SELL, 100, price=1000))
    _decide(venue, buy, "ack")
    _decide(venue, sell, "ack")
    assert buy.leaves == 100
    assert sell.leaves == 100


def test_partial_fills_accumulate(venue: Venue) -> None:
    order = venue.submit(Order("A", BUY, 100, price=1000))
    _decide(venue, order, "fill", 30, 1000)
    _decide(venue, order, "fill", 20, 990)
    assert (order.cum_qty, order.leaves, order.cum_cost) == (50, 50, 30 * 1000 + 20 * 990)
    assert order.status == OrderStatus.PARTIALLY_FILLED
    assert problem(venue, ["decide", "A", order.order_id, "fill", 51, 1000, ""]) is not None


def test_a_cancel_request_waits_for_its_decision(
    venue: Venue, events: list[tuple[Any, ...]]
) -> None:
    order = venue.submit(Order("A", BUY, 100, price=1000, session="s"))
    _decide(venue, order, "ack")
    venue.cancel(Cancel(order.order_id, "s", "c2"))
    assert events[-1][0] == 14
    assert order.leaves == 100
    _decide(venue, order, "accept_cancel")
    assert order.status == OrderStatus.CANCELED


def test_a_replace_can_be_refused(venue: Venue, events: list[tuple[Any, ...]]) -> None:
    order = venue.submit(Order("A", BUY, 100, price=1000, session="s"))
    _decide(venue, order, "ack")
    venue.replace(Replace(order.order_id, "s", "r1", qty=200))
    _decide(venue, order, "reject_replace")
    assert events[-1][0] == 6  # CANCEL_REJECTED
    assert order.qty == 100


def test_canceling_an_order_refuses_its_pending_requests(
    venue: Venue, events: list[tuple[Any, ...]]
) -> None:
    order = venue.submit(Order("A", BUY, 100, price=1000, session="s"))
    venue.cancel(Cancel(order.order_id, "s", "c2"))
    _decide(venue, order, "cancel")
    assert _kinds(events)[-2:] == [4, 6]  # CANCELED, then CANCEL_REJECTED (too late)
    assert problem(venue, ["decide", "A", order.order_id, "ack", None, None, ""]) is not None


def test_match_orders_prints_one_trade_with_taker_and_maker(
    venue: Venue, events: list[tuple[Any, ...]]
) -> None:
    buy = venue.submit(Order("A", BUY, 100, price=1010))
    sell = venue.submit(Order("A", SELL, 60, price=1000))
    events.clear()
    venue.run_in_batch(perform, venue, ["match", "A", buy.order_id, sell.order_id, 1005, 60])
    trades = [e for e in events if e[0] == 11]
    fills = [e for e in events if e[0] == 3]
    assert len(trades) == 1
    assert trades[0][2:6] == (trades[0][2], 1005, 60, BUY)
    assert [(f[1], f[5], f[6]) for f in fills] == [(buy, trades[0][2], 2), (sell, trades[0][2], 1)]
    assert venue.book("A").volume == 60


def test_a_bust_takes_the_fill_back_without_reopening_the_order(venue: Venue) -> None:
    order = venue.submit(Order("A", BUY, 100, price=1000))
    _decide(venue, order, "fill", 40, 1000)
    venue.run_in_batch(perform, venue, ["bust", "A", 1])
    assert (order.cum_qty, order.leaves, order.cum_cost) == (0, 60, 0)
    assert order.status == OrderStatus.NEW
    assert trade_log(venue).get(1).state == "busted"  # type: ignore[union-attr]
    assert problem(venue, ["bust", "A", 1]) == "trade 1 is already busted"


def test_a_correction_adjusts_quantity_and_price(venue: Venue) -> None:
    order = venue.submit(Order("A", BUY, 100, price=1000))
    _decide(venue, order, "fill", 40, 1000)
    venue.run_in_batch(perform, venue, ["correct", "A", 1, 30, 990])
    assert (order.cum_qty, order.leaves, order.cum_cost) == (30, 60, 30 * 990)
    assert problem(venue, ["correct", "A", 1, 31, 990]) is not None


def test_expectations_are_taken_in_registration_order(venue: Venue) -> None:
    from exsim_core.managed import Step

    script = script_of(venue)
    script.add([Step("ack")], [{"action": "ack"}], symbol="A")
    script.add([Step("reject", text="no")], [{"action": "reject"}], symbol="A")
    first = venue.submit(Order("A", BUY, 10, price=1000))
    second = venue.submit(Order("A", BUY, 10, price=1000))
    assert first.status == OrderStatus.NEW
    assert second.status == OrderStatus.REJECTED
    assert script.unused() == []


def test_the_engine_describes_what_it_holds(venue: Venue) -> None:
    order = venue.submit(Order("A", BUY, 10, price=1000))
    engine = venue.book("A").engine
    assert isinstance(engine, ManagedEngine)
    assert engine.describe()["held"] == [order.order_id]
