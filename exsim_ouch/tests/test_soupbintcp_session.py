"""SoupBinTCP session rules over real sockets (PROTOCOLS.md 1.6), on an OUCH 4.2 endpoint.

The endpoint's first sequenced message of the day is OUCH's System Event (start of day),
so a fresh login replays exactly one message.
"""

from __future__ import annotations

import pytest
from soupwire import SoupClient, login_request, packet

from exsim_core import ManualClock, Simulator, Venue
from exsim_core.testing import running_endpoint

pytestmark = pytest.mark.anyio

SESSION = "2026010501"


@pytest.fixture
def sim42(sim: Simulator, venue: Venue) -> Simulator:
    sim.create_endpoint("OUCH", "ouch42", "XNAS")
    sim.create_session("OUCH", "client", {"username": "CLIENT"}, password="secret")
    sim.create_session("OUCH", "clnt2", {"username": "CLNT2"}, password="secret")
    return sim


async def test_login_is_accepted_with_the_session_and_next_sequence_number(
    sim42: Simulator,
) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        assert await client.login("CLIENT", "secret") == (SESSION, 1)
        assert (await client.sequenced())[:1] == b"S"


async def test_login_accepted_is_right_justified_as_the_spec_says(sim42: Simulator) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        await client.send(login_request("CLIENT", "secret"))
        assert await client.receive() == (b"A", SESSION.encode() + b"1".rjust(20))


async def test_wrong_password_is_rejected_not_authorized_and_closed(sim42: Simulator) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        await client.send(login_request("CLIENT", "wrong"))
        assert await client.closed() == [(b"J", b"A")]


async def test_unknown_username_is_rejected_not_authorized(sim42: Simulator) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        await client.send(login_request("NOBODY", "secret"))
        assert await client.closed() == [(b"J", b"A")]


async def test_username_and_password_compare_case_insensitively(sim42: Simulator) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        assert await client.login("client", "SECRET") == (SESSION, 1)


async def test_unknown_requested_session_is_rejected_session_not_available(
    sim42: Simulator,
) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        await client.send(login_request("CLIENT", "secret", session="2025123101"))
        assert await client.closed() == [(b"J", b"S")]


async def test_requesting_the_current_session_by_name_is_accepted(sim42: Simulator) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        assert await client.login("CLIENT", "secret", session=SESSION) == (SESSION, 1)


async def test_a_second_connection_of_a_logged_in_session_is_refused(sim42: Simulator) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        first = await SoupClient.connect(port)
        await first.login("CLIENT", "secret")
        second = await SoupClient.connect(port)
        await second.send(login_request("CLIENT", "secret"))
        assert await second.closed() == [(b"J", b"S")]


async def test_sequence_zero_starts_after_the_last_message_without_replay(
    sim42: Simulator,
) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        assert await client.login("CLIENT", "secret", sequence=0) == (SESSION, 2)
        with pytest.raises(TimeoutError):
            await client.receive(timeout=0.2)


async def test_a_sequence_number_past_the_end_is_clamped_to_the_end(sim42: Simulator) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        assert await client.login("CLIENT", "secret", sequence=1000) == (SESSION, 2)


async def test_a_left_justified_sequence_number_is_accepted(sim42: Simulator) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        await client.send(login_request("CLIENT", "secret", sequence=2, numbers_left=True))
        assert await client.receive() == (b"A", SESSION.encode() + b"2".rjust(20))


async def test_server_sends_a_heartbeat_after_one_second_without_output(
    sim42: Simulator, clock: ManualClock
) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        await client.login("CLIENT", "secret", sequence=0)
        clock.advance(seconds=0.999)
        with pytest.raises(TimeoutError):
            await client.receive(timeout=0.2)
        clock.advance(seconds=0.001)
        assert await client.receive() == (b"H", b"")


async def answered(client: SoupClient) -> None:
    """Send a client heartbeat and a message the server answers (with a Debug packet:
    an unknown OUCH type), and wait for the answer: the server has read both."""
    await client.send(packet(b"R") + packet(b"U", b"?"))
    while (await client.receive())[0] != b"+":
        pass


async def test_a_silent_client_is_disconnected_after_fifteen_seconds(
    sim42: Simulator, clock: ManualClock
) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        await client.login("CLIENT", "secret", sequence=0)
        clock.advance(seconds=14.9)
        await answered(client)
        clock.advance(seconds=14.9)
        await answered(client)
        clock.advance(seconds=15)
        assert set(await client.closed()) <= {(b"H", b"")}


async def test_client_heartbeats_keep_a_connection_open(
    sim42: Simulator, clock: ManualClock
) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        await client.login("CLIENT", "secret", sequence=0)
        for _ in range(4):
            clock.advance(seconds=10)
            await answered(client)
        assert await client.login_still_open()


async def test_a_410_login_states_its_own_idle_timeout(
    sim42: Simulator, clock: ManualClock
) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        await client.send(login_request("CLIENT", "secret", sequence=0, timeout_ms=3000))
        assert (await client.receive())[0] == b"A"
        clock.advance(seconds=3)
        assert set(await client.closed()) <= {(b"H", b"")}


async def test_logout_request_closes_the_connection_without_a_reply(sim42: Simulator) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        await client.login("CLIENT", "secret", sequence=0)
        await client.send(packet(b"O"))
        assert await client.closed() == []


async def test_data_before_login_is_a_logged_disconnect_with_a_debug_packet(
    sim42: Simulator,
) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        await client.send(packet(b"U", b"O"))
        [(ptype, text)] = await client.closed()
        assert ptype == b"+"
        assert b"before login" in text


async def test_unknown_packet_type_after_login_closes_the_connection(sim42: Simulator) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        await client.login("CLIENT", "secret", sequence=0)
        await client.send(packet(b"Q", b"xyz"))
        [(ptype, text)] = await client.closed()
        assert ptype == b"+"
        assert b"unknown packet type" in text


async def test_a_zero_length_packet_closes_the_connection(sim42: Simulator) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        await client.send(b"\x00\x00")
        [(ptype, _)] = await client.closed()
        assert ptype == b"+"


async def test_an_oversized_packet_closes_the_connection(sim42: Simulator) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        await client.login("CLIENT", "secret", sequence=0)
        await client.send(packet(b"U", b"O" * 5000))
        [(ptype, text)] = await client.closed()
        assert (ptype, b"exceeds" in text) == (b"+", True)


async def test_a_malformed_login_request_closes_the_connection(sim42: Simulator) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        await client.send(packet(b"L", b"CLIENTsecret"))
        [(ptype, _)] = await client.closed()
        assert ptype == b"+"


async def test_client_debug_packets_are_ignored(sim42: Simulator) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        client = await SoupClient.connect(port)
        await client.send(packet(b"+", b"hello"))
        assert await client.login("CLIENT", "secret") == (SESSION, 1)
