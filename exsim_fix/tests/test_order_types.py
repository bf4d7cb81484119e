"""Every order type, time in force and order instruction the engine supports, entered
over FIX 4.4, and the instrument fields of other asset classes."""

from __future__ import annotations

import datetime as dt

import pytest

import exsim_fix.plugin
from exsim_core import Equity, ManualClock, Option, Order, Simulator
from exsim_core.testing import register_plugin
from exsim_fix.testing import FixClient, field, serving

pytestmark = pytest.mark.anyio


def _sim() -> Simulator:
    sim = Simulator(ManualClock(), autoload=False)
    register_plugin(sim, exsim_fix.plugin)
    venue = sim.create_venue("XSIM")
    venue.add_instrument(Equity(symbol="ACME", tick_size="0.01"))
    venue.add_instrument(
        Option(
            symbol="ACME260320C10",
            underlying="ACME",
            strike="10",
            expiry=dt.date(2026, 3, 20),
            put_call="call",
            tick_size="0.05",
        )
    )
    sim.create_endpoint("fix", "fix", "XSIM")
    sim.create_session("fix", "CLIENT", {"sender_comp_id": "CLIENT", "target_comp_id": "EXSIM"})
    for side, price in ((1, 990), (2, 1010)):
        venue.submit(Order("ACME", side, 500, price, session="book", cl_ord_id=f"b{side}"))
    return sim


async def _order(*fields, price="10.00", ord_type="2", qty=100, side=1, symbol="ACME"):
    sim = _sim()
    async with serving(sim, "fix") as (port, _):
        client = await FixClient.connect(port, clock=sim.clock)
        await client.logon(600)
        await client.new_order("A1", side, qty, price, symbol, ord_type, *fields)
        first = await client.expect("8")
        rest = []
        while True:
            try:
                rest.append(await client.receive(0.3))
            except TimeoutError:
                break
        return first, rest, sim


async def test_market_order_trades_at_the_best_offer():
    ack, rest, _ = await _order(price=None, ord_type="1")
    assert field(ack, 39) == "0"
    assert (field(rest[0], 39), field(rest[0], 31)) == ("2", "10.10")


async def test_stop_order_waits_for_its_trigger():
    ack, rest, sim = await _order((99, "10.20"), price=None, ord_type="3")
    assert (field(ack, 39), field(ack, 99), rest) == ("0", "10.20", [])
    assert [o.ord_type for o in sim.venue("XSIM").orders.values()].count("stop") == 1


async def test_stop_limit_order_carries_both_prices():
    ack, _, _ = await _order((99, "10.20"), price="10.25", ord_type="4")
    assert (field(ack, 39), field(ack, 44), field(ack, 99)) == ("0", "10.25", "10.20")


async def test_midpoint_peg_rests_at_the_midpoint():
    ack, _, sim = await _order((18, "M"), price=None, ord_type="P")
    assert field(ack, 39) == "0"
    order = next(o for o in sim.venue("XSIM").orders.values() if o.cl_ord_id == "A1")
    assert order.level.price == 1000


async def test_market_with_leftover_as_limit_rests_at_the_price_it_traded():
    ack, rest, sim = await _order(price=None, ord_type="K", qty=600)
    assert field(ack, 39) == "0"
    assert (field(rest[0], 39), field(rest[0], 32)) == ("1", "500")
    order = next(o for o in sim.venue("XSIM").orders.values() if o.cl_ord_id == "A1")
    assert (order.price, order.leaves) == (1010, 100)


async def test_max_floor_shows_only_part_of_the_order():
    ack, _, sim = await _order((111, 10))
    assert field(ack, 39) == "0"
    assert sim.venue("XSIM").books["ACME"].depth(1, 1) == [(1000, 10, 1)]


async def test_min_qty_that_cannot_be_met_cancels_the_order():
    _, rest, _ = await _order((110, 600), price="10.10", qty=800)
    assert (field(rest[0], 150), field(rest[0], 39)) == ("4", "4")


async def test_fok_that_cannot_fill_completely_is_canceled():
    _, rest, _ = await _order((59, 4), price="10.10", qty=800)
    assert (field(rest[0], 150), field(rest[0], 14)) == ("4", "0")


async def test_post_only_order_that_would_take_is_rejected():
    ack, _, _ = await _order((18, "6"), price="10.10")
    assert (field(ack, 39), field(ack, 103)) == ("8", "11")


async def test_opening_auction_time_in_force_is_rejected_with_the_reason():
    ack, _, _ = await _order((59, 2))
    assert field(ack, 39) == "8"
    assert "auction" in field(ack, 58)


async def test_option_is_found_by_symbol_with_matching_fields():
    ack, _, _ = await _order(
        (167, "OPT"), (200, "202603"), (202, "10"), (201, 1), price="1.05", symbol="ACME260320C10"
    )
    assert (field(ack, 39), field(ack, 167), field(ack, 202)) == ("0", "OPT", "10")


async def test_option_is_found_by_underlying_and_contract_fields():
    ack, _, _ = await _order(
        (167, "OPT"), (200, "202603"), (202, "10"), (201, 1), price="1.05", symbol="ACME"
    )
    assert field(ack, 39) == "0"


async def test_option_with_a_wrong_strike_is_rejected_naming_the_field():
    ack, _, _ = await _order((167, "OPT"), (202, "11"), price="1.05", symbol="ACME260320C10")
    assert field(ack, 39) == "8"
    assert "StrikePrice(202) 11" in field(ack, 58)


async def test_currency_that_does_not_match_is_rejected():
    ack, _, _ = await _order((15, "EUR"))
    assert field(ack, 39) == "8"
    assert "Currency(15) EUR" in field(ack, 58)
