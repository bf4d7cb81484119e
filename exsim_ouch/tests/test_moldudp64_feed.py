"""The ITCH 5.0 feed over MoldUDP64: downstream packets, heartbeats, re-requests and End
of Session, on UDP sockets on 127.0.0.1 (PROTOCOLS.md 4.4)."""

from __future__ import annotations

import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import anyio.abc
import pytest

from exsim_core import BUY, ManualClock, Order, Simulator, Venue
from exsim_core.testing import running_endpoint

pytestmark = pytest.mark.anyio


def header(packet: bytes) -> tuple[bytes, int, int]:
    session, seq, count = struct.unpack(">10sQH", packet[:20])
    return session, seq, count


def messages(packet: bytes) -> list[bytes]:
    _, _, count = header(packet)
    out, pos = [], 20
    for _ in range(count):
        (length,) = struct.unpack(">H", packet[pos : pos + 2])
        out.append(packet[pos + 2 : pos + 2 + length])
        pos += 2 + length
    return out


@asynccontextmanager
async def mold(sim: Simulator) -> AsyncIterator[tuple[anyio.abc.UDPSocket, int]]:
    async with await anyio.create_udp_socket(local_host="127.0.0.1") as receiver:
        port = receiver.extra(anyio.abc.SocketAttribute.local_port)
        sim.create_endpoint("MOLD", "itch50_mold", "XNAS", params={"dest_port": port})
        async with running_endpoint(sim, "MOLD"):
            yield receiver, sim.endpoint("MOLD").port


async def receive(sock: anyio.abc.UDPSocket) -> bytes:
    with anyio.fail_after(5):
        data, _ = await sock.receive()
    return data


async def test_the_first_packet_carries_the_start_of_day_from_number_one(
    sim: Simulator, venue: Venue
) -> None:
    async with mold(sim) as (receiver, _):
        packet = await receive(receiver)
    session, seq, count = header(packet)
    assert (session, seq, count) == (b"2026010501", 1, 7)
    assert [m[:1] for m in messages(packet)] == [b"S", b"S", b"S", b"R", b"H", b"R", b"H"]


async def test_new_messages_follow_in_the_next_packet(sim: Simulator, venue: Venue) -> None:
    async with mold(sim) as (receiver, _):
        await receive(receiver)
        venue.submit(Order("ACME", BUY, 100, 1000, session="bot"))
        packet = await receive(receiver)
    assert header(packet)[1:] == (8, 1)
    assert messages(packet)[0][:1] == b"A"


async def test_an_idle_second_sends_a_heartbeat_with_the_next_number(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    async with mold(sim) as (receiver, _):
        await receive(receiver)
        clock.advance(seconds=1)
        assert header(await receive(receiver)) == (b"2026010501", 8, 0)


async def test_a_rerequest_is_answered_to_its_sender(sim: Simulator, venue: Venue) -> None:
    async with mold(sim) as (receiver, server):
        await receive(receiver)
        async with await anyio.create_udp_socket(local_host="127.0.0.1") as asker:
            await asker.sendto(b"2026010501" + struct.pack(">QH", 4, 2), "127.0.0.1", server)
            answer = await receive(asker)
    assert header(answer) == (b"2026010501", 4, 2)
    assert [m[:1] for m in messages(answer)] == [b"R", b"H"]


async def test_bad_rerequests_are_dropped_and_the_server_goes_on(
    sim: Simulator, venue: Venue
) -> None:
    async with mold(sim) as (receiver, server):
        await receive(receiver)
        async with await anyio.create_udp_socket(local_host="127.0.0.1") as asker:
            await asker.sendto(b"short", "127.0.0.1", server)
            await asker.sendto(b"OTHERSESSN" + struct.pack(">QH", 1, 1), "127.0.0.1", server)
            await asker.sendto(b"2026010501" + struct.pack(">QH", 99, 1), "127.0.0.1", server)
            await asker.sendto(b"2026010501" + struct.pack(">QH", 1, 1), "127.0.0.1", server)
            answer = await receive(asker)
    assert header(answer) == (b"2026010501", 1, 1)


async def test_shutdown_sends_end_of_messages_then_end_of_session(
    sim: Simulator, venue: Venue
) -> None:
    async with await anyio.create_udp_socket(local_host="127.0.0.1") as receiver:
        port = receiver.extra(anyio.abc.SocketAttribute.local_port)
        sim.create_endpoint("MOLD", "itch50_mold", "XNAS", params={"dest_port": port})
        async with running_endpoint(sim, "MOLD"):
            await receive(receiver)
        end_of_messages = await receive(receiver)
        end_of_session = await receive(receiver)
    assert header(end_of_messages)[1:] == (8, 1)
    [message] = messages(end_of_messages)
    assert (message[:1], message[-1:]) == (b"S", b"C")
    assert header(end_of_session) == (b"2026010501", 9, 0xFFFF)


async def test_the_endpoint_reports_its_rerequest_port_as_its_port(
    sim: Simulator, venue: Venue
) -> None:
    async with await anyio.create_udp_socket(local_host="127.0.0.1") as receiver:
        port = receiver.extra(anyio.abc.SocketAttribute.local_port)
        sim.create_endpoint("MOLD", "itch50_mold", "XNAS", params={"dest_port": port})
        async with running_endpoint(sim, "MOLD") as reported:
            assert reported != 0
            assert reported == sim.endpoint("MOLD").port
