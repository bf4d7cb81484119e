"""Endpoint connections on asyncio: the stream a protocol is given behaves as anyio's
socket stream does (same exceptions for the same conditions), delivers every byte in
order, flushes what was sent before it closes, and bounds what it buffers."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable

import anyio
import pytest

from exsim_core import streams
from exsim_core.streams import READ_LIMIT, StreamProtocol, TransportStream

pytestmark = pytest.mark.anyio


class Server:
    """A listener on 127.0.0.1 whose connections arrive as TransportStreams."""

    def __init__(self) -> None:
        self.accepted: asyncio.Queue[TransportStream] = asyncio.Queue()
        self.server: asyncio.Server | None = None
        self.port = 0

    async def __aenter__(self) -> Server:
        loop = asyncio.get_running_loop()
        self.server = await loop.create_server(
            lambda: StreamProtocol(self.accepted.put_nowait), "127.0.0.1", 0
        )
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()

    async def connect(self) -> tuple[anyio.abc.SocketStream, TransportStream]:
        client = await anyio.connect_tcp("127.0.0.1", self.port)
        with anyio.fail_after(5):
            served = await self.accepted.get()
        return client, served


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    async with Server() as s:
        yield s


async def read_exactly(receive: Callable[[], object], n: int) -> bytes:
    data = b""
    with anyio.fail_after(10):
        while len(data) < n:
            data += await receive()  # type: ignore[misc,operator]
    return data


async def test_bytes_arrive_in_order_both_ways(server: Server) -> None:
    client, served = await server.connect()
    payload = bytes(range(256)) * 1000
    await client.send(payload)
    assert await read_exactly(served.receive, len(payload)) == payload
    await served.send(payload[::-1])
    assert await read_exactly(client.receive, len(payload)) == payload[::-1]
    await client.aclose()
    await served.aclose()


async def test_receive_honours_max_bytes_and_keeps_the_rest(server: Server) -> None:
    client, served = await server.connect()
    await client.send(b"abcdef")
    first = await read_exactly(lambda: served.receive(2), 2)
    assert first == b"ab"
    assert await read_exactly(served.receive, 4) == b"cdef"
    await client.aclose()
    await served.aclose()


async def test_the_peer_closing_ends_the_stream_after_what_it_sent(server: Server) -> None:
    client, served = await server.connect()
    await client.send(b"last words")
    await client.aclose()
    assert await read_exactly(served.receive, 10) == b"last words"
    with anyio.fail_after(5), pytest.raises(anyio.EndOfStream):
        await served.receive()
    await served.aclose()


async def test_the_peer_may_still_read_after_it_stops_writing(server: Server) -> None:
    client, served = await server.connect()
    await client.send_eof()
    with anyio.fail_after(5), pytest.raises(anyio.EndOfStream):
        await served.receive()
    await served.send(b"goodbye")
    assert await read_exactly(client.receive, 7) == b"goodbye"
    await client.aclose()
    await served.aclose()


async def test_a_closed_stream_refuses_further_use(server: Server) -> None:
    client, served = await server.connect()
    await served.aclose()
    with pytest.raises(anyio.ClosedResourceError):
        await served.receive()
    with pytest.raises(anyio.ClosedResourceError):
        await served.send(b"x")
    await client.aclose()


async def test_closing_flushes_what_was_sent_first(server: Server) -> None:
    client, served = await server.connect()
    payload = b"z" * (4 << 20)  # more than the kernel buffers at once
    await served.send(payload)
    await served.aclose()
    assert await read_exactly(client.receive, len(payload)) == payload
    with anyio.fail_after(5), pytest.raises(anyio.EndOfStream):
        await client.receive()
    await client.aclose()


async def test_a_reset_connection_is_broken_not_ended(server: Server) -> None:
    client, served = await server.connect()
    raw = client.extra(anyio.abc.SocketAttribute.raw_socket)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    await client.aclose()  # linger 0: the kernel sends a reset
    with anyio.fail_after(5), pytest.raises(anyio.BrokenResourceError):
        await served.receive()
    await served.aclose()


async def test_a_peer_that_sends_without_reading_is_bounded(server: Server) -> None:
    client, served = await server.connect()
    chunk = b"y" * 65536
    sent = 0
    # the client writes until its own send blocks: the served side stopped reading
    with anyio.move_on_after(3):
        while sent < 32 * READ_LIMIT:
            await client.send(chunk)
            sent += len(chunk)
    assert sent < 32 * READ_LIMIT
    protocol = served._protocol
    assert protocol.paused
    assert protocol.buffered <= READ_LIMIT + 4 * len(chunk)
    # reading resumes once what was buffered is consumed, and nothing is lost
    assert len(await read_exactly(served.receive, sent)) == sent
    await client.aclose()
    await served.aclose()


async def test_a_stream_reports_both_addresses(server: Server) -> None:
    client, served = await server.connect()
    local = client.extra(anyio.abc.SocketAttribute.local_address)
    assert served.extra(anyio.abc.SocketAttribute.remote_address) == local
    assert served.extra(anyio.abc.SocketAttribute.local_port) == server.port
    await client.aclose()
    await served.aclose()


async def test_a_closed_connection_whose_peer_stopped_reading_is_dropped_after_a_grace(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(streams, "CLOSE_GRACE_S", 0.2)
    client, served = await server.connect()
    # more than the kernel buffers hold, to a client that never reads
    with anyio.move_on_after(2):
        for _ in range(64):
            await served.send(b"w" * (1 << 20))
    assert served._transport.get_write_buffer_size() > 0
    await served.aclose()
    with anyio.fail_after(5):
        while not served._protocol.lost:
            await anyio.sleep(0.05)
    await client.aclose()
