"""Shared set-up of the exsim-fix tests: a simulator with one venue trading ACME and a
FIX endpoint per test, driven by a manual clock unless a test needs real time."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

import exsim_fix.plugin
from exsim_core import Equity, ManualClock, Simulator
from exsim_core.clock import Clock
from exsim_core.testing import register_plugin
from exsim_fix import FixProtocol
from exsim_fix.testing import FixClient, serving


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _make_sim(
    begin_string: str = "FIX.4.4",
    clock: Clock | None = None,
    sessions: tuple[str, ...] = ("CLIENT", "CLIENT2"),
    **params: Any,
) -> Simulator:
    """A simulator: venue XSIM trading ACME (tick 0.01), endpoint ``fix`` speaking
    ``begin_string`` with one session per SenderCompID (session id = the CompID)."""
    sim = Simulator(clock or ManualClock(), autoload=False)
    register_plugin(sim, exsim_fix.plugin)
    venue = sim.create_venue("XSIM")
    venue.add_instrument(Equity(symbol="ACME", tick_size="0.01", reference_price="10"))
    sim.create_endpoint("fix", "fix", "XSIM")
    for comp_id in sessions:
        sim.create_session(
            "fix",
            comp_id,
            {"sender_comp_id": comp_id, "target_comp_id": "EXSIM"},
            params={"begin_string": begin_string, **params},
        )
    return sim


@pytest.fixture
def make_sim() -> Callable[..., Simulator]:
    """``make_sim(begin_string="FIX.4.4", clock=None, sessions=(...), **session params)``."""
    return _make_sim


@pytest.fixture
def logged_on(
    make_sim: Callable[..., Simulator],
) -> Callable[
    ..., contextlib.AbstractAsyncContextManager[tuple[FixClient, Simulator, FixProtocol]]
]:
    """``async with logged_on("FIX.4.4", heartbeat=30, **params) as (client, sim, protocol)``:
    a venue served on 127.0.0.1 and a client logged on as CLIENT."""

    @contextlib.asynccontextmanager
    async def run(
        begin_string: str = "FIX.4.4", heartbeat: int = 30, **params: Any
    ) -> AsyncIterator[tuple[FixClient, Simulator, FixProtocol]]:
        sim = make_sim(begin_string, **params)
        async with serving(sim, "fix") as (port, protocol):
            client = await FixClient.connect(port, begin_string=begin_string, clock=sim.clock)
            await client.logon(heartbeat)
            try:
                yield client, sim, protocol
            finally:
                await client.close()

    return run
