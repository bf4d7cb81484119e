"""``itch50_mold``: the ITCH 5.0 feed of a venue as MoldUDP64 datagrams.

Downstream packets go by UDP unicast to ``dest_host``:``dest_port`` (127.0.0.1 by
default), each holding as many messages as fit in ``max_payload`` bytes; a heartbeat
goes out after ``heartbeat_interval_ms`` without a packet (on the venue clock), and End
of Session at shutdown. The endpoint's own address (``host``, ``port``; port 0 picks a
free one, reported as the endpoint's port) is the retransmission request server: a
20-byte re-request for session, first number and count is answered, to its sender,
with one packet of the messages asked for that fit. Malformed re-requests, or ones for
another session, are logged and dropped.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, ClassVar

import anyio
import anyio.abc
from anyio.abc import SocketAttribute
from pydantic import Field

from exsim_core import Protocol, ProtocolParams

from . import mold
from .errors import DecodeError
from .itchfeed import ItchFeed
from .marketdata import new_session_name
from .seqlog import SequencedLog

if TYPE_CHECKING:
    from exsim_core.clock import Timer

__all__ = ["Itch50MoldEndpoint", "MoldParams"]

log = logging.getLogger("exsim.itch.mold")

NS_PER_MS = 1_000_000


class MoldParams(ProtocolParams):
    """Settings of a MoldUDP64 feed."""

    dest_host: str = Field("127.0.0.1", description="Where downstream packets go (unicast).")
    dest_port: int = Field(gt=0, le=65535, description="UDP port downstream packets go to.")
    heartbeat_interval_ms: int = Field(
        1000, gt=0, le=60_000, description="Send a heartbeat after this long without a packet."
    )
    max_payload: int = Field(
        1400, ge=100, le=65_000, description="Largest datagram sent, in bytes."
    )


class Itch50MoldEndpoint(Protocol):
    """ITCH 5.0 market data over MoldUDP64 (see the module documentation)."""

    name = "itch50_mold"
    description = "Nasdaq TotalView-ITCH 5.0 over MoldUDP64 unicast, with re-request server"
    transport: ClassVar[str] = "none"
    Params = MoldParams

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clock = self.context.clock
        self.store = self.context.store
        self.log: SequencedLog | None = None
        self.feed: ItchFeed | None = None
        #: number of the next message to send downstream
        self.next_seq = 1
        self._wake = anyio.Event()
        self._last_sent = 0
        self._timer: Timer | None = None
        self._heartbeat_due = False
        self._socket: anyio.abc.UDPSocket | None = None

    @property
    def session_name(self) -> bytes:
        assert self.log is not None
        return self.log.name.encode().ljust(10)

    async def run(self, task_status: anyio.abc.TaskStatus[Any]) -> None:
        params: Any = self.params
        endpoint = self.endpoint
        async with await anyio.create_udp_socket(
            local_host=endpoint.host, local_port=endpoint.port
        ) as sock:
            self._socket = sock
            endpoint.port = int(sock.extra(SocketAttribute.local_port))
            namespace = f"mold:{endpoint.name}"
            name = new_session_name(self.store, namespace, self.context.venue)
            self.log = SequencedLog(self.store, f"{namespace}:{name}", name)
            self.feed = ItchFeed(self.context.venue, self.log)
            self.log.followers.append(self)
            self.feed.start()
            self.store.flush()
            self._last_sent = self.clock.now_ns()
            self._timer = self.clock.call_at(
                self._last_sent + params.heartbeat_interval_ms * NS_PER_MS, self._heartbeat
            )
            task_status.started()
            try:
                async with anyio.create_task_group() as tg:
                    tg.start_soon(self._rerequests, sock)
                    await self._sender(sock)
            finally:
                with anyio.CancelScope(shield=True), anyio.move_on_after(2):
                    await self._finish(sock)

    # ------------------------------------------------------------------ downstream
    def deliver(self, seq: int, payload: bytes) -> None:
        """The feed appended message ``seq`` (the log's follower interface)."""
        if not self._wake.is_set():
            self._wake.set()

    def wake(self) -> None:
        if not self._wake.is_set():
            self._wake.set()

    async def _sender(self, sock: anyio.abc.UDPSocket) -> None:
        params: Any = self.params
        while True:
            await self._wake.wait()
            self._wake = anyio.Event()
            sent = await self._send_pending(sock)
            if self._heartbeat_due:
                self._heartbeat_due = False
                if not sent:
                    packet = mold.heartbeat(self.session_name, self.next_seq)
                    await sock.sendto(packet, params.dest_host, params.dest_port)
                    self._last_sent = self.clock.now_ns()

    async def _send_pending(self, sock: anyio.abc.UDPSocket) -> bool:
        """Send every message not sent yet; True if there was any."""
        lg = self.log
        assert lg is not None
        params: Any = self.params
        sent = False
        while self.next_seq <= lg.last:
            sent = True
            first = self.next_seq
            batch = _fit(lg.read(first, 512), params.max_payload)
            # nothing goes out before what it shows is committed (in a daemon: the
            # journal of the orders too)
            self.context.commit()
            await sock.sendto(
                mold.pack(self.session_name, first, batch), params.dest_host, params.dest_port
            )
            self.next_seq = first + len(batch)
            self._last_sent = self.clock.now_ns()
        return sent

    def _heartbeat(self) -> None:
        self._timer = None
        if self.log is None or self._socket is None:
            return
        interval = self.params.heartbeat_interval_ms * NS_PER_MS  # type: ignore[attr-defined]
        now = self.clock.now_ns()
        due = self._last_sent + interval
        if now >= due:
            self._heartbeat_due = True
            self.wake()
            due = now + interval
        self._timer = self.clock.call_at(due, self._heartbeat)

    async def _finish(self, sock: anyio.abc.UDPSocket) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self.feed is not None:
            self.feed.stop()
        if self.log is not None:
            self.log.end()
            await self._send_pending(sock)
            params: Any = self.params
            await sock.sendto(
                mold.end_of_session(self.session_name, self.next_seq),
                params.dest_host,
                params.dest_port,
            )
        self.store.flush()

    # ------------------------------------------------------------------ re-requests
    async def _rerequests(self, sock: anyio.abc.UDPSocket) -> None:
        params: Any = self.params
        async for data, (host, port) in sock:
            try:
                session, first, count = mold.parse_request(data)
            except DecodeError as exc:
                log.warning("re-request from %s:%s dropped: %s", host, port, exc)
                continue
            lg = self.log
            if lg is None or session != self.session_name:
                log.warning(
                    "re-request from %s:%s for session %r dropped: this feed's session is %r",
                    host, port, session, self.session_name,
                )  # fmt: skip
                continue
            if first < 1 or first > lg.last or count == 0:
                log.info(
                    "re-request from %s:%s for messages %d+%d: none to send",
                    host,
                    port,
                    first,
                    count,
                )
                continue
            batch = _fit(lg.read(first, min(count, 512)), params.max_payload)
            await sock.sendto(mold.pack(self.session_name, first, batch), host, port)


def _fit(messages: list[bytes], max_payload: int) -> list[bytes]:
    """The leading messages that fit in one datagram (at least one)."""
    size = mold.HEADER_SIZE
    for i, message in enumerate(messages):
        size += 2 + len(message)
        if size > max_payload and i:
            return messages[:i]
    return messages
