"""Helpers for tests that talk FIX to an exsim venue.

* :func:`serving` — serve one FIX endpoint of a simulator on 127.0.0.1 inside the test's
  event loop (as the daemon does) and yield its port and :class:`~exsim_fix.FixProtocol`;
* :class:`FixClient` — a small FIX initiator built on simplefix (independent of
  exsim-fix's own codec), whose messages are stamped with the simulator's clock, so the
  session test cases read as a script::

      async with serving(sim, "fix44") as (port, protocol):
          client = await FixClient.connect(port, clock=sim.clock)
          await client.logon()
          await client.send("D", (11, "A1"), (55, "ACME"), (54, 1), (38, 100), (40, 2),
                            (44, "10.00"), (60, client.now()))
          report = await client.expect("8")
"""

from __future__ import annotations

import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator
from typing import Any

import anyio
import anyio.abc
import simplefix  # type: ignore[import-untyped]

from exsim_core import Simulator
from exsim_core.clock import Clock, WallClock
from exsim_core.net import serve_endpoint
from exsim_core.protocol import ProtocolContext
from exsim_core.store import MemoryStore, Store

from .protocol import FixProtocol
from .timefmt import format_timestamp

__all__ = ["FixClient", "field", "serving"]

Field = tuple[int, Any]


@contextlib.asynccontextmanager
async def serving(
    sim: Simulator, endpoint: str, store: Store | None = None
) -> AsyncIterator[tuple[int, FixProtocol]]:
    """Serve ``endpoint`` of ``sim``; yields ``(port, protocol)``. With a wall clock its
    timers run too (a manual clock's run when the test advances it)."""
    ep = sim.endpoint(endpoint)
    context = ProtocolContext(
        sim, sim.venue(ep.venue), store or MemoryStore(), logging.getLogger(f"exsim.{endpoint}")
    )
    protocol = FixProtocol(ep, context)
    for session in ep.sessions.values():
        protocol.session_added(session)
    async with anyio.create_task_group() as tg:
        if isinstance(sim.clock, WallClock):
            tg.start_soon(sim.clock.run)
        port: int = await tg.start(serve_endpoint, protocol)
        try:
            yield port, protocol
        finally:
            tg.cancel_scope.cancel()


class FixClient:
    """A FIX initiator for tests (one connection).

    :param begin_string: the BeginString it sends.
    :param sender: its SenderCompID; ``target``: its TargetCompID.
    :param clock: where SendingTime comes from (the simulator's clock).
    """

    def __init__(
        self,
        stream: anyio.abc.ByteStream,
        begin_string: str = "FIX.4.4",
        sender: str = "CLIENT",
        target: str = "EXSIM",
        clock: Clock | None = None,
    ) -> None:
        self.stream = stream
        self.begin_string = begin_string
        self.sender = sender
        self.target = target
        self.clock = clock or WallClock()
        self.seq = 1
        self.parser = simplefix.FixParser()
        self.inbox: deque[simplefix.FixMessage] = deque()
        self.received: list[simplefix.FixMessage] = []

    @classmethod
    async def connect(cls, port: int, **kwargs: Any) -> FixClient:
        stream = await anyio.connect_tcp("127.0.0.1", port)
        return cls(stream, **kwargs)

    async def close(self) -> None:
        await self.stream.aclose()

    def now(self, offset_s: float = 0.0) -> str:
        """SendingTime-style timestamp of the clock, moved by ``offset_s``."""
        return format_timestamp(self.clock.now_ns() + int(offset_s * 1e9)).decode()

    # ------------------------------------------------------------------ sending
    def build(
        self,
        msg_type: str,
        *fields: Field,
        seq: int | None = None,
        header: tuple[Field, ...] = (),
        sender: str | None = None,
        target: str | None = None,
        sending_time: str | None = None,
        begin_string: str | None = None,
    ) -> bytes:
        """Encode a message (simplefix); ``seq`` None takes (and advances) the next."""
        if seq is None:
            seq = self.seq
            self.seq += 1
        msg = simplefix.FixMessage()
        msg.append_pair(8, begin_string or self.begin_string)
        msg.append_pair(35, msg_type)
        msg.append_pair(34, seq)
        msg.append_pair(49, sender if sender is not None else self.sender)
        msg.append_pair(52, sending_time or self.now())
        msg.append_pair(56, target if target is not None else self.target)
        for tag, value in header:
            msg.append_pair(tag, value)
        for tag, value in fields:
            msg.append_pair(tag, value)
        return bytes(msg.encode())

    async def send(self, msg_type: str, *fields: Field, **kwargs: Any) -> None:
        await self.stream.send(self.build(msg_type, *fields, **kwargs))

    async def send_raw(self, data: bytes) -> None:
        await self.stream.send(data)

    async def logon(
        self,
        heartbeat: int = 30,
        *fields: Field,
        reset: bool = False,
        expect: bool = True,
        timeout: float = 5.0,
        **kwargs: Any,
    ) -> simplefix.FixMessage | None:
        """Send a Logon; unless ``expect`` is False, wait for the answer and return it."""
        extra: list[Field] = [(98, 0), (108, heartbeat)]
        if reset:
            extra.append((141, "Y"))
        if self.begin_string == "FIXT.1.1" and not any(t == 1137 for t, _ in fields):
            extra.append((1137, 9))
        await self.send("A", *extra, *fields, **kwargs)
        return await self.expect("A", timeout) if expect else None

    def order_fields(
        self,
        cl_ord_id: str,
        side: int = 1,
        qty: Any = 100,
        price: Any = "10.00",
        symbol: str = "ACME",
        ord_type: str = "2",
        *extra: Field,
    ) -> tuple[Field, ...]:
        """The fields of a NewOrderSingle (HandlInst where the version requires it)."""
        fields: list[Field] = [(11, cl_ord_id)]
        if self.begin_string in ("FIX.4.0", "FIX.4.1", "FIX.4.2"):
            fields.append((21, 1))
        fields += [(55, symbol), (54, side), (38, qty), (40, ord_type)]
        if price is not None:
            fields.append((44, price))
        if self.begin_string not in ("FIX.4.0", "FIX.4.1"):
            fields.append((60, self.now()))
        return (*fields, *extra)

    async def new_order(self, cl_ord_id: str, *args: Any, **kwargs: Any) -> None:
        """Send a NewOrderSingle (see :meth:`order_fields`)."""
        header = kwargs.pop("header", ())
        await self.send("D", *self.order_fields(cl_ord_id, *args, **kwargs), header=header)

    # ------------------------------------------------------------------ receiving
    async def receive(self, timeout: float = 5.0) -> simplefix.FixMessage:
        """The next message (TimeoutError when none comes in time, EOFError when the
        venue closes the connection)."""
        with anyio.fail_after(timeout):
            while not self.inbox:
                try:
                    data = await self.stream.receive()
                except (anyio.EndOfStream, anyio.BrokenResourceError) as exc:
                    raise EOFError("the venue closed the connection") from exc
                self.parser.append_buffer(data)
                while (msg := self.parser.get_message()) is not None:
                    self.inbox.append(msg)
                    self.received.append(msg)
        return self.inbox.popleft()

    async def expect(self, msg_type: str, timeout: float = 5.0) -> simplefix.FixMessage:
        """The next message, which must be of ``msg_type``."""
        msg = await self.receive(timeout)
        got = msg.get(35)
        assert got == msg_type.encode(), f"expected MsgType {msg_type}, got {_show(msg)}"
        return msg

    async def expect_closed(self, timeout: float = 5.0) -> None:
        """The venue closes the connection without sending anything more."""
        try:
            msg = await self.receive(timeout)
        except EOFError:
            return
        raise AssertionError(f"expected the connection to close, got {_show(msg)}")

    async def expect_silence(self, seconds: float = 0.2) -> None:
        """Nothing arrives for ``seconds`` (wall time)."""
        with anyio.move_on_after(seconds):
            msg = await self.receive(seconds + 1)
            raise AssertionError(f"expected nothing, got {_show(msg)}")


def _show(msg: simplefix.FixMessage) -> str:
    return bytes(msg.encode(raw=True)).replace(b"\x01", b"|").decode("latin-1")


def field(msg: simplefix.FixMessage, tag: int) -> str | None:
    """The value of ``tag`` in ``msg`` as text (None if absent)."""
    value = msg.get(tag)
    return None if value is None else bytes(value).decode("latin-1")
