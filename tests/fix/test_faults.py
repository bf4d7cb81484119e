"""Fault injection on a FIX session of a running daemon, through the management API
(``inject_fault``) and through the session's configuration (``faults``): what the FIX
client then sees on the wire."""

from __future__ import annotations

import pytest
from fixexample import Example, session_id

from exsim_core.client import InvalidRequest
from exsim_fix.testing import field

pytestmark = pytest.mark.anyio
CLIENT = session_id("fix44", "CLIENT")


async def test_a_dropped_report_is_a_gap_the_client_recovers_with_a_resend_request(
    example: Example,
) -> None:
    client = await example.connect()
    await example.api.inject_fault(CLIENT, "drop", count=1)
    await client.new_order("A1")
    await client.send("1", (112, "AFTER"))
    heartbeat = await client.expect("0")
    assert (field(heartbeat, 112), field(heartbeat, 34)) == ("AFTER", "3")
    await client.send("2", (7, 2), (16, 2))
    resent = await client.expect("8")
    assert (field(resent, 34), field(resent, 11), field(resent, 43)) == ("2", "A1", "Y")


async def test_a_delay_holds_the_outbound_stream_then_delivers_it_in_order(
    example: Example,
) -> None:
    client = await example.connect()
    # the daemon runs on the wall clock: a long delay leaves room for a slow machine
    await example.api.inject_fault(CLIENT, "delay", seconds=3)
    await client.send("1", (112, "FIRST"))
    await client.send("1", (112, "SECOND"))
    await client.expect_silence(0.3)
    first = await client.expect("0", timeout=10)
    second = await client.expect("0")
    assert (field(first, 112), field(second, 112)) == ("FIRST", "SECOND")


async def test_a_skipped_sequence_number_is_answered_with_a_gap_fill(example: Example) -> None:
    client = await example.connect()
    await example.api.inject_fault(CLIENT, "skip_seq", count=2)
    await client.send("1", (112, "T"))
    assert field(await client.expect("0"), 34) == "4"
    await client.send("2", (7, 2), (16, 3))
    fill = await client.expect("4")
    assert (field(fill, 34), field(fill, 36), field(fill, 123), field(fill, 43)) == (
        "2",
        "4",
        "Y",
        "Y",
    )


async def test_a_duplicated_report_comes_again_as_a_possible_duplicate(example: Example) -> None:
    client = await example.connect()
    await example.api.inject_fault(CLIENT, "duplicate")
    await client.new_order("A1")
    first = await client.expect("8")
    copy = await client.expect("8")
    assert (field(copy, 34), field(copy, 17)) == (field(first, 34), field(first, 17))
    assert (field(first, 43), field(copy, 43)) == (None, "Y")


async def test_stopped_heartbeats_leave_test_requests_unanswered_until_cleared(
    example: Example,
) -> None:
    client = await example.connect()
    await example.api.inject_fault(CLIENT, "stop_heartbeats")
    await client.send("1", (112, "ANYONE"))
    await client.expect_silence(0.5)
    await example.api.inject_fault(CLIENT, "clear")
    await client.send("1", (112, "BACK"))
    assert field(await client.expect("0"), 112) == "BACK"


async def test_disconnect_closes_the_connection_without_a_logout(example: Example) -> None:
    client = await example.connect()
    other = await example.connect(sender="CLIENT2")
    await example.api.inject_fault(CLIENT, "disconnect")
    await client.expect_closed()
    sessions = {s["id"]: s["connected"] for s in await example.api.sessions()}
    assert sessions[CLIENT] is False
    await other.send("1", (112, "STILL-HERE"))
    assert field(await other.expect("0"), 112) == "STILL-HERE"


async def test_an_unknown_fault_is_refused_naming_the_faults_there_are(example: Example) -> None:
    with pytest.raises(InvalidRequest, match="drop"):
        await example.api.inject_fault(CLIENT, "explode")


async def test_faults_in_a_sessions_configuration_are_in_force_from_its_first_logon(
    example: Example,
) -> None:
    api = example.api
    endpoint = await api.create_endpoint("faulty", "fix", "EXSIM")
    await api.create_session(
        "faulty",
        "faulty-client",
        {"sender_comp_id": "CLIENT", "target_comp_id": "EXSIM"},
        faults=[{"kind": "drop", "count": 1, "msg_types": ["8"]}],
    )
    client = await example.open_port(int(endpoint["port"]), "CLIENT")
    await client.logon(30, reset=True)
    await client.new_order("A1")
    await client.new_order("A2")
    report = await client.expect("8")
    assert (field(report, 11), field(report, 34)) == ("A2", "3")
