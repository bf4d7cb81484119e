"""FIX end to end: FIX clients and the management API against real ``exsim serve``
subprocesses over 127.0.0.1 (helpers in tests/support/fixexample.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fixexample import Example

from exsim_core.client import AsyncClient, DaemonProcess


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def example(fix_example: DaemonProcess) -> AsyncIterator[Example]:
    """The example daemon, reset, with a management client that sees the events from
    now on; FIX clients opened through it are closed after the test."""
    async with AsyncClient(fix_example.url, token=fix_example.token) as api:
        api.cursor = (await api.status())["events"]
        venue = Example(fix_example, api)
        try:
            yield venue
        finally:
            await venue.close()
