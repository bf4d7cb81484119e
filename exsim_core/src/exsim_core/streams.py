"""Connection streams for endpoints served on asyncio: an :class:`anyio.abc.ByteStream`
over an asyncio protocol, without a trip round the event loop per call.

anyio's own socket stream yields to the event loop on every ``send`` (a checkpoint)
and stops and restarts reading around every ``receive`` (two ``epoll_ctl`` calls).
That is the right default for a library, but an order-entry connection does one of
each per order: measured on loopback, an echo served through anyio's stream takes
about 100 µs more per round trip than one served by a plain asyncio protocol. The
stream here keeps what anyio's gives a protocol (the same exceptions for the same
conditions, cancellation while waiting, bounded buffers) and drops the rest:

* ``receive`` returns at once when data has arrived, and waits otherwise; reading is
  paused only when :data:`READ_LIMIT` bytes are buffered unread;
* ``send`` hands the bytes to the transport and waits only when the transport's
  buffer is above :data:`WRITE_HIGH` (until it drains below :data:`WRITE_LOW`);
* ``aclose`` closes the transport after what was sent is flushed, or after
  :data:`CLOSE_GRACE_S` seconds when the peer does not read it (anyio's aborts at once,
  which is harmless there because its ``send`` returns only once the kernel has the
  bytes).

Exceptions, as anyio's streams raise them: :class:`anyio.EndOfStream` when the peer
closed its side and everything it sent was read, :class:`anyio.BrokenResourceError`
when the connection failed, :class:`anyio.ClosedResourceError` after ``aclose``.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

import anyio
import anyio.abc
from anyio.abc import SocketAttribute

__all__ = [
    "CLOSE_GRACE_S",
    "READ_LIMIT",
    "WRITE_HIGH",
    "WRITE_LOW",
    "StreamProtocol",
    "TransportStream",
]

#: unread bytes a connection buffers before it stops reading from its socket
READ_LIMIT = 1 << 20
#: bytes buffered for writing above which ``send`` waits ...
WRITE_HIGH = 1 << 20
#: ... until the buffer is below this
WRITE_LOW = 1 << 18
#: seconds a closed connection may take to hand over what it still has to send before
#: it is dropped (a peer that stopped reading must not hold it open for ever)
CLOSE_GRACE_S = 5.0


class StreamProtocol(asyncio.Protocol):
    """The asyncio side of one connection: buffers what arrives, wakes the reader,
    and tracks whether the transport can take more."""

    transport: asyncio.Transport

    def __init__(self, on_connect: Callable[[TransportStream], None]) -> None:
        self._on_connect = on_connect
        self.loop = asyncio.get_running_loop()
        self.chunks: deque[bytes] = deque()
        self.buffered = 0
        self.at_eof = False
        self.lost = False
        self.exception: BaseException | None = None
        self.paused = False
        self.reader: asyncio.Future[None] | None = None
        self.drain: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.set_write_buffer_limits(high=WRITE_HIGH, low=WRITE_LOW)
        self._on_connect(TransportStream(self))

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)
        self.buffered += len(data)
        if self.buffered > READ_LIMIT and not self.paused:
            self.paused = True
            self.transport.pause_reading()
        self._wake_reader()

    def eof_received(self) -> bool:
        self.at_eof = True
        self._wake_reader()
        return True  # keep the transport open for writing: the peer may still read

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        if exc is not None:
            self.exception = exc
        self._wake_reader()
        drain, self.drain = self.drain, None
        if drain is not None and not drain.done():
            drain.set_result(None)

    def pause_writing(self) -> None:
        if self.drain is None:
            self.drain = self.loop.create_future()

    def resume_writing(self) -> None:
        drain, self.drain = self.drain, None
        if drain is not None and not drain.done():
            drain.set_result(None)

    def _wake_reader(self) -> None:
        reader, self.reader = self.reader, None
        if reader is not None and not reader.done():
            reader.set_result(None)


class TransportStream(anyio.abc.ByteStream):
    """An :class:`anyio.abc.ByteStream` over a :class:`StreamProtocol`'s transport (see
    the module notes for how it differs from anyio's socket stream)."""

    def __init__(self, protocol: StreamProtocol) -> None:
        self._protocol = protocol
        self._transport = protocol.transport
        self._closed = False

    async def receive(self, max_bytes: int = 65536) -> bytes:
        if max_bytes < 1:
            raise ValueError("max_bytes must be a positive integer")
        p = self._protocol
        while not p.chunks:
            if self._closed:
                raise anyio.ClosedResourceError
            if p.exception is not None:
                raise anyio.BrokenResourceError from p.exception
            if p.at_eof or p.lost:
                raise anyio.EndOfStream
            if p.reader is not None:
                raise anyio.BusyResourceError("reading from")
            p.reader = p.loop.create_future()
            try:
                await p.reader
            finally:
                p.reader = None
        chunk = p.chunks.popleft()
        if len(chunk) > max_bytes:
            chunk, rest = chunk[:max_bytes], chunk[max_bytes:]
            p.chunks.appendleft(rest)
        p.buffered -= len(chunk)
        if p.paused and p.buffered <= READ_LIMIT // 2:
            p.paused = False
            self._transport.resume_reading()
        return chunk

    async def send(self, item: bytes) -> None:
        p = self._protocol
        if self._closed:
            raise anyio.ClosedResourceError
        if p.exception is not None:
            raise anyio.BrokenResourceError from p.exception
        if p.lost or self._transport.is_closing():
            raise anyio.BrokenResourceError("the connection is closed")
        self._transport.write(item)
        drain = p.drain
        if drain is not None:
            await asyncio.shield(drain)
            if p.exception is not None:
                raise anyio.BrokenResourceError from p.exception

    async def send_eof(self) -> None:
        if not self._transport.is_closing():
            with contextlib.suppress(OSError):
                self._transport.write_eof()

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            transport = self._transport
            transport.close()
            if transport.get_write_buffer_size():
                self._protocol.loop.call_later(CLOSE_GRACE_S, transport.abort)
            self._protocol._wake_reader()
        await anyio.lowlevel.checkpoint()

    @property
    def extra_attributes(self) -> Mapping[Any, Callable[[], Any]]:
        sock: socket.socket = self._transport.get_extra_info("socket")
        attributes: dict[Any, Callable[[], Any]] = {
            SocketAttribute.family: lambda: sock.family,
            SocketAttribute.local_address: sock.getsockname,
            SocketAttribute.raw_socket: lambda: sock,
        }
        try:
            peer = sock.getpeername()
        except OSError:
            peer = None
        if peer is not None:
            attributes[SocketAttribute.remote_address] = lambda: peer
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            attributes[SocketAttribute.local_port] = lambda: sock.getsockname()[1]
            if peer is not None:
                attributes[SocketAttribute.remote_port] = lambda: peer[1]
        return attributes
