"""Endpoints and sessions, independent of any wire protocol.

An :class:`Endpoint` is a network listener of one venue that speaks one protocol; a
:class:`Session` is one identity configured on an endpoint (a FIX CompID pair, a
SoupBinTCP username) that a client logs on as. Protocol plugins translate between the
wire and the venue's commands and events; these classes are what they share with the
rest of exsim.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Endpoint", "LogonRequest", "Session"]


@dataclass(eq=False)
class Session:
    """One configured identity on an endpoint.

    :ivar id: unique name of the session in the simulator (orders carry it).
    :ivar endpoint: name of the endpoint it belongs to.
    :ivar venue: name of the venue it trades at.
    :ivar identity: protocol-specific identity fields (e.g. ``sender_comp_id``).
    :ivar password: the password it must present, or None for none.
    :ivar role: ``order_entry``, ``drop_copy`` or ``market_data``.
    :ivar params: protocol-specific settings.
    """

    id: str
    endpoint: str
    venue: str
    identity: dict[str, str] = field(default_factory=dict)
    password: str | None = None
    role: str = "order_entry"
    params: dict[str, Any] = field(default_factory=dict)
    connected: bool = False
    logged_on_ns: int | None = None
    peer: str | None = None

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "endpoint": self.endpoint,
            "venue": self.venue,
            "identity": dict(self.identity),
            "role": self.role,
            "params": dict(self.params),
            "connected": self.connected,
            "logged_on_ns": self.logged_on_ns,
            "peer": self.peer,
        }


@dataclass(eq=False)
class Endpoint:
    """A listener of one venue speaking one protocol.

    :ivar name: unique name in the simulator.
    :ivar protocol: registered name of the protocol.
    :ivar venue: name of the venue.
    :ivar host: address to bind (127.0.0.1 unless told otherwise).
    :ivar port: port to bind (0: any free port; the bound port replaces it).
    :ivar params: protocol-specific settings of the endpoint.
    """

    name: str
    protocol: str
    venue: str
    host: str = "127.0.0.1"
    port: int = 0
    params: dict[str, Any] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "protocol": self.protocol,
            "venue": self.venue,
            "host": self.host,
            "port": self.port,
            "params": dict(self.params),
            "sessions": sorted(self.sessions),
        }


@dataclass(frozen=True)
class LogonRequest:
    """What a peer presented when logging on."""

    identity: dict[str, str]
    password: str | None = None
    peer: str | None = None
