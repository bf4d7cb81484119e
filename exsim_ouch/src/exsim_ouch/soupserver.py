"""SoupBinTCP server: the endpoint base class, and one connection's session rules.

:class:`SoupEndpoint` is the :class:`~exsim_core.Protocol` that OUCH and ITCH endpoints
subclass: it owns the configured logins (identity field ``username``, at most 6
characters) and serves each accepted connection with a :class:`SoupConnection`. A
subclass says which :class:`~exsim_ouch.seqlog.SequencedLog` a login reads
(:meth:`SoupEndpoint.log_for`) and what to do with the client's Unsequenced Data
(:meth:`SoupEndpoint.on_message`).

Session rules (PROTOCOLS.md 1.6): a bad username or password gets Login Rejected 'A'; an
unknown requested session, or a login that is already connected, gets 'S'; both close
the socket. Requested sequence number 0 starts after the last message sent so far; a
number past the end is clamped to the end (Login Accepted says where replay starts).
Anything but a Login Request (or Debug) before login, an unknown packet type, a
malformed login, a packet of length 0 or longer than ``max_packet_length``: a Debug
packet saying what was wrong, a logged disconnect. The server sends a heartbeat after
``heartbeat_interval_ms`` without output and closes a connection that has sent nothing
for ``client_timeout_ms`` (or the timeout a SoupBinTCP 4.10 login states); both timers
run on the venue clock.

Output is batched: everything produced while one read is processed goes out in one
write, after the store is flushed (nothing reaches a client before it is persisted).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from pydantic import Field

from exsim_core import ConfigError, Protocol, ProtocolParams

from .soupconnection import SoupConnection

if TYPE_CHECKING:
    import anyio.abc

    from exsim_core import Session
    from exsim_core.protocol import ProtocolContext
    from exsim_core.session import Endpoint

    from .seqlog import SequencedLog

__all__ = ["SoupEndpoint", "SoupParams"]


class SoupParams(ProtocolParams):
    """Settings of a SoupBinTCP endpoint."""

    heartbeat_interval_ms: int = Field(
        1000, gt=0, le=60_000, description="Send a heartbeat after this long without output."
    )
    client_timeout_ms: int = Field(
        15_000,
        gt=0,
        le=3_600_000,
        description="Close a connection that has sent nothing for this long.",
    )
    max_packet_length: int = Field(
        1024, ge=64, le=65535, description="Longest packet accepted from a client."
    )


class SoupEndpoint(Protocol):
    """Base of SoupBinTCP endpoints (see the module documentation).

    :cvar max_connections: how many connections one login may have at once (None: no
        limit).
    """

    identity_fields = ("username",)
    Params = SoupParams
    max_connections: ClassVar[int | None] = 1

    def __init__(self, endpoint: Endpoint, context: ProtocolContext) -> None:
        super().__init__(endpoint, context)
        self.clock = context.clock
        self.store = context.store
        self.log = context.log
        self._users: dict[str, Session] = {}
        #: open connections by session id
        self.connections: dict[str, list[SoupConnection]] = {}
        self._open: set[SoupConnection] = set()

    # ------------------------------------------------------------------ configuration
    def session_added(self, session: Session) -> None:
        super().session_added(session)
        username = session.identity.get("username", "")
        if not (0 < len(username) <= 6 and username.isascii() and username.isprintable()):
            raise ConfigError(
                f"session {session.id!r}: SoupBinTCP usernames are 1 to 6 printable ASCII "
                f"characters, got {username!r}"
            )
        password = session.password
        if password is not None and not (len(password) <= 10 and password.isascii()):
            raise ConfigError(
                f"session {session.id!r}: SoupBinTCP passwords are at most 10 ASCII characters"
            )
        key = username.strip().upper()
        other = self._users.get(key)
        if other is not None and other is not session:
            raise ConfigError(
                f"session {session.id!r}: username {username!r} is already used by session "
                f"{other.id!r} on endpoint {self.endpoint.name!r}"
            )
        self._users[key] = session

    def user(self, username: str) -> Session | None:
        """The session configured for ``username`` (case-insensitive)."""
        return self._users.get(username.upper())

    # ------------------------------------------------------------------ subclass API
    def log_for(self, session: Session, requested: str) -> SequencedLog | None:
        """The log a login of ``session`` reads: the current one when ``requested`` is
        blank or names it, an earlier one it names, or None (not available)."""
        raise NotImplementedError

    def on_message(self, session: Session, conn: SoupConnection, payload: bytes) -> None:
        """Unsequenced Data from a logged-in client. Never raises for bad input."""
        conn.send_debug("this endpoint takes no messages from clients; ignored")

    def message_handler(self, session: Session, conn: SoupConnection) -> Callable[[bytes], None]:
        """What takes the Unsequenced Data of ``conn``, logged in as ``session``: by
        default :meth:`on_message`; a subclass may return a handler of its own that does
        the same, faster. Asked again for every read, so it may change between reads."""
        return partial(self.on_message, session, conn)

    def on_login(self, session: Session, conn: SoupConnection) -> None:
        """A connection has logged in as ``session``."""

    def on_logout(self, session: Session, conn: SoupConnection, reason: str) -> None:
        """A logged-in connection of ``session`` has closed."""

    def on_stop(self) -> None:
        """The endpoint is stopping (called before connections say farewell; may be
        called more than once)."""

    # ------------------------------------------------------------------ serving
    async def serve(self, stream: anyio.abc.ByteStream, peer: str) -> None:
        await SoupConnection(self, stream, peer).run()

    async def shutdown(self) -> None:
        self.on_stop()
        for conn in list(self._open):
            await conn.close("the endpoint is shutting down")
