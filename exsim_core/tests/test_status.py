"""Trading status per instrument: open; halted (new orders and replaces rejected, cancels
allowed); closed (as halted, the session is over)."""

from __future__ import annotations

from exsim_core import (
    BUY,
    SELL,
    Cancel,
    Equity,
    MassCancel,
    Order,
    OrderStatus,
    RejectReason,
    Replace,
    TradingStatus,
)
from exsim_core.events import CANCEL_REJECTED, CANCELED, REJECTED, STATUS


def test_instruments_start_open(venue):
    assert venue.book("ACME").status == TradingStatus.OPEN


def test_halted_instrument_rejects_new_orders(venue, events):
    venue.set_status("halted", "ACME")
    order = venue.submit(Order("ACME", BUY, 100, price=1000))

    rejected = events.one(REJECTED)
    assert rejected["reason"] == RejectReason.HALTED
    assert rejected["text"] == "instrument is halted"
    assert order.status == OrderStatus.REJECTED


def test_halted_instrument_accepts_cancels(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, session="a"))
    venue.set_status("halted", "ACME")
    venue.cancel(Cancel(order.order_id, session="a"))

    assert events.one(CANCELED)["order"] is order
    assert order.status == OrderStatus.CANCELED


def test_halted_instrument_accepts_mass_cancels(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, session="a"))
    venue.set_status("halted", "ACME")
    venue.mass_cancel(MassCancel(session="a"))

    assert order.status == OrderStatus.CANCELED


def test_halted_instrument_rejects_replaces(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, session="a"))
    venue.set_status("halted", "ACME")
    venue.replace(Replace(order.order_id, session="a", price=1001))

    assert events.one(CANCEL_REJECTED)["reason"] == RejectReason.HALTED
    assert order.price == 1000


def test_halt_keeps_resting_orders(venue, events):
    venue.submit(Order("ACME", BUY, 100, price=1000))
    venue.set_status("halted", "ACME")

    assert venue.book("ACME").depth(BUY) == [(1000, 100, 1)]


def test_closed_instrument_rejects_new_orders(venue, events):
    venue.set_status("closed", "ACME")
    venue.submit(Order("ACME", BUY, 100, price=1000))

    assert events.one(REJECTED)["reason"] == RejectReason.CLOSED


def test_closed_instrument_accepts_cancels(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000, session="a"))
    venue.set_status("closed", "ACME")
    venue.cancel(Cancel(order.order_id, session="a"))

    assert order.status == OrderStatus.CANCELED


def test_reopened_instrument_trades_again(venue, events):
    venue.submit(Order("ACME", BUY, 100, price=1000))
    venue.set_status("halted", "ACME")
    venue.set_status("open", "ACME")
    taker = venue.submit(Order("ACME", SELL, 100, price=1000))

    assert taker.status == OrderStatus.FILLED


def test_status_change_is_published(venue, events):
    venue.set_status(TradingStatus.HALTED, "ACME", text="news pending")

    status = events.one(STATUS)
    assert (status["symbol"], status["status"], status["text"]) == (
        "ACME",
        TradingStatus.HALTED,
        "news pending",
    )


def test_setting_the_current_status_again_publishes_nothing(venue, events):
    venue.set_status("open", "ACME")

    assert events.of(STATUS) == []


def test_halt_of_one_instrument_leaves_the_others_open(venue, events):
    venue.add_instrument(Equity(symbol="BOLT"))
    venue.set_status("halted", "ACME")
    order = venue.submit(Order("BOLT", BUY, 100, price=1000))

    assert order.status == OrderStatus.NEW
    assert venue.book("BOLT").status == TradingStatus.OPEN


def test_status_without_a_symbol_applies_to_every_instrument(venue, events):
    venue.add_instrument(Equity(symbol="BOLT"))
    venue.set_status("halted")

    assert {s["symbol"] for s in events.of(STATUS)} == {"ACME", "BOLT"}
    assert venue.book("BOLT").status == TradingStatus.HALTED
