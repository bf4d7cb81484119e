"""Shared set-up of the exsim-fix tests: a simulator with one venue trading ACME and a
FIX endpoint per test, driven by a manual clock unless a test needs real time.

``fix_venue`` / ``fix_logged_on`` serve the same venue either in the test's event loop
or from a real ``exsim serve`` subprocess (configured through its management API), so
one test body runs against both."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest

import exsim_fix.plugin
from exsim_core import Equity, ManualClock, Simulator
from exsim_core.client import AsyncClient, DaemonProcess, spawn
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


class FixVenue:
    """Venue XSIM (ACME, tick 0.01) serving endpoint ``fix`` to a test, in-process or
    from a daemon: the test connects clients, and moves the venue's manual clock."""

    def __init__(
        self,
        port: int,
        clock: ManualClock,
        begin_string: str,
        advance: Callable[[float], Awaitable[None]],
    ) -> None:
        self.port = port
        self.clock = clock
        self.begin_string = begin_string
        self.clients: list[FixClient] = []
        self._advance = advance

    async def connect(self, **kwargs: Any) -> FixClient:
        """A client connected to the endpoint (``FixClient`` options; the venue's
        BeginString and clock unless given)."""
        kwargs.setdefault("begin_string", self.begin_string)
        kwargs.setdefault("clock", self.clock)
        client = await FixClient.connect(self.port, **kwargs)
        self.clients.append(client)
        return client

    async def advance(self, seconds: float) -> None:
        """Move the venue's clock forward (its timers run on the way)."""
        await self._advance(seconds)

    async def close(self) -> None:
        for client in self.clients:
            with contextlib.suppress(OSError):
                await client.close()


@contextlib.asynccontextmanager
async def _in_process_venue(
    begin_string: str = "FIX.4.4", **params: Any
) -> AsyncIterator[FixVenue]:
    clock = ManualClock()
    sim = _make_sim(begin_string, clock=clock, **params)

    async def advance(seconds: float) -> None:
        clock.advance(seconds=seconds)

    async with serving(sim, "fix") as (port, _):
        venue = FixVenue(port, clock, begin_string, advance)
        try:
            yield venue
        finally:
            await venue.close()


DAEMON_CONFIG: dict[str, Any] = {
    "simulator": {"clock": "manual"},
    "venues": [
        {
            "name": "XSIM",
            "instruments": [
                {
                    "asset_class": "equity",
                    "symbol": "ACME",
                    "tick_size": "0.01",
                    "reference_price": "10",
                }
            ],
        }
    ],
}
#: session ids are new in every test: the daemon's store keeps sequence numbers by id
_session_ids = itertools.count(1)


@pytest.fixture(scope="session")
def fix_daemon() -> Iterator[DaemonProcess]:
    """An ``exsim serve`` subprocess on a manual clock serving venue XSIM (ACME)."""
    with spawn(DAEMON_CONFIG) as daemon:
        yield daemon


@contextlib.asynccontextmanager
async def _daemon_venue(
    daemon: DaemonProcess, begin_string: str = "FIX.4.4", **params: Any
) -> AsyncIterator[FixVenue]:
    async with AsyncClient(daemon.url, token=daemon.token) as api:
        await api.reset()
        endpoint = await api.create_endpoint("fix", "fix", "XSIM")
        n = next(_session_ids)
        for comp_id in ("CLIENT", "CLIENT2"):
            await api.create_session(
                "fix",
                f"{comp_id}-{n}",
                {"sender_comp_id": comp_id, "target_comp_id": "EXSIM"},
                begin_string=begin_string,
                **params,
            )
        clock = ManualClock((await api.clock())["now_ns"])

        async def advance(seconds: float) -> None:
            await api.advance_clock(seconds=seconds)
            clock.advance(seconds=seconds)

        venue = FixVenue(int(endpoint["port"]), clock, begin_string, advance)
        try:
            yield venue
        finally:
            await venue.close()


@pytest.fixture(params=["in-process", "daemon"])
def fix_venue(
    request: pytest.FixtureRequest,
) -> Callable[..., contextlib.AbstractAsyncContextManager[FixVenue]]:
    """``async with fix_venue(begin_string, **session params) as venue``: the venue in
    the test's event loop, or served by ``exsim serve`` (see :class:`FixVenue`)."""
    if request.param == "in-process":
        return _in_process_venue
    daemon = request.getfixturevalue("fix_daemon")
    return lambda *args, **kwargs: _daemon_venue(daemon, *args, **kwargs)


@pytest.fixture
def fix_logged_on(
    fix_venue: Callable[..., contextlib.AbstractAsyncContextManager[FixVenue]],
) -> Callable[..., contextlib.AbstractAsyncContextManager[tuple[FixClient, FixVenue]]]:
    """``async with fix_logged_on(begin_string, heartbeat=30, **params) as (client,
    venue)``: ``fix_venue`` with a client logged on as CLIENT."""

    @contextlib.asynccontextmanager
    async def run(
        begin_string: str = "FIX.4.4", heartbeat: int = 30, **params: Any
    ) -> AsyncIterator[tuple[FixClient, FixVenue]]:
        async with fix_venue(begin_string, **params) as venue:
            client = await venue.connect()
            await client.logon(heartbeat)
            yield client, venue

    return run
