"""Venue events beyond the order path: trade busts and corrections, and orders the
venue holds (managed mode) reported as pending when the session asks for it."""

from __future__ import annotations

from typing import Any

import pytest

import exsim_fix.plugin
from exsim_core import Engine, Equity, ManualClock, Simulator, hookimpl
from exsim_core.events import HELD, TRADE_BUSTED, TRADE_CORRECTED
from exsim_core.testing import register_plugin
from exsim_fix.testing import FixClient, field, serving

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("version", ["FIX.4.2", "FIX.4.4"])
async def test_trade_bust_and_correction_refer_to_the_fill(make_sim, version):
    sim = make_sim(version)
    venue = sim.venue("XSIM")
    async with serving(sim, "fix") as (port, protocol):
        a = await FixClient.connect(port, begin_string=version, clock=sim.clock)
        await a.logon(600)
        b = await FixClient.connect(port, begin_string=version, sender="CLIENT2", clock=sim.clock)
        await b.logon(600)
        await a.new_order("A1", 1, 100, "10.00")
        await a.expect("8")
        await b.new_order("B1", 2, 100, "10.00")
        await b.expect("8")
        fill = await a.expect("8")
        await b.expect("8")
        (buy,) = protocol.session("CLIENT").app.entry.orders.values()
        (sell,) = protocol.session("CLIENT2").app.entry.orders.values()

        venue.run_in_batch(
            lambda: venue.out.append((TRADE_BUSTED, 1, "ACME", 100, 1000, buy, sell))
        )
        busted = await a.expect("8")
        await b.expect("8")
        assert (field(busted, 19), field(busted, 14), field(busted, 32)) == (
            field(fill, 17),
            "0",
            "100",
        )
        if version == "FIX.4.2":
            assert field(busted, 20) == "1"
        else:
            assert field(busted, 150) == "H"

        venue.run_in_batch(
            lambda: venue.out.append((TRADE_CORRECTED, 1, "ACME", 100, 999, 0, 0, buy, sell))
        )
        corrected = await a.expect("8")
        assert (field(corrected, 31), field(corrected, 14), field(corrected, 6)) == (
            "9.99",
            "100",
            "9.99",
        )
        if version == "FIX.4.2":
            assert field(corrected, 20) == "2"
        else:
            assert field(corrected, 150) == "G"


class HoldingEngine(Engine):
    """Holds every order and request for a decision (as the managed engine does)."""

    name = "holding"

    def on_new(self, order: Any, order_type: Any) -> None:
        self.book.orders[order.order_id] = order
        self.book.out.append((HELD, order, "new"))

    def on_cancel(self, request: Any, order: Any) -> None:
        self.book.out.append((HELD, request, "cancel"))

    def on_replace(self, request: Any, order: Any) -> None:
        self.book.out.append((HELD, request, "replace"))


class HoldingPlugin:
    @hookimpl
    def exsim_register_engines(self, registry: Any) -> None:
        registry.add(HoldingEngine)


@pytest.mark.parametrize(("pending_acks", "expected"), [(True, ("A", "A")), (False, None)])
async def test_held_orders_are_pending_new_only_when_the_session_asks(pending_acks, expected):
    sim = Simulator(ManualClock(), autoload=False)
    register_plugin(sim, exsim_fix.plugin)
    register_plugin(sim, HoldingPlugin(), name="holding")
    venue = sim.create_venue("XSIM", engine="holding")
    venue.add_instrument(Equity(symbol="ACME", tick_size="0.01"))
    sim.create_endpoint("fix", "fix", "XSIM")
    sim.create_session(
        "fix",
        "CLIENT",
        {"sender_comp_id": "CLIENT", "target_comp_id": "EXSIM"},
        params={"pending_acks": pending_acks},
    )
    async with serving(sim, "fix") as (port, _):
        client = await FixClient.connect(port, clock=sim.clock)
        await client.logon(600)
        await client.new_order("A1")
        if expected is None:
            await client.expect_silence()
        else:
            report = await client.expect("8")
            assert (field(report, 150), field(report, 39), field(report, 11)) == (*expected, "A1")
