"""The async client, over the app's ASGI interface inside the daemon's own event loop."""

from __future__ import annotations

import anyio
import httpx
import pytest

from exsim_core import AsyncClient
from exsim_core.api import create_app
from exsim_core.client import InvalidRequest
from exsim_core.daemon import Daemon, ServeOptions, serve


@pytest.mark.anyio
async def test_the_async_client_drives_a_daemon_in_the_same_loop() -> None:
    daemon = Daemon(clock="manual", autoload=False)
    with anyio.fail_after(20):
        async with anyio.create_task_group() as tg:
            await tg.start(serve, daemon, ServeOptions(http=False, signals=False))
            transport = httpx.ASGITransport(app=create_app(daemon))
            async with AsyncClient(transport=transport) as client:
                await client.create_venue("X")
                await client.create_instrument("X", "A", tick_size="0.5")
                order = (await client.submit("X", "A", "sell", 3, "10.5"))["order"]
                event = await client.wait_for(lambda e: e["kind"] == "added", timeout=5)
                assert event["order"]["order_id"] == order["order_id"]
                assert event["price"] == "10.5"
                with pytest.raises(InvalidRequest):
                    await client.submit("X", "A", "sell", 3, "10.25")
            assert daemon.runtime is not None
            daemon.runtime.stop()
