"""Helpers of the FIX end-to-end tests: the example daemon (examples/fix.toml) as a
test sees it, through its management API and FIX sessions (exsim_fix.testing clients,
built on simplefix) over 127.0.0.1."""

from __future__ import annotations

import contextlib
from typing import Any

from exsim_core.client import AsyncClient, DaemonProcess
from exsim_fix.testing import FixClient

__all__ = ["VENUE", "VERSIONS", "Example", "session_id"]

VENUE = "EXSIM"
VERSIONS = {"fix42": "FIX.4.2", "fix44": "FIX.4.4"}


class Example:
    """The reset example daemon (examples/fix.toml): its API and FIX connections.

    Session ids in the example are ``<endpoint>-<comp id in lower case>``
    (``fix44-client``); :meth:`connect` logs on with ResetSeqNumFlag=Y, so a test does not
    depend on what an earlier one left (a reset of the daemon starts sessions at 1 too).
    """

    def __init__(self, daemon: DaemonProcess, api: AsyncClient) -> None:
        self.daemon = daemon
        self.api = api
        self.clients: list[FixClient] = []

    async def connect(
        self, endpoint: str = "fix44", sender: str = "CLIENT", heartbeat: int = 30, **kwargs: Any
    ) -> FixClient:
        """A client of ``endpoint`` logged on as ``sender``."""
        client = await self.open(endpoint, sender)
        await client.logon(heartbeat, reset=True, **kwargs)
        return client

    async def open(self, endpoint: str = "fix44", sender: str = "CLIENT") -> FixClient:
        """A client of ``endpoint`` connected, not logged on."""
        return await self.open_port(self.daemon.port(endpoint), sender, VERSIONS[endpoint])

    async def open_port(
        self, port: int, sender: str = "CLIENT", begin_string: str = "FIX.4.4"
    ) -> FixClient:
        """A client connected to ``port`` (an endpoint created by the test)."""
        client = await FixClient.connect(port, begin_string=begin_string, sender=sender)
        self.clients.append(client)
        return client

    async def close(self) -> None:
        for client in self.clients:
            with contextlib.suppress(OSError):
                await client.close()


def session_id(endpoint: str, sender: str) -> str:
    """The example's id of the session of ``sender`` on ``endpoint``."""
    return f"{endpoint}-{sender.lower()}"
