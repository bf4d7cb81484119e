"""Network plumbing shared by the daemon and the test helpers: serving an endpoint.

On asyncio (the daemon's loop) every accepted connection is a
:class:`~exsim_core.streams.TransportStream`, which costs no loop iteration per call
(see :mod:`exsim_core.streams`); on another anyio backend, anyio's own socket stream.
Either way a protocol sees an :class:`anyio.abc.ByteStream`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import anyio
import anyio.abc
from anyio.abc import SocketAttribute

from .protocol import Protocol
from .streams import StreamProtocol, TransportStream

__all__ = ["serve_endpoint"]

log = logging.getLogger("exsim.net")

#: how long a protocol may take to log its sessions out when an endpoint stops
SHUTDOWN_GRACE_S = 5.0


async def serve_endpoint(
    protocol: Protocol,
    *,
    stop: anyio.Event | None = None,
    task_status: anyio.abc.TaskStatus[int] = anyio.TASK_STATUS_IGNORED,
) -> None:
    """Run one endpoint: the protocol's own task, and for ``tcp`` protocols a listener
    whose every connection is served by ``protocol.serve``. Reports the bound port
    through ``task_status``: the listener's, or for a protocol without one the port its
    own task bound (0 if none).

    Runs until ``stop`` is set (a graceful stop: ``protocol.shutdown()`` runs while the
    connections are still open, so sessions can be logged out and their answers read)
    or until cancelled (the connections are cancelled at once; ``shutdown()`` still
    runs, shielded, as a last word)."""
    endpoint = protocol.endpoint
    graceful = False
    async with anyio.create_task_group() as tg:
        await tg.start(protocol.run)
        port = 0
        if protocol.transport == "tcp":
            listener = await anyio.create_tcp_listener(
                local_host=endpoint.host, local_port=endpoint.port, reuse_port=False
            )
            port = int(listener.extra(SocketAttribute.local_port))
            if _on_asyncio():
                tg.start_soon(_accept_asyncio, protocol, listener)
            else:
                tg.start_soon(_accept, protocol, listener)
        # a protocol without a listener may bind a port of its own in run() (a UDP
        # request server): the endpoint's port is then that one
        endpoint.port = port or endpoint.port
        task_status.started(endpoint.port)
        try:
            if stop is None:
                await anyio.sleep_forever()
            else:
                await stop.wait()
                graceful = True
                with anyio.move_on_after(SHUTDOWN_GRACE_S):
                    await protocol.shutdown()
        finally:
            if not graceful:
                with anyio.CancelScope(shield=True), anyio.move_on_after(SHUTDOWN_GRACE_S):
                    await protocol.shutdown()
            tg.cancel_scope.cancel()


def _on_asyncio() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def _handle(protocol: Protocol, stream: anyio.abc.ByteStream) -> None:
    try:
        address = stream.extra(SocketAttribute.remote_address)
        peer = f"{address[0]}:{address[1]}" if isinstance(address, tuple) else str(address)
    except (OSError, TypeError, ValueError, anyio.TypedAttributeLookupError):
        peer = "unknown"
    try:
        await protocol.serve(stream, peer)
    except Exception:
        # a connection's failure is that connection's alone
        log.exception("connection from %s to endpoint %s failed", peer, protocol.endpoint.name)
    finally:
        await stream.aclose()


async def _accept(protocol: Protocol, listener: anyio.abc.Listener[anyio.abc.SocketStream]) -> None:
    async def handle(stream: anyio.abc.SocketStream) -> None:
        await _handle(protocol, stream)

    async with listener:
        await listener.serve(handle)


async def _accept_asyncio(protocol: Protocol, listener: anyio.abc.Listener[Any]) -> None:
    """Accept on the sockets anyio bound (it resolves the host and shares one port
    between the addresses), serving each connection as a :class:`TransportStream`."""
    loop = asyncio.get_running_loop()
    sockets = [
        one.extra(SocketAttribute.raw_socket) for one in getattr(listener, "listeners", [listener])
    ]
    servers: list[asyncio.Server] = []
    try:
        async with anyio.create_task_group() as tg:

            def connected(stream: TransportStream) -> None:
                tg.start_soon(_handle, protocol, stream)

            for sock in sockets:
                servers.append(
                    await loop.create_server(lambda: StreamProtocol(connected), sock=sock)
                )
            await anyio.sleep_forever()
    finally:
        for server in servers:
            server.close()
        with anyio.CancelScope(shield=True):
            await listener.aclose()
