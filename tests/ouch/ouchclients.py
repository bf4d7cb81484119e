"""OUCH 4.2 and 5.0 clients for the daemon tests: the spec-only SoupBinTCP client of
exsim-ouch's tests (``soupwire``) carrying messages built and read by ``ouchwire`` and
``ouch50wire``. Every wait is bounded."""

from __future__ import annotations

from typing import Any

import ouch50wire
import ouchwire
from soupwire import SoupClient

#: a loaded machine runs the daemon in another process: allow it time to answer
TIMEOUT = 15.0


class OuchClient:
    """A logged-in OUCH client; ``version`` is ``"4.2"`` or ``"5.0"``."""

    def __init__(self, soup: SoupClient, version: str, session: str, next_seq: int) -> None:
        self.soup = soup
        self.version = version
        self.parse = ouchwire.parse if version == "4.2" else ouch50wire.parse
        #: the SoupBinTCP session and the number of the next sequenced message
        self.session = session
        self.next_seq = next_seq

    @classmethod
    async def login(
        cls, port: int, user: str, version: str = "4.2", sequence: int = 0, session: str = ""
    ) -> OuchClient:
        soup = await SoupClient.connect(port)
        name, next_seq = await soup.login(user, "secret", session, sequence)
        return cls(soup, version, name, next_seq)

    async def send(self, message: bytes) -> None:
        await self.soup.send_unsequenced(message)

    async def next(self) -> dict[str, Any]:
        """The next sequenced message, parsed (heartbeats and Debug packets skipped)."""
        message = self.parse(await self.soup.sequenced(TIMEOUT))
        self.next_seq += 1
        return message

    async def settle(self) -> list[dict[str, Any]]:
        """Every sequenced message until the server has handled all sent so far: a
        message of an unknown type is answered with a Debug packet, after everything
        the messages before it caused."""
        await self.soup.send_unsequenced(b"?")
        got = []
        while True:
            ptype, payload = await self.soup.receive(TIMEOUT)
            if ptype == b"+":
                return got
            if ptype == b"S":
                got.append(self.parse(payload))
                self.next_seq += 1

    async def logout(self) -> None:
        """Log out (Logout Request) and wait for the server to close."""
        await self.soup.send(b"\x00\x01O")
        await self.soup.closed(TIMEOUT)
        await self.soup.aclose()

    async def aclose(self) -> None:
        await self.soup.aclose()


def summary(messages: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Messages as short tuples: type and identity (token or UserRefNum), and for
    executions, cancels and rejects what a client acts on."""
    out: list[tuple[Any, ...]] = []
    for m in messages:
        ident = m.get("token", m.get("urn"))
        kind = m["type"]
        if kind == "E":
            out.append(("E", ident, m.get("shares", m.get("qty")), m["price"], m["liquidity"]))
        elif kind == "C":
            out.append(("C", ident, m.get("decrement", m.get("qty")), m["reason"]))
        elif kind == "J":
            out.append(("J", ident, m["reason"]))
        elif kind == "S":
            out.append(("S", m["event"]))
        else:
            out.append((kind, ident))
    return out
