"""Validation: every refused order is rejected with an explicit reason and a text, and
nothing a client sends makes the engine raise."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exsim_core import (
    BUY,
    SELL,
    Cancel,
    Equity,
    ManualClock,
    MassCancel,
    Order,
    OrderStatus,
    RejectReason,
    Replace,
    Simulator,
)
from exsim_core.enums import reject_text
from exsim_core.events import ACCEPTED, REJECTED


def reason_of(events):
    return events.one(REJECTED)["reason"]


def test_order_for_an_unknown_instrument_is_rejected_naming_it(venue, events):
    order = venue.submit(Order("NOPE", BUY, 100, price=1000))

    rejected = events.one(REJECTED)
    assert rejected["reason"] == RejectReason.UNKNOWN_INSTRUMENT
    assert "'NOPE'" in rejected["text"]
    assert order.status == OrderStatus.REJECTED


def test_price_off_the_tick_is_rejected(venue, events):
    venue.add_instrument(Equity(symbol="NICKEL", tick_size="0.05"))
    venue.submit(Order("NICKEL", BUY, 100, price=1003))

    assert reason_of(events) == RejectReason.OFF_TICK


def test_price_on_the_tick_is_accepted(venue, events):
    venue.add_instrument(Equity(symbol="NICKEL", tick_size="0.05"))
    order = venue.submit(Order("NICKEL", BUY, 100, price=1005))

    assert order.status == OrderStatus.NEW


def test_quantity_off_the_lot_is_rejected(venue, events):
    venue.add_instrument(Equity(symbol="ROUND", lot_size=100))
    venue.submit(Order("ROUND", BUY, 150, price=1000))

    assert reason_of(events) == RejectReason.BAD_LOT


@pytest.mark.parametrize("qty", [5, 1001])
def test_quantity_outside_the_instruments_bounds_is_rejected(venue, events, qty):
    venue.add_instrument(Equity(symbol="BOUND", min_qty=10, max_qty=1000))
    venue.submit(Order("BOUND", BUY, qty, price=1000))

    assert reason_of(events) == RejectReason.QTY_OUT_OF_RANGE


@pytest.mark.parametrize("qty", [10, 1000])
def test_quantity_at_the_instruments_bounds_is_accepted(venue, events, qty):
    venue.add_instrument(Equity(symbol="BOUND", min_qty=10, max_qty=1000))
    order = venue.submit(Order("BOUND", BUY, qty, price=1000))

    assert order.status == OrderStatus.NEW


@pytest.mark.parametrize("qty", [0, -100])
def test_non_positive_quantity_is_rejected(venue, events, qty):
    venue.submit(Order("ACME", BUY, qty, price=1000))

    assert reason_of(events) == RejectReason.BAD_QTY


@pytest.mark.parametrize("price", [0, -1000])
def test_non_positive_price_is_rejected(venue, events, price):
    venue.submit(Order("ACME", BUY, 100, price=price))

    assert reason_of(events) == RejectReason.BAD_PRICE


@pytest.mark.parametrize("side", [0, 3, -1])
def test_unknown_side_is_rejected(venue, events, side):
    venue.submit(Order("ACME", side, 100, price=1000))

    assert reason_of(events) == RejectReason.BAD_SIDE


def test_limit_order_without_a_price_is_rejected(venue, events):
    venue.submit(Order("ACME", BUY, 100))

    assert reason_of(events) == RejectReason.MISSING_PRICE


def test_order_type_the_venue_does_not_allow_is_rejected(venue, events):
    venue.set(order_types=["limit", "market"])
    venue.submit(Order("ACME", BUY, 100, ord_type="stop", stop_price=1010))

    assert reason_of(events) == RejectReason.ORDER_TYPE_NOT_ALLOWED


def test_unknown_order_type_is_rejected(venue, events):
    venue.submit(Order("ACME", BUY, 100, price=1000, ord_type="pegg"))

    assert reason_of(events) == RejectReason.ORDER_TYPE_NOT_ALLOWED


@pytest.fixture
def banded(venue):
    """BAND: reference price 10.00, venue price band 5 % (9.50 to 10.50)."""
    venue.add_instrument(Equity(symbol="BAND", reference_price="10.00"))
    venue.set(price_band_pct=5)
    return venue


@pytest.mark.parametrize("price", [949, 1051])
def test_price_outside_the_band_around_the_reference_price_is_rejected(banded, events, price):
    banded.submit(Order("BAND", BUY, 100, price=price))

    assert reason_of(events) == RejectReason.PRICE_OUT_OF_BAND


@pytest.mark.parametrize("price", [950, 1050])
def test_price_at_the_edge_of_the_band_is_accepted(banded, events, price):
    order = banded.submit(Order("BAND", BUY, 100, price=price))

    assert order.status == OrderStatus.NEW


def test_band_follows_the_last_trade(banded, events):
    banded.submit(Order("BAND", SELL, 10, price=1050))
    banded.submit(Order("BAND", BUY, 10, price=1050))
    order = banded.submit(Order("BAND", BUY, 100, price=1100))

    assert order.status == OrderStatus.NEW


def test_stop_price_outside_the_band_is_rejected(banded, events):
    banded.submit(Order("BAND", BUY, 100, ord_type="stop", stop_price=1100))

    assert reason_of(events) == RejectReason.PRICE_OUT_OF_BAND


def test_without_a_reference_price_there_is_no_band(venue, events):
    venue.set(price_band_pct=5)
    order = venue.submit(Order("ACME", BUY, 100, price=100_000))

    assert order.status == OrderStatus.NEW


def test_rejected_order_is_not_live_and_leaves_the_book_alone(venue, events):
    order = venue.submit(Order("ACME", BUY, 0, price=1000))

    assert order.leaves == 0
    assert venue.order(order.order_id) is None
    assert venue.book("ACME").depth(BUY) == []
    assert events.of(ACCEPTED) == []


def test_rejected_orders_still_get_an_order_id(venue, events):
    first = venue.submit(Order("NOPE", BUY, 100, price=1000))
    second = venue.submit(Order("ACME", BUY, 100, price=1000))

    assert (first.order_id, second.order_id) == (1, 2)


def test_every_reject_reason_has_its_own_text():
    texts = [reject_text(reason) for reason in RejectReason if reason != RejectReason.OTHER]

    assert all(texts)
    assert len(set(texts)) == len(texts)


# ---------------------------------------------------------------------------------- robustness

ints = st.integers(min_value=-(2**63), max_value=2**63)
small = st.integers(min_value=-3, max_value=3000)
maybe = st.one_of(st.none(), small)

client_orders = st.builds(
    Order,
    symbol=st.sampled_from(["ACME", "ACME", "", "acme", "NOPE"]),
    side=st.integers(-1, 3),
    qty=st.one_of(small, ints),
    price=st.one_of(maybe, ints),
    ord_type=st.sampled_from(
        ["limit", "market", "market_to_limit", "stop", "stop_limit", "peg", "", "LIMIT"]
    ),
    tif=st.integers(-1, 9),
    session=st.sampled_from(["a", "b", ""]),
    account=st.sampled_from([None, "A", "B"]),
    stop_price=st.one_of(maybe, ints),
    display=small,
    min_qty=small,
    post_only=st.booleans(),
    peg=st.integers(-1, 4),
    peg_offset=st.integers(-10_000, 10_000),
    expire_ns=st.one_of(st.none(), ints, st.just(ManualClock.DEFAULT_START_NS + 1)),
)
client_requests = st.one_of(
    client_orders,
    st.builds(
        Cancel,
        order_id=st.integers(-2, 40),
        session=st.sampled_from(["a", "b", ""]),
        leaves_to=small,
    ),
    st.builds(
        Replace,
        order_id=st.integers(-2, 40),
        session=st.sampled_from(["a", "b", ""]),
        qty=maybe,
        price=st.one_of(maybe, ints),
        stop_price=maybe,
        display=maybe,
        tif=st.one_of(st.none(), st.integers(-1, 9)),
    ),
    st.builds(
        MassCancel,
        session=st.sampled_from([None, "a", "zz"]),
        symbol=st.sampled_from([None, "ACME", "NOPE"]),
        side=st.sampled_from([None, BUY, SELL, 7]),
    ),
)


@given(
    requests=st.lists(client_requests, max_size=30),
    stp=st.sampled_from(["off", "cancel_newest", "cancel_oldest", "cancel_both", "decrement"]),
    post_only_mode=st.sampled_from(["reject", "reprice"]),
)
def test_no_client_request_makes_the_engine_raise(requests, stp, post_only_mode):
    sim = Simulator(ManualClock(), autoload=False)
    venue = sim.create_venue("XSIM", stp_mode=stp, post_only_mode=post_only_mode)
    venue.add_instrument(Equity(symbol="ACME", tick_size="0.05", reference_price="10"))
    venue.set(price_band_pct=50)
    answered: dict[int, int] = {}

    def listen(batch, now):
        for event in batch:
            if event[0] in (ACCEPTED, REJECTED):
                answered[event[1].order_id] = answered.get(event[1].order_id, 0) + 1

    venue.subscribe(listen)
    for request in requests:
        if isinstance(request, Order):
            venue.submit(request)
            assert answered.get(request.order_id) == 1, "one ACCEPTED or REJECTED per order"
        elif isinstance(request, Cancel):
            venue.cancel(request)
        elif isinstance(request, Replace):
            venue.replace(request)
        else:
            venue.mass_cancel(request)
        assert not venue.book("ACME").is_crossed
