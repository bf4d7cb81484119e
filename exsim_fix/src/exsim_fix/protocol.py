"""The ``fix`` protocol: what the daemon creates for every FIX endpoint."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import anyio
import anyio.abc

from exsim_core import Protocol
from exsim_core.protocol import ProtocolContext

from .config import FaultSpec, FixEndpointParams, FixSessionParams
from .connection import Connection
from .errors import FixConfigError
from .feed import VenueFeed
from .session import FixSession

if TYPE_CHECKING:
    from exsim_core import Endpoint, Session

__all__ = ["FixProtocol"]


class FixProtocol(Protocol):
    """FIX 4.0-4.4 and FIXT.1.1 (FIX 5.0 SP2) acceptor.

    Sessions are identified on Logon by their CompIDs (see
    :mod:`exsim_fix.config`); each keeps its sequence numbers and sent messages in the
    daemon's store.
    """

    name: ClassVar[str] = "fix"
    description: ClassVar[str] = (
        "FIX 4.0-4.4 and FIXT.1.1/5.0SP2 acceptor: order entry, drop copy, market data"
    )
    transport: ClassVar[str] = "tcp"
    Params: ClassVar[type[FixEndpointParams]] = FixEndpointParams
    SessionParams: ClassVar[type[FixSessionParams]] = FixSessionParams
    identity_fields: ClassVar[tuple[str, ...]] = ("sender_comp_id", "target_comp_id")

    params: FixEndpointParams

    def __init__(self, endpoint: Endpoint, context: ProtocolContext) -> None:
        super().__init__(endpoint, context)
        self.sessions: dict[str, FixSession] = {}
        #: (client SenderCompID, client TargetCompID) -> session
        self.by_comp_ids: dict[tuple[bytes, bytes], FixSession] = {}
        self.connections: set[Connection] = set()
        self.feed = VenueFeed.of(context.venue, context.store)

    def session_added(self, session: Session) -> None:
        super().session_added(session)
        fix = FixSession(self, session)
        key = (fix.their_comp_id.encode(), fix.our_comp_id.encode())
        if key in self.by_comp_ids:
            other = self.by_comp_ids[key].id
            raise FixConfigError(
                f"sessions {other!r} and {session.id!r} on endpoint {self.endpoint.name!r} have "
                f"the same CompIDs {fix.their_comp_id}->{fix.our_comp_id}; give one other CompIDs"
            )
        self.sessions[session.id] = fix
        self.by_comp_ids[key] = fix
        self.feed.add(fix)

    async def serve(self, stream: anyio.abc.ByteStream, peer: str) -> None:
        conn = Connection(self, stream, peer)
        self.connections.add(conn)
        try:
            await conn.run()
        finally:
            self.connections.discard(conn)

    async def shutdown(self) -> None:
        """Log every session out (waiting at most its logout timeout for the answers)."""
        timeout = 0.0
        for fix in self.sessions.values():
            if fix.logged_on:
                fix.logout("the venue is shutting down")
                timeout = max(timeout, fix.params.logout_timeout)
        # the connections' own tasks may be cancelled with the endpoint: write directly
        for conn in list(self.connections):
            await conn.flush_now()
        with anyio.move_on_after(timeout):
            for conn in list(self.connections):
                await conn.closed.wait()
        for fix in self.sessions.values():
            fix.out.persist()
        self.context.store.flush()
        for fix in self.sessions.values():
            self.feed.remove(fix)

    def inject_fault(self, session: Session, fault: str, params: dict[str, Any]) -> None:
        """Inject ``fault`` (see :class:`~exsim_fix.config.FaultSpec`) into ``session``."""
        fix = self.sessions.get(session.id)
        if fix is None:
            raise FixConfigError(
                f"session {session.id!r} is not on FIX endpoint {self.endpoint.name!r}"
            )
        spec = FaultSpec.model_validate({"kind": fault, **params})
        fix.inject(spec)

    def session(self, session_id: str) -> FixSession:
        """The FIX state of a session of this endpoint."""
        try:
            return self.sessions[session_id]
        except KeyError:
            raise FixConfigError(
                f"no session {session_id!r} on FIX endpoint {self.endpoint.name!r}; sessions: "
                f"{', '.join(sorted(self.sessions)) or 'none'}"
            ) from None
