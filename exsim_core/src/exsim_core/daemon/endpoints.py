"""What the daemon adds around a protocol: a context that binds the session to log
lines, and streams that commit the journal before any byte leaves."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import anyio.abc

from exsim_core.protocol import Protocol, ProtocolContext
from exsim_core.session import Session

from .logs import bind

__all__ = ["DaemonProtocolContext", "FlushingStream", "flushing"]


@dataclass
class DaemonProtocolContext(ProtocolContext):
    """The protocol context of a served endpoint: once a session logs on, every log
    line of its connection carries ``session``; :meth:`commit` commits the journal
    with the store (``before_send``: the daemon's flush)."""

    before_send: Callable[[], None] | None = None

    def commit(self) -> None:
        if self.before_send is not None:
            self.before_send()
        else:
            super().commit()

    def session_started(self, session: Session) -> None:
        bind(session=session.id)
        super().session_started(session)
        self.log.info("session %s logged on from %s", session.id, session.peer or "?")

    def session_ended(self, session: Session, reason: str) -> None:
        super().session_ended(session, reason)
        self.log.info("session %s ended: %s", session.id, reason)


class FlushingStream(anyio.abc.ByteStream):
    """A byte stream that runs ``before_send`` before every send: the journal (and the
    store) are committed before a client can read anything that depends on them."""

    def __init__(self, stream: anyio.abc.ByteStream, before_send: Callable[[], None]) -> None:
        self._stream = stream
        self._before_send = before_send

    async def receive(self, max_bytes: int = 65536) -> bytes:
        return await self._stream.receive(max_bytes)

    async def send(self, item: bytes) -> None:
        self._before_send()
        await self._stream.send(item)

    async def send_eof(self) -> None:
        await self._stream.send_eof()

    async def aclose(self) -> None:
        await self._stream.aclose()

    @property
    def extra_attributes(self) -> Mapping[Any, Callable[[], Any]]:
        return self._stream.extra_attributes


def flushing(protocol: Protocol, before_send: Callable[[], None]) -> None:
    """Make every connection ``protocol`` serves use a :class:`FlushingStream`."""
    serve = protocol.serve

    async def serve_flushing(stream: anyio.abc.ByteStream, peer: str) -> None:
        await serve(FlushingStream(stream, before_send), peer)

    protocol.serve = serve_flushing  # type: ignore[method-assign]
