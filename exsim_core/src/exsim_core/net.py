"""Network plumbing shared by the daemon and the test helpers: serving an endpoint."""

from __future__ import annotations

import logging

import anyio
import anyio.abc
from anyio.abc import SocketAttribute

from .protocol import Protocol

__all__ = ["serve_endpoint"]

log = logging.getLogger("exsim.net")


async def serve_endpoint(
    protocol: Protocol,
    *,
    task_status: anyio.abc.TaskStatus[int] = anyio.TASK_STATUS_IGNORED,
) -> None:
    """Run one endpoint: the protocol's own task, and for ``tcp`` protocols a listener
    whose every connection is served by ``protocol.serve``. Reports the bound port
    through ``task_status`` (0 for protocols without a listener). Runs until cancelled;
    then asks the protocol to log its sessions out."""
    endpoint = protocol.endpoint
    async with anyio.create_task_group() as tg:
        await tg.start(protocol.run)
        port = 0
        if protocol.transport == "tcp":
            listener = await anyio.create_tcp_listener(
                local_host=endpoint.host, local_port=endpoint.port, reuse_port=False
            )
            port = int(listener.extra(SocketAttribute.local_port))
            tg.start_soon(_accept, protocol, listener)
        endpoint.port = port or endpoint.port
        task_status.started(port)
        try:
            await anyio.sleep_forever()
        finally:
            with anyio.CancelScope(shield=True), anyio.move_on_after(5):
                await protocol.shutdown()


async def _accept(protocol: Protocol, listener: anyio.abc.Listener[anyio.abc.SocketStream]) -> None:
    async def handle(stream: anyio.abc.SocketStream) -> None:
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

    async with listener:
        await listener.serve(handle)
