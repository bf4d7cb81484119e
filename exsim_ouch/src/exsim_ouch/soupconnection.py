"""One SoupBinTCP client connection of a :class:`~exsim_ouch.soupserver.SoupEndpoint`:
login, the session rules, timers and batched output (see :mod:`exsim_ouch.soupserver`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import anyio

from exsim_core import LogonRequest

from . import soup
from .errors import FramingError

if TYPE_CHECKING:
    import anyio.abc

    from exsim_core import Session
    from exsim_core.clock import Timer

    from .seqlog import SequencedLog
    from .soupserver import SoupEndpoint

__all__ = ["SoupConnection"]

log = logging.getLogger("exsim.ouch.soup")

NS_PER_MS = 1_000_000
#: output held for a slow client before it is served from the log instead
OUT_LIMIT = 1 << 20
READ_SIZE = 1 << 16
REPLAY_CHUNK = 1024
_HEARTBEAT = b"\x00\x01H"
_END_OF_SESSION = b"\x00\x01Z"
_sequenced = soup.sequenced
_header = soup.HEADER.pack
_UNSEQUENCED_DATA = soup.UNSEQUENCED_DATA
_SEQUENCED_DATA = soup.SEQUENCED_DATA


class SoupConnection:
    """One client connection of a :class:`SoupEndpoint`."""

    def __init__(self, endpoint: SoupEndpoint, stream: anyio.abc.ByteStream, peer: str) -> None:
        self.ep = endpoint
        self.stream = stream
        self.peer = peer
        self.clock = endpoint.clock
        self.session: Session | None = None
        self.log: SequencedLog | None = None
        #: number of the next sequenced message this connection sends
        self.next_seq = 0
        self.closing: str | None = None
        params: Any = endpoint.params
        self.heartbeat_ns = params.heartbeat_interval_ms * NS_PER_MS
        self.timeout_ns = params.client_timeout_ms * NS_PER_MS
        self._now = self.clock.reader()
        now = self._now()
        self.last_sent = now
        self.last_recv = now
        self._out = bytearray()
        self._reading = False
        self._sent_end = False
        self._wake = anyio.Event()
        # a free lock is taken without a trip through the event loop: the reader
        # flushes after every read, and the writer rarely competes
        self._lock = anyio.Lock(fast_acquire=True)
        self._scope: anyio.CancelScope | None = None
        self._timers: list[Timer | None] = [None, None]
        self._farewell_done: anyio.Event | None = None

    # ------------------------------------------------------------------ life cycle
    async def run(self) -> None:
        """Serve the connection until it closes. Cancelled from outside (the endpoint
        is stopping), it first sends what is due (see :meth:`_farewell`)."""
        self.ep._open.add(self)
        self._timers[1] = self.clock.call_at(self.last_recv + self.timeout_ns, self._check_idle)
        try:
            async with anyio.create_task_group() as tg:
                self._scope = tg.cancel_scope
                tg.start_soon(self._writer)
                await self._reader()
                with anyio.move_on_after(2):
                    await self.flush()
                tg.cancel_scope.cancel()
        except anyio.get_cancelled_exc_class():
            with anyio.CancelScope(shield=True), anyio.move_on_after(2):
                await self._farewell()
            raise
        finally:
            self._cleanup()

    async def close(self, reason: str) -> None:
        """Close from outside (the endpoint is stopping), after the farewell."""
        if self.closing is None:
            self.closing = reason
        await self._farewell()
        if self._scope is not None:
            self._scope.cancel()

    async def _farewell(self) -> None:
        """Send what the client is due before the connection goes: the messages not
        sent yet and, when the session has ended, End of Session. Runs once."""
        done = self._farewell_done
        if done is not None:
            with anyio.move_on_after(2):
                await done.wait()
            return
        done = self._farewell_done = anyio.Event()
        try:
            self.ep.on_stop()
            await self._catch_up()
            await self.flush()
        except Exception:
            log.exception("farewell to %s failed", self.peer)
        finally:
            done.set()

    def _cleanup(self) -> None:
        for timer in self._timers:
            if timer is not None:
                timer.cancel()
        ep = self.ep
        ep._open.discard(self)
        reason = self.closing or "the connection was closed"
        if self.log is not None and self in self.log.followers:
            self.log.followers.remove(self)
        session = self.session
        if session is None:
            return
        conns = ep.connections.get(session.id, [])
        if self in conns:
            conns.remove(self)
        try:
            ep.on_logout(session, self, reason)
        except Exception:
            log.exception("logout handling of session %s failed", session.id)
        if not conns:
            session.peer = None
            ep.context.session_ended(session, reason)
        ep.log.info("session %s (%s) ended: %s", session.id, self.peer, reason)

    def _fail(self, reason: str) -> None:
        """A protocol violation: say so in a Debug packet, log it, close."""
        who = self.session.id if self.session is not None else "not logged in"
        self.ep.log.warning(
            "closing SoupBinTCP connection from %s (%s): %s", self.peer, who, reason
        )
        self._out += soup.debug(f"exsim: {reason}; closing the connection")
        self.closing = reason

    # ------------------------------------------------------------------ input
    async def _reader(self) -> None:
        reader = soup.PacketReader(self.ep.params.max_packet_length)  # type: ignore[attr-defined]
        receive = self.stream.receive
        while self.closing is None:
            try:
                data = await receive(READ_SIZE)
            except (anyio.EndOfStream, anyio.BrokenResourceError, anyio.ClosedResourceError):
                self.closing = "the client closed the connection"
                return
            except OSError as exc:
                self.closing = f"connection error: {exc}"
                return
            self.last_recv = self.clock.now_ns()
            try:
                packets = reader.feed(data)
            except FramingError as exc:
                self._fail(str(exc))
                return
            self._reading = True
            try:
                self._process(packets)
            finally:
                self._reading = False
            await self.flush()

    def _process(self, packets: list[tuple[int, bytes]]) -> None:
        """Act on the packets of one read, until the connection is closing. Unsequenced
        Data, nearly all of them once logged in, goes straight to the endpoint's handler
        of the session."""
        on_data: Callable[[bytes], None] | None = None
        for ptype, payload in packets:
            if ptype == _UNSEQUENCED_DATA and self.session is not None:
                try:
                    if on_data is None:
                        on_data = self.ep.message_handler(self.session, self)
                    on_data(payload)
                except Exception:
                    self._internal_error(payload)
            else:
                self._dispatch(ptype, payload)
            if self.closing is not None:
                return

    def _internal_error(self, payload: bytes) -> None:
        assert self.session is not None
        self.ep.log.exception(
            "session %s: processing a message failed: %s", self.session.id, payload.hex()
        )
        self.send_debug("exsim: internal error processing this message; it was ignored")

    def _dispatch(self, ptype: int, payload: bytes) -> None:
        session = self.session
        if session is None:
            if ptype == soup.LOGIN_REQUEST:
                self._login(payload)
            elif ptype != soup.DEBUG:
                self._fail(
                    f"packet type {_name(ptype)} before login; log in first "
                    "(Login Request, type 'L')"
                )
            return
        if ptype == soup.UNSEQUENCED_DATA:
            try:
                self.ep.on_message(session, self, payload)
            except Exception:
                self._internal_error(payload)
        elif ptype == soup.CLIENT_HEARTBEAT or ptype == soup.DEBUG:
            return
        elif ptype == soup.LOGOUT_REQUEST:
            self.closing = "the client logged out"
        elif ptype == soup.LOGIN_REQUEST:
            self._fail("a second Login Request on a logged-in connection")
        else:
            self._fail(f"unknown packet type {_name(ptype)} from a client")

    def _login(self, payload: bytes) -> None:
        try:
            req = soup.parse_login(payload)
        except FramingError as exc:
            self._fail(str(exc))
            return
        ep = self.ep
        session = ep.user(req.username)
        allowed = session is not None
        if session is not None:
            decision = ep.context.logon_decision(
                session, LogonRequest({"username": req.username}, req.password, self.peer)
            )
            if decision is None:
                expected = session.password
                allowed = expected is None or req.password.upper() == expected.upper()
            else:
                allowed = decision is True
        if session is None or not allowed:
            self._refuse(soup.REJECT_NOT_AUTHORIZED, f"login as {req.username!r} not authorized")
            return
        lg = ep.log_for(session, req.session)
        if lg is None:
            self._refuse(
                soup.REJECT_SESSION_UNAVAILABLE,
                f"requested session {req.session!r} is not available",
            )
            return
        conns = ep.connections.setdefault(session.id, [])
        if ep.max_connections is not None and len(conns) >= ep.max_connections:
            self._refuse(
                soup.REJECT_SESSION_UNAVAILABLE,
                f"session {session.id!r} is already logged in from {conns[0].peer}",
            )
            return
        first = lg.last + 1
        self.next_seq = first if req.sequence == 0 else min(req.sequence, first)
        if req.heartbeat_timeout_ms:
            self.timeout_ns = req.heartbeat_timeout_ms * NS_PER_MS
            idle = self._timers[1]
            if idle is not None:
                idle.cancel()
            self._timers[1] = self.clock.call_at(self.last_recv + self.timeout_ns, self._check_idle)
        self.session = session
        self.log = lg
        conns.append(self)
        self._out += soup.login_accepted(lg.name, self.next_seq)
        self.last_sent = self.clock.now_ns()
        lg.followers.append(self)
        session.peer = self.peer
        if len(conns) == 1:
            ep.context.session_started(session)
        ep.log.info(
            "session %s logged in from %s: SoupBinTCP session %s, next message %d",
            session.id,
            self.peer,
            lg.name,
            self.next_seq,
        )
        ep.on_login(session, self)
        self._timers[0] = self.clock.call_at(self.last_sent + self.heartbeat_ns, self._heartbeat)
        self.wake()

    def _refuse(self, code: bytes, reason: str) -> None:
        self.ep.log.warning("login from %s refused: %s", self.peer, reason)
        self._out += soup.login_rejected(code)
        self.closing = reason

    # ------------------------------------------------------------------ output
    def deliver(self, seq: int, payload: bytes) -> None:
        """The log gained message ``seq`` (see :class:`~exsim_ouch.seqlog.Follower`)."""
        out = self._out
        if seq == self.next_seq and len(out) < OUT_LIMIT:
            out += _header(len(payload) + 1, _SEQUENCED_DATA)
            out += payload
            self.next_seq = seq + 1
            self.last_sent = self._now()
        if not self._reading and not self._wake.is_set():
            self._wake.set()

    def wake(self) -> None:
        if not self._wake.is_set():
            self._wake.set()

    def send_debug(self, text: str) -> None:
        """Queue a Debug packet (not sequenced; clients ignore it, people read it)."""
        self._out += soup.debug(text)
        self.wake()

    async def _writer(self) -> None:
        while True:
            await self._wake.wait()
            self._wake = anyio.Event()
            await self._catch_up()
            await self.flush()

    async def _catch_up(self) -> None:
        lg = self.log
        if lg is None:
            return
        while self.next_seq <= lg.last:
            batch = lg.read(self.next_seq, REPLAY_CHUNK)
            if not batch:
                self.ep.log.error(
                    "SoupBinTCP session %s: message %d is missing from the store",
                    lg.name,
                    self.next_seq,
                )
                self.closing = "the server lost messages"
                if self._scope is not None:
                    self._scope.cancel()
                return
            out = self._out
            for payload in batch:
                out += _sequenced(payload)
            self.next_seq += len(batch)
            self.last_sent = self.clock.now_ns()
            await self.flush()
        if lg.ended and not self._sent_end:
            self._sent_end = True
            self._out += _END_OF_SESSION

    async def flush(self) -> None:
        """Write everything queued (after committing the store, and in a daemon the
        journal with it: one commit)."""
        if not self._out:
            return
        async with self._lock:
            if not self._out:
                return
            data = bytes(self._out)
            self._out.clear()
            self.ep.context.commit()
            try:
                await self.stream.send(data)
            except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError) as exc:
                if self.closing is None:
                    self.closing = f"sending failed: {exc}"
                if self._scope is not None:
                    self._scope.cancel()

    # ------------------------------------------------------------------ timers
    def _heartbeat(self) -> None:
        self._timers[0] = None
        if self.closing is not None:
            return
        now = self.clock.now_ns()
        due = self.last_sent + self.heartbeat_ns
        if now >= due:
            self._out += _HEARTBEAT
            self.last_sent = now
            self.wake()
            due = now + self.heartbeat_ns
        self._timers[0] = self.clock.call_at(due, self._heartbeat)

    def _check_idle(self) -> None:
        self._timers[1] = None
        if self.closing is not None:
            return
        now = self.clock.now_ns()
        due = self.last_recv + self.timeout_ns
        if now >= due:
            self.closing = f"nothing received from the client for {self.timeout_ns // NS_PER_MS} ms"
            self.ep.log.warning("closing connection from %s: %s", self.peer, self.closing)
            if self._scope is not None:
                self._scope.cancel()
            return
        self._timers[1] = self.clock.call_at(due, self._check_idle)


def _name(ptype: int) -> str:
    char = chr(ptype)
    return f"{char!r} ({ptype:#04x})" if char.isprintable() else f"{ptype:#04x}"
