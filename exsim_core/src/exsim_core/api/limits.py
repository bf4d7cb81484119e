"""A bound on request bodies: no management request needs more than a megabyte, and a
client must not be able to make the daemon buffer gigabytes."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["MAX_BODY", "BodyLimit"]

MAX_BODY = 1 << 20

Scope = dict[str, Any]


class BodyLimit:
    """ASGI middleware answering 413 to a body larger than ``limit`` bytes (by its
    ``content-length``, or as it streams in)."""

    def __init__(self, app: Any, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await self._refuse(send)
                return
        seen = 0

        async def limited() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._refuse(send)

    async def _refuse(self, send: Any) -> None:
        body = json.dumps(
            {
                "detail": [
                    {
                        "loc": ["body"],
                        "msg": f"body larger than {self.limit} bytes",
                        "type": "too_large",
                    }
                ]
            }
        ).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    """The body went past the limit while streaming in."""
