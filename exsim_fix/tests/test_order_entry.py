"""Order entry over FIX: NewOrderSingle, cancel, replace, status, mass cancel, and the
ExecutionReport conventions of each version (PROTOCOLS 5.9)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import pytest

from exsim_core import Simulator
from exsim_fix.testing import FixClient, field, serving

pytestmark = pytest.mark.anyio
ALL = ["FIX.4.2", "FIX.4.3", "FIX.4.4", "FIXT.1.1"]
versions = pytest.mark.parametrize("version", ALL)


@contextlib.asynccontextmanager
async def two_clients(
    make_sim, version: str
) -> AsyncIterator[tuple[FixClient, FixClient, Simulator]]:
    sim = make_sim(version)
    async with serving(sim, "fix") as (port, _):
        a = await FixClient.connect(port, begin_string=version, clock=sim.clock)
        await a.logon(600)
        b = await FixClient.connect(port, begin_string=version, sender="CLIENT2", clock=sim.clock)
        await b.logon(600)
        yield a, b, sim


def fields(msg, *tags):
    return tuple(field(msg, t) for t in tags)


@versions
async def test_new_limit_order_is_acknowledged_as_new(make_sim, version):
    async with two_clients(make_sim, version) as (a, _, _):
        await a.new_order("A1", 1, 100, "10.00")
        ack = await a.expect("8")
        assert fields(ack, 11, 150, 39, 151, 14, 6, 55, 54, 38, 44) == (
            "A1",
            "0",
            "0",
            "100",
            "0",
            "0",
            "ACME",
            "1",
            "100",
            "10.00",
        )
        assert field(ack, 20) == ("0" if version in ("FIX.4.2", "FIX.4.3") else None)
        assert field(ack, 37) not in (None, "NONE")


@versions
async def test_fills_follow_each_versions_exec_type_convention(make_sim, version):
    async with two_clients(make_sim, version) as (a, b, _):
        await a.new_order("BUY", 1, 100, "10.00")
        await a.expect("8")
        await b.new_order("SELL", 2, 60, "10.00")
        await b.expect("8")
        maker = await a.expect("8")
        taker = await b.expect("8")
        partial, full = ("1", "2") if version == "FIX.4.2" else ("F", "F")
        assert fields(maker, 150, 39, 32, 31, 151, 14, 6) == (
            partial,
            "1",
            "60",
            "10.00",
            "40",
            "60",
            "10.00",
        )
        assert fields(taker, 150, 39, 32, 31, 151, 14) == (full, "2", "60", "10.00", "0", "60")
        assert field(maker, 17) != field(taker, 17)


@versions
async def test_cancel_request_is_answered_with_canceled_report(make_sim, version):
    async with two_clients(make_sim, version) as (a, _, _):
        await a.new_order("A1")
        await a.expect("8")
        await a.send("F", (41, "A1"), (11, "C1"), (55, "ACME"), (54, 1), (38, 100), (60, a.now()))
        report = await a.expect("8")
        assert fields(report, 11, 41, 150, 39, 151) == ("C1", "A1", "4", "4", "0")


@versions
async def test_cancel_of_unknown_order_gets_order_cancel_reject(make_sim, version):
    async with two_clients(make_sim, version) as (a, _, _):
        await a.send("F", (41, "NOPE"), (11, "C1"), (55, "ACME"), (54, 1), (38, 100), (60, a.now()))
        reject = await a.expect("9")
        assert fields(reject, 37, 11, 41, 39, 434, 102) == ("NONE", "C1", "NOPE", "8", "1", "1")


@versions
async def test_replace_reports_replaced_with_the_live_status(make_sim, version):
    async with two_clients(make_sim, version) as (a, _, _):
        await a.new_order("A1", 1, 100, "10.00")
        await a.expect("8")
        fix42 = (21, 1) if version == "FIX.4.2" else None
        extra = [fix42] if fix42 else []
        await a.send(
            "G",
            (41, "A1"),
            (11, "R1"),
            *extra,
            (55, "ACME"),
            (54, 1),
            (38, 150),
            (40, 2),
            (44, "10.05"),
            (60, a.now()),
        )
        report = await a.expect("8")
        assert fields(report, 11, 41, 150, 39, 38, 44, 151) == (
            "R1",
            "A1",
            "5",
            "0",
            "150",
            "10.05",
            "150",
        )


@versions
async def test_replace_of_a_filled_order_is_rejected_too_late(make_sim, version):
    async with two_clients(make_sim, version) as (a, b, _):
        await a.new_order("A1", 1, 100, "10.00")
        await a.expect("8")
        await b.new_order("B1", 2, 100, "10.00")
        await b.expect("8")
        await a.expect("8")
        extra = [(21, 1)] if version == "FIX.4.2" else []
        await a.send(
            "G",
            (41, "A1"),
            (11, "R1"),
            *extra,
            (55, "ACME"),
            (54, 1),
            (38, 200),
            (40, 2),
            (44, "10.00"),
            (60, a.now()),
        )
        reject = await a.expect("9")
        assert fields(reject, 11, 41, 434, 102, 39) == ("R1", "A1", "2", "0", "2")


@versions
async def test_unknown_symbol_is_rejected_with_a_text_naming_it(make_sim, version):
    async with two_clients(make_sim, version) as (a, _, _):
        await a.new_order("A1", 1, 100, "10.00", "NOPE")
        report = await a.expect("8")
        assert fields(report, 150, 39, 103, 37) == ("8", "8", "1", "NONE")
        assert "unknown symbol 'NOPE'" in field(report, 58)


@versions
async def test_off_tick_price_is_rejected_with_the_venues_reason(make_sim, version):
    async with two_clients(make_sim, version) as (a, _, _):
        await a.new_order("A1", 1, 100, "10.005")
        report = await a.expect("8")
        assert fields(report, 150, 39) == ("8", "8")
        assert "tick" in field(report, 58)


@versions
async def test_duplicate_cl_ord_id_is_rejected_as_duplicate_order(make_sim, version):
    async with two_clients(make_sim, version) as (a, _, _):
        await a.new_order("A1")
        await a.expect("8")
        await a.new_order("A1")
        report = await a.expect("8")
        assert fields(report, 11, 150, 39, 103) == ("A1", "8", "8", "6")
        assert "duplicate ClOrdID" in field(report, 58)


@versions
async def test_security_type_that_does_not_match_the_instrument_is_rejected(make_sim, version):
    async with two_clients(make_sim, version) as (a, _, _):
        await a.new_order("A1", 1, 100, "10.00", "ACME", "2", (167, "FUT"))
        report = await a.expect("8")
        assert field(report, 39) == "8"
        assert "SecurityType(167) FUT does not match instrument ACME" in field(report, 58)


@versions
async def test_order_status_request_reports_the_current_state(make_sim, version):
    async with two_clients(make_sim, version) as (a, _, _):
        await a.new_order("A1")
        await a.expect("8")
        extra = [(790, "S1")] if version not in ("FIX.4.2", "FIX.4.3") else []
        await a.send("H", (11, "A1"), (55, "ACME"), (54, 1), *extra)
        status = await a.expect("8")
        if version == "FIX.4.2":
            assert fields(status, 20, 150, 39) == ("3", "0", "0")
        elif version == "FIX.4.3":
            assert fields(status, 20, 150, 39, 790) == ("3", "I", "0", None)
        else:
            assert fields(status, 150, 39, 790) == ("I", "0", "S1")


@pytest.mark.parametrize("version", ["FIX.4.4", "FIXT.1.1"])
async def test_mass_cancel_cancels_every_order_and_reports_how_many(make_sim, version):
    async with two_clients(make_sim, version) as (a, _, _):
        for cl in ("A1", "A2"):
            await a.new_order(cl)
            await a.expect("8")
        await a.send("q", (11, "M1"), (530, 7), (60, a.now()))
        canceled = [await a.expect("8"), await a.expect("8")]
        assert sorted(field(m, 11) for m in canceled) == ["A1", "A2"]
        assert all(fields(m, 150, 39) == ("4", "4") for m in canceled)
        report = await a.expect("r")
        assert fields(report, 11, 530, 531, 533) == ("M1", "7", "7", "2")


@versions
async def test_ioc_remainder_is_canceled_after_the_fill(make_sim, version):
    async with two_clients(make_sim, version) as (a, b, _):
        await a.new_order("A1", 2, 30, "10.00")
        await a.expect("8")
        await b.new_order("B1", 1, 100, "10.00", "ACME", "2", (59, 3))
        assert field(await b.expect("8"), 39) == "0"
        assert fields(await b.expect("8"), 39, 14) == ("1", "30")
        assert fields(await b.expect("8"), 150, 39, 151, 14) == ("4", "4", "0", "30")


@versions
async def test_gtd_order_expires_at_its_expire_time(make_sim, version):
    async with two_clients(make_sim, version) as (a, _, sim):
        await a.new_order("A1", 1, 100, "10.00", "ACME", "2", (59, 6), (126, a.now(60)))
        await a.expect("8")
        sim.clock.advance(seconds=61)
        report = await a.expect("8")
        assert fields(report, 150, 39, 151) == ("C", "C", "0")


@versions
async def test_order_on_a_drop_copy_session_gets_business_reject(make_sim, version):
    sim = make_sim(version)
    sim.create_session(
        "fix",
        "DC",
        {"sender_comp_id": "DC", "target_comp_id": "EXSIM"},
        role="drop_copy",
        params={"begin_string": version},
    )
    async with serving(sim, "fix") as (port, _):
        dc = await FixClient.connect(port, begin_string=version, sender="DC", clock=sim.clock)
        await dc.logon()
        await dc.new_order("X1")
        reject = await dc.expect("j")
        assert field(reject, 372) == "D"
        assert "drop-copy session" in field(reject, 58)


async def test_fix40_reports_carry_exec_trans_type_and_no_exec_type(make_sim):
    async with two_clients(make_sim, "FIX.4.0") as (a, _, _):
        await a.new_order("A1")
        ack = await a.expect("8")
        assert fields(ack, 20, 39, 150, 151) == ("0", "0", None, None)
