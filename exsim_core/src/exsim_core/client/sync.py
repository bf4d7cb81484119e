"""The synchronous client."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import httpx

from .api import Operations
from .errors import WaitTimeout
from .transport import SLACK, result_of, transport_error

__all__ = ["Client"]

Event = dict[str, Any]


class Client(Operations[Any]):
    """A synchronous client of one daemon.

    :param url: the daemon's management URL (``http://127.0.0.1:PORT``).
    :param token: its token (see the ready file).
    :param transport: another httpx transport (e.g. an in-process daemon's).
    :param timeout: seconds to wait for an answer (long polls add their wait).

    Every operation method returns the daemon's JSON answer or raises a
    :class:`~exsim_core.client.errors.ApiError` naming the problem. :meth:`events`
    keeps a cursor, so successive calls return only new events.
    """

    def __init__(
        self,
        url: str = "http://exsim",
        *,
        token: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
    ) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.url = url
        self.timeout = timeout
        self.cursor = 0
        #: the server handle this client belongs to (set by the test fixtures)
        self.server: Any = None
        self._http = httpx.Client(
            base_url=url, headers=headers, transport=transport, timeout=timeout
        )

    def _request(
        self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None
    ) -> Any:
        wait = float(params.get("wait", 0)) if params else 0.0
        try:
            response = self._http.request(
                method,
                path,
                json=json,
                params=params,
                timeout=self.timeout + wait + (SLACK if wait else 0),
            )
        except httpx.HTTPError as exc:
            raise transport_error(exc, self.url) from exc
        return result_of(response)

    def events(
        self, after: int | None = None, timeout: float = 0.0, limit: int = 1000
    ) -> list[Event]:
        """Events after ``after`` (default: the last one this client returned), waiting
        up to ``timeout`` seconds for the first one."""
        start = self.cursor if after is None else after
        answer = self.poll(start, min(timeout, 30.0), limit)
        events: list[Event] = answer["events"]
        if events:
            self.cursor = events[-1]["cursor"]
        elif after is not None:
            self.cursor = after
        return events

    def wait_for(self, predicate: Callable[[Event], bool], timeout: float = 5.0) -> Event:
        """The first new event for which ``predicate`` is true; raises
        :class:`~exsim_core.client.errors.WaitTimeout` (with the events seen) after
        ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        seen: list[Event] = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WaitTimeout(f"no matching event within {timeout} s ({len(seen)} seen)", seen)
            for event in self.events(timeout=left):
                seen.append(event)
                if predicate(event):
                    return event

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()
