"""How a client reaches a daemon: its URL over HTTP, or an in-process daemon with no
socket (the app's ASGI interface; from synchronous code through the blocking portal that
runs the daemon's event loop)."""

from __future__ import annotations

from typing import Any

import httpx
from anyio.from_thread import BlockingPortal

from .errors import ApiError, TransportError, error_for

__all__ = ["PortalTransport", "result_of"]

#: seconds of network slack on top of a long poll's wait
SLACK = 10.0


class PortalTransport(httpx.BaseTransport):
    """A synchronous transport that runs each request through ``app`` (ASGI) inside the
    event loop of ``portal``: the daemon's own loop, so requests and venue work never
    run concurrently."""

    def __init__(self, app: Any, portal: BlockingPortal) -> None:
        self.app = app
        self.portal = portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def call() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
            transport = httpx.ASGITransport(app=self.app)
            inner = httpx.Request(
                request.method, request.url, headers=request.headers, content=body
            )
            response = await transport.handle_async_request(inner)
            content = await response.aread()
            return response.status_code, response.headers.raw, content

        try:
            status, headers, content = self.portal.call(call)
        except RuntimeError as exc:  # the portal's loop has stopped
            raise httpx.ConnectError(f"the in-process daemon is not running: {exc}") from exc
        return httpx.Response(status, headers=headers, content=content, request=request)


def result_of(response: httpx.Response) -> Any:
    """The JSON body of a successful response; raises the matching :class:`ApiError`."""
    if response.is_success:
        return response.json()
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = response.text
    error: ApiError = error_for(
        response.status_code, detail, response.request.method, response.request.url.path
    )
    raise error


def transport_error(exc: httpx.HTTPError, url: str) -> TransportError:
    return TransportError(f"cannot reach the exsim daemon at {url}: {type(exc).__name__}: {exc}")
