"""The asynchronous client: the same operations as :class:`~exsim_core.Client`,
each returning an awaitable."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

import anyio
import httpx

from .api import Operations
from .errors import WaitTimeout
from .transport import SLACK, result_of, transport_error

__all__ = ["AsyncClient"]

Event = dict[str, Any]


class AsyncClient(Operations[Awaitable[Any]]):
    """An asynchronous client of one daemon (see :class:`~exsim_core.Client`).

    For a daemon served in the same event loop, pass
    ``transport=httpx.ASGITransport(app=create_app(daemon, token))``: no socket at all.
    """

    def __init__(
        self,
        url: str = "http://exsim",
        *,
        token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
    ) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.url = url
        self.timeout = timeout
        self.cursor = 0
        self._http = httpx.AsyncClient(
            base_url=url, headers=headers, transport=transport, timeout=timeout
        )

    async def _send(self, method: str, path: str, json: Any, params: dict[str, Any] | None) -> Any:
        wait = float(params.get("wait", 0)) if params else 0.0
        try:
            response = await self._http.request(
                method,
                path,
                json=json,
                params=params,
                timeout=self.timeout + wait + (SLACK if wait else 0),
            )
        except httpx.HTTPError as exc:
            raise transport_error(exc, self.url) from exc
        return result_of(response)

    def _request(
        self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None
    ) -> Awaitable[Any]:
        return self._send(method, path, json, params)

    async def events(
        self, after: int | None = None, timeout: float = 0.0, limit: int = 1000
    ) -> list[Event]:
        """Events after ``after`` (default: the last one this client returned)."""
        start = self.cursor if after is None else after
        answer = await self.poll(start, min(timeout, 30.0), limit)
        events: list[Event] = answer["events"]
        if events:
            self.cursor = events[-1]["cursor"]
        elif after is not None:
            self.cursor = after
        return events

    async def wait_for(self, predicate: Callable[[Event], bool], timeout: float = 5.0) -> Event:
        """The first new event for which ``predicate`` is true (see
        :meth:`exsim_core.Client.wait_for`)."""
        seen: list[Event] = []
        with anyio.move_on_after(timeout):
            while True:
                for event in await self.events(timeout=timeout):
                    seen.append(event)
                    if predicate(event):
                        return event
        raise WaitTimeout(f"no matching event within {timeout} s ({len(seen)} seen)", seen)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self, *exc: type[BaseException] | BaseException | TracebackType | None
    ) -> None:
        await self.aclose()
