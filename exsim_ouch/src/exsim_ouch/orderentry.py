"""OUCH order-entry endpoints: ``ouch42`` and ``ouch50``.

Each configured session is one SoupBinTCP login (identity ``username``) and one
:class:`~exsim_ouch.account.OuchAccount`, created when the session is added, so the
account records what happens to its orders while no client is connected. One
connection per login at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from pydantic import Field

from exsim_core import SessionParams

from .account import OuchAccount
from .entry42 import Account42
from .entry50 import Account50
from .soupconnection import SoupConnection
from .soupserver import SoupEndpoint

if TYPE_CHECKING:
    from exsim_core import Session
    from exsim_core.protocol import ProtocolContext
    from exsim_core.session import Endpoint

    from .seqlog import SequencedLog

__all__ = ["Ouch42Endpoint", "Ouch50Endpoint", "OuchEndpoint", "OuchSessionParams"]


class OuchSessionParams(SessionParams):
    """Settings of one OUCH login."""

    firm: str = Field(
        "",
        max_length=4,
        pattern=r"^[A-Z0-9 ]*$",
        description="MPID of orders that leave Firm blank.",
    )
    cancel_on_disconnect: bool = Field(
        False, description="Cancel the login's live orders when its connection closes."
    )


class OuchEndpoint(SoupEndpoint):
    """Base of the OUCH endpoints.

    :cvar Account: the account class of the OUCH version.
    """

    SessionParams = OuchSessionParams
    Account: ClassVar[type[OuchAccount]] = OuchAccount

    def __init__(self, endpoint: Endpoint, context: ProtocolContext) -> None:
        super().__init__(endpoint, context)
        self.venue = context.venue
        self.accounts: dict[str, OuchAccount] = {}

    def session_added(self, session: Session) -> None:
        super().session_added(session)
        old = self.accounts.pop(session.id, None)
        if old is not None:
            old.close()
        self.accounts[session.id] = self.Account(
            session, self.venue, self.store, firm=session.params.get("firm", "")
        )

    def account(self, session_id: str) -> OuchAccount:
        """The account of a configured session."""
        return self.accounts[session_id]

    def log_for(self, session: Session, requested: str) -> SequencedLog | None:
        lg = self.accounts[session.id].log
        return lg if not requested or requested == lg.name else None

    def on_login(self, session: Session, conn: SoupConnection) -> None:
        self.accounts[session.id].conn = conn

    def on_logout(self, session: Session, conn: SoupConnection, reason: str) -> None:
        account = self.accounts.get(session.id)
        if account is not None and account.conn is conn:
            account.conn = None
        if session.params.get("cancel_on_disconnect"):
            self.venue.cancel_session(session.id)

    def on_message(self, session: Session, conn: SoupConnection, payload: bytes) -> None:
        self.accounts[session.id].handle(payload)

    def message_handler(self, session: Session, conn: SoupConnection) -> Callable[[bytes], None]:
        return self.accounts[session.id].handle

    async def shutdown(self) -> None:
        await super().shutdown()
        for account in self.accounts.values():
            account.close()
        self.store.flush()


class Ouch42Endpoint(OuchEndpoint):
    """OUCH 4.2 order entry over SoupBinTCP."""

    name = "ouch42"
    description = "Nasdaq OUCH 4.2 order entry over SoupBinTCP"
    Account = Account42


class Ouch50Endpoint(OuchEndpoint):
    """OUCH 5.0 order entry over SoupBinTCP."""

    name = "ouch50"
    description = "Nasdaq OUCH 5.0 order entry over SoupBinTCP (UserRefNum, appendages)"
    Account = Account50
