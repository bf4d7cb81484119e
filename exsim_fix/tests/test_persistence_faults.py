"""Sequence numbers and sent messages persist in the store (a restart continues them);
cancel-on-disconnect; every fault injection, end to end over real sockets."""

from __future__ import annotations

import anyio
import pytest

from exsim_core.store import SqliteStore
from exsim_fix.testing import FixClient, field, serving

pytestmark = pytest.mark.anyio


async def test_restart_on_the_same_database_continues_sequence_numbers_and_resends(
    make_sim, tmp_path
):
    path = tmp_path / "exsim.db"
    store = SqliteStore(path)
    sim = make_sim("FIX.4.4")
    async with serving(sim, "fix", store) as (port, _):
        client = await FixClient.connect(port, clock=sim.clock)
        await client.logon()
        await client.new_order("A1")
        before = await client.expect("8")
        await client.send("5")
        await client.expect("5")
        await client.expect_closed()
    store.close()

    store = SqliteStore(path)
    sim = make_sim("FIX.4.4")
    async with serving(sim, "fix", store) as (port, _):
        client = await FixClient.connect(port, clock=sim.clock)
        client.seq = 4
        answer = await client.logon()
        assert field(answer, 34) == "4"
        await client.send("2", (7, 2), (16, 2))
        again = await client.expect("8")
        assert (field(again, 34), field(again, 43)) == ("2", "Y")
        assert (field(again, 17), field(again, 11)) == (field(before, 17), "A1")
    store.close()


async def test_reset_on_logon_starts_both_directions_at_1(make_sim):
    sim = make_sim("FIX.4.4", reset_on_logon=True)
    async with serving(sim, "fix") as (port, _):
        for _ in range(2):
            client = await FixClient.connect(port, clock=sim.clock)
            assert field(await client.logon(), 34) == "1"
            await client.send("5")
            await client.expect("5")
            await client.expect_closed()


async def test_cancel_on_disconnect_cancels_live_orders_and_queues_the_reports(make_sim):
    sim = make_sim("FIX.4.4", cancel_on_disconnect=True)
    venue = sim.venue("XSIM")
    async with serving(sim, "fix") as (port, protocol):
        client = await FixClient.connect(port, clock=sim.clock)
        await client.logon()
        await client.new_order("A1")
        await client.expect("8")
        await client.close()
        with anyio.fail_after(5):
            while protocol.session("CLIENT").logged_on:
                await anyio.sleep(0.01)
        assert not venue.orders
        again = await FixClient.connect(port, clock=sim.clock)
        again.seq = 3
        answer = await again.logon()
        assert field(answer, 34) == "4"
        await again.send("2", (7, 3), (16, 0))
        canceled = await again.expect("8")
        assert (field(canceled, 11), field(canceled, 150), field(canceled, 43)) == ("A1", "4", "Y")


async def test_orders_stay_when_cancel_on_disconnect_is_off(make_sim):
    sim = make_sim("FIX.4.4")
    async with serving(sim, "fix") as (port, protocol):
        client = await FixClient.connect(port, clock=sim.clock)
        await client.logon()
        await client.new_order("A1")
        await client.expect("8")
        await client.close()
        with anyio.fail_after(5):
            while protocol.session("CLIENT").logged_on:
                await anyio.sleep(0.01)
        assert len(sim.venue("XSIM").orders) == 1


async def _client(sim, port):
    client = await FixClient.connect(port, clock=sim.clock)
    await client.logon()
    return client


async def test_fault_drop_loses_a_message_the_client_can_resend(logged_on):
    async with logged_on() as (client, sim, protocol):
        protocol.inject_fault(sim.session("CLIENT"), "drop", {"count": 1})
        await client.new_order("A1")
        await client.send("1", (112, "T"))
        heartbeat = await client.expect("0")
        assert field(heartbeat, 34) == "3"
        await client.send("2", (7, 2), (16, 2))
        resent = await client.expect("8")
        assert (field(resent, 34), field(resent, 11), field(resent, 43)) == ("2", "A1", "Y")


async def test_fault_delay_holds_the_outbound_stream(logged_on):
    async with logged_on() as (client, sim, protocol):
        protocol.inject_fault(sim.session("CLIENT"), "delay", {"seconds": 5})
        await client.send("1", (112, "LATE"))
        await client.expect_silence()
        sim.clock.advance(seconds=5)
        assert field(await client.expect("0"), 112) == "LATE"


async def test_fault_skip_seq_makes_a_gap_answered_by_a_gap_fill(logged_on):
    async with logged_on() as (client, sim, protocol):
        protocol.inject_fault(sim.session("CLIENT"), "skip_seq", {"count": 3})
        await client.send("1", (112, "T"))
        assert field(await client.expect("0"), 34) == "5"
        await client.send("2", (7, 2), (16, 4))
        fill = await client.expect("4")
        assert (field(fill, 34), field(fill, 36), field(fill, 123)) == ("2", "5", "Y")


async def test_fault_duplicate_sends_a_possdup_copy(logged_on):
    async with logged_on() as (client, sim, protocol):
        protocol.inject_fault(sim.session("CLIENT"), "duplicate", {})
        await client.new_order("A1")
        first = await client.expect("8")
        copy = await client.expect("8")
        assert field(copy, 34) == field(first, 34)
        assert (field(first, 43), field(copy, 43)) == (None, "Y")


async def test_fault_stop_heartbeats_silences_heartbeats_and_test_request_answers(logged_on):
    async with logged_on(heartbeat=10) as (client, sim, protocol):
        protocol.inject_fault(sim.session("CLIENT"), "stop_heartbeats", {})
        await client.send("1", (112, "ANYONE"))
        await client.expect_silence()
        sim.clock.advance(seconds=10)
        await client.expect_silence()
        protocol.inject_fault(sim.session("CLIENT"), "clear", {})
        await client.send("1", (112, "BACK"))
        assert field(await client.expect("0"), 112) == "BACK"


async def test_fault_disconnect_closes_the_connection_without_logout(logged_on):
    async with logged_on() as (client, sim, protocol):
        protocol.inject_fault(sim.session("CLIENT"), "disconnect", {})
        await client.expect_closed()


async def test_faults_from_configuration_are_in_force_from_the_start(make_sim):
    sim = make_sim("FIX.4.4", faults=[{"kind": "drop", "count": 1, "msg_types": ["8"]}])
    async with serving(sim, "fix") as (port, _):
        client = await _client(sim, port)
        await client.new_order("A1")
        await client.new_order("A2")
        report = await client.expect("8")
        assert (field(report, 11), field(report, 34)) == ("A2", "3")


async def test_unknown_fault_is_a_clear_error(logged_on):
    async with logged_on() as (_, sim, protocol):
        with pytest.raises(ValueError, match="kind"):
            protocol.inject_fault(sim.session("CLIENT"), "explode", {})


async def test_shutdown_logs_every_session_out(make_sim):
    sim = make_sim("FIX.4.4")
    async with serving(sim, "fix") as (port, _):
        client = await FixClient.connect(port, clock=sim.clock)
        await client.logon()
    logout = await client.expect("5")
    assert field(logout, 58) == "the venue is shutting down"


async def test_fault_sequence_reset_moves_the_client_on(logged_on):
    async with logged_on() as (client, sim, protocol):
        protocol.inject_fault(sim.session("CLIENT"), "sequence_reset", {"count": 10})
        reset = await client.expect("4")
        assert (field(reset, 34), field(reset, 36), field(reset, 123)) == ("2", "12", None)
        await client.send("1", (112, "AFTER"))
        assert field(await client.expect("0"), 34) == "12"
