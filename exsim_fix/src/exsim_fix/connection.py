"""One TCP connection of a FIX endpoint: a reader task and a writer task.

The reader frames and parses what arrives and hands each message to the session layer
(or, before Logon, to :func:`~exsim_fix.logon.accept_logon`). Whatever the session
layer and the venue want to send is appended to the connection's outbox; the writer
wakes once per burst, persists the sequence numbers, commits the store (so nothing the
client is sent can be lost) and writes the whole burst with one socket write. That
batching is what makes the hot path cheap: one read of many orders produces one store
commit and one write of all their acknowledgements.

A message that makes the session layer fail is logged and dropped: the exception never
leaves the connection, and other connections never see it.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

import anyio
import anyio.abc

from .codec import FixMessage, FrameReader, Garbled, parse
from .logon import accept_logon

if TYPE_CHECKING:
    from exsim_core.clock import Timer

    from .protocol import FixProtocol
    from .session import FixSession

__all__ = ["Connection"]

log = logging.getLogger("exsim.fix")
_READ_SIZE = 65_536
_CLOSE_ERRORS = (
    anyio.EndOfStream,
    anyio.BrokenResourceError,
    anyio.ClosedResourceError,
    ConnectionError,
    OSError,
)


class Connection:
    """A connection and, once logged on, the session it carries."""

    def __init__(self, protocol: FixProtocol, stream: anyio.abc.ByteStream, peer: str) -> None:
        self.protocol = protocol
        self.stream = stream
        self.peer = peer
        self.reader = FrameReader(protocol.params.max_message_size)
        self.session: FixSession | None = None
        self.closing = False
        self.close_reason = ""
        self._out: list[bytes] = []
        self._wake = anyio.Event()
        self._scope: anyio.CancelScope | None = None
        self._hold: Timer | None = None
        self._sending = False
        #: the reader task is handling a read: what it queues, it writes itself
        self._reading = False
        self.closed = anyio.Event()

    # ------------------------------------------------------------------ API
    def write(self, data: bytes) -> None:
        """Queue ``data`` for the writer (or for the reader, which writes what its own
        messages produced as soon as it has handled them)."""
        out = self._out
        out.append(data)
        if len(out) == 1 and not self._reading:
            self._wake.set()

    def kick(self) -> None:
        """Wake the writer (a delay ended, a fault changed)."""
        self._wake.set()

    def close(self, reason: str) -> None:
        """Close after writing what is queued."""
        if not self.closing:
            self.closing = True
            self.close_reason = reason
            log.info("closing connection from %s: %s", self.peer, reason)
        self._wake.set()

    async def flush_now(self) -> None:
        """Write what is queued from the caller's task (at shutdown, when the writer
        task may already be cancelled); a closed socket is not an error here."""
        if not self._out:
            return
        chunk = self._out
        self._out = []
        if self.session is not None:
            self.session.out.persist()
        self.protocol.context.store.flush()
        with contextlib.suppress(*_CLOSE_ERRORS):
            await self.stream.send(b"".join(chunk))

    @property
    def is_closing(self) -> bool:
        return self.closing

    # ------------------------------------------------------------------ tasks
    async def run(self) -> None:
        """Serve the connection until either side closes it."""
        clock = self.protocol.context.clock
        timeout = int(self.protocol.params.logon_timeout * 1_000_000_000)
        logon_timer = clock.call_later(timeout, self._no_logon)
        try:
            async with anyio.create_task_group() as tg:
                self._scope = tg.cancel_scope
                tg.start_soon(self._writer)
                await self._read()
                tg.cancel_scope.cancel()
        finally:
            logon_timer.cancel()
            if self._hold is not None:
                self._hold.cancel()
            session = self.session
            self.session = None
            if session is not None:
                session.connection_lost(self.close_reason or "connection closed by the peer")
            self.closed.set()

    async def _read(self) -> None:
        receive = self.stream.receive
        feed = self.reader.feed
        while not self.closing:
            try:
                data = await receive(_READ_SIZE)
            except _CLOSE_ERRORS:
                if not self.closing:
                    self.close_reason = "connection closed by the peer"
                return
            self._reading = True
            try:
                for item in feed(data):
                    try:
                        self.on_frame(item)
                    except Exception:
                        log.exception(
                            "connection from %s: a message could not be handled", self.peer
                        )
                    if self.is_closing:
                        break
            finally:
                self._reading = False
            if self._out:
                if self._sending or self.is_closing:
                    self._wake.set()  # the writer is sending, or closes the connection
                    continue
                # answer from this task: saves the writer task's wake-up on the hot path
                try:
                    await self._send_out()
                except _CLOSE_ERRORS:
                    self.close_reason = "connection lost while writing"
                    return
        # closing: the writer flushes, then cancels this task group
        await anyio.sleep_forever()

    def _no_logon(self) -> None:
        if self.session is None:
            self.close(f"no Logon within {self.protocol.params.logon_timeout:g} s")

    def on_frame(self, item: bytes | Garbled) -> None:
        session = self.session
        msg: FixMessage | Garbled | None
        if isinstance(item, bytes):
            msg = session.layouts.parse(item) if session is not None else None
            if msg is None:
                msg = parse(item)
        else:
            msg = item
        if isinstance(msg, FixMessage):
            if session is None:
                accept_logon(self.protocol, self, msg)
            else:
                session.on_message(msg)
        elif session is None:
            self.close(f"garbled first message ({msg.reason})")
        else:
            session.garbled(msg)

    async def _send_out(self) -> None:
        """Persist the sequence numbers, commit the store, write the whole outbox."""
        session = self.session
        if session is not None and session.faults.hold_until_ns and self._held(session):
            return
        self._sending = True
        try:
            while self._out:
                chunk = self._out
                self._out = []
                if session is not None:
                    session.out.persist()
                self.protocol.context.store.flush()
                await self.stream.send(b"".join(chunk) if len(chunk) > 1 else chunk[0])
        finally:
            self._sending = False
            if self.closing:
                self._wake.set()  # the writer finishes the close

    async def _writer(self) -> None:
        try:
            while True:
                await self._wake.wait()
                self._wake = anyio.Event()
                if self._out and not self._sending:
                    await self._send_out()
                if self.closing and not self._out and not self._sending:
                    break
        except _CLOSE_ERRORS:
            if not self.closing:
                self.close_reason = "connection lost while writing"
        assert self._scope is not None
        self._scope.cancel()

    def _held(self, session: FixSession) -> bool:
        """A ``delay`` fault is holding the outbound stream: wake when it ends."""
        faults = session.faults
        clock = self.protocol.context.clock
        until = faults.hold_until_ns
        if clock.now_ns() >= until:
            faults.hold_until_ns = 0
            faults.active = bool(faults.drop or faults.duplicate)
            return False
        if self._hold is None or self._hold.cancelled:
            self._hold = clock.call_at(until, self.kick)
        return not self.closing
