"""Wire protocols: how an endpoint turns bytes into commands and events into bytes.

A protocol is a plugin: a subclass of :class:`Protocol` registered by name through the
``exsim_register_protocols`` hook. The daemon creates one instance per endpoint; for a
``tcp`` protocol it listens on the endpoint's address and hands every accepted
connection to :meth:`Protocol.serve`. Protocols translate; they never match.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    import anyio.abc

    from .clock import Clock
    from .session import Endpoint, LogonRequest, Session
    from .sim import Simulator
    from .store import Store
    from .venue import Venue

__all__ = ["Protocol", "ProtocolContext", "ProtocolParams", "SessionParams"]


@dataclass
class ProtocolContext:
    """What the daemon gives a protocol: its venue, the clock, the store, the hooks.

    :ivar simulator: the simulator (for other venues, bots, configuration).
    :ivar venue: the venue of the endpoint.
    :ivar store: where sequence numbers and sent messages persist.
    :ivar log: a stdlib logger for this endpoint.
    """

    simulator: Simulator
    venue: Venue
    store: Store
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("exsim.protocol"))

    @property
    def clock(self) -> Clock:
        return self.simulator.clock

    def logon_decision(self, session: Session, request: LogonRequest) -> bool | str | None:
        """Ask the ``exsim_session_logon`` hooks (None: no plugin decided)."""
        result: bool | str | None = self.simulator.host.hook.exsim_session_logon(
            session=session, request=request
        )
        return result

    def session_started(self, session: Session) -> None:
        session.connected = True
        session.logged_on_ns = self.clock.now_ns()
        self.simulator.host.hook.exsim_session_started(session=session)

    def session_ended(self, session: Session, reason: str) -> None:
        session.connected = False
        self.simulator.host.hook.exsim_session_ended(session=session, reason=reason)

    def commit(self) -> None:
        """Commit everything recorded so far: the store, and in a daemon its journal.

        The connections a daemon serves commit before every write by themselves; a
        protocol that sends by other means (a UDP feed from :meth:`Protocol.run`) calls
        this before each send, so that nothing it publishes can be lost to a crash."""
        self.store.flush()


class ProtocolParams(BaseModel):
    """Base of a protocol's endpoint settings; unknown keys are an error."""

    # validated only when one is configured: deferring the schema keeps start-up free
    # of the cost of every installed kind's parameters
    model_config = ConfigDict(extra="forbid", defer_build=True)


class SessionParams(BaseModel):
    """Base of a protocol's per-session settings; unknown keys are an error."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


class Protocol:
    """Base class of wire protocols.

    :cvar name: the short name endpoints are configured with.
    :cvar transport: ``tcp`` (the daemon listens and calls :meth:`serve` per connection)
        or ``none`` (the protocol does its own I/O in :meth:`run`, e.g. a UDP feed).
    :cvar Params: model of the endpoint's settings.
    :cvar SessionParams: model of each session's settings.
    :cvar identity_fields: the session identity fields this protocol uses.
    :param endpoint: the endpoint served.
    :param context: the daemon's services (venue, clock, store, hooks, logger).

    Every accepted connection runs :meth:`serve` in its own task; an exception there
    closes that connection only. Sessions configured on the endpoint are in
    ``endpoint.sessions`` (by session id).
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    transport: ClassVar[str] = "tcp"
    Params: ClassVar[type[ProtocolParams]] = ProtocolParams
    SessionParams: ClassVar[type[SessionParams]] = SessionParams
    identity_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, endpoint: Endpoint, context: ProtocolContext) -> None:
        self.endpoint = endpoint
        self.context = context
        self.params = self.Params.model_validate(endpoint.params)

    async def run(self, task_status: anyio.abc.TaskStatus[Any]) -> None:
        """Endpoint-wide work (timers, a UDP feed). Call ``task_status.started()`` once
        ready; return or get cancelled at shutdown. The default has nothing to do."""
        task_status.started()

    async def serve(self, stream: anyio.abc.ByteStream, peer: str) -> None:
        """Serve one connection until it closes. Errors end this connection only."""
        raise NotImplementedError(f"protocol {self.name} does not accept connections")

    async def shutdown(self) -> None:
        """The daemon is stopping: log sessions out where the protocol allows."""

    def session_added(self, session: Session) -> None:
        """A session was configured on this endpoint (validate its params here)."""
        session.params = self.SessionParams.model_validate(session.params).model_dump()

    def inject_fault(self, session: Session, fault: str, params: dict[str, Any]) -> None:
        """Fault injection through the management API (protocols that support it)."""
        raise ValueError(f"protocol {self.name} supports no fault injection")
