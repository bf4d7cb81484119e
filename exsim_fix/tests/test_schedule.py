"""The session schedule: Logon only inside the daily window, Logout at its end, and
sequence numbers that start again at 1 with each new window."""

from __future__ import annotations

import pytest

from exsim_fix.testing import FixClient, field, serving

pytestmark = pytest.mark.anyio
WINDOW = {"start_time": "09:00:00", "end_time": "10:00:00"}  # the manual clock starts 09:30


async def test_logon_outside_the_window_is_refused_with_a_reason(make_sim):
    sim = make_sim("FIX.4.4", start_time="10:00:00", end_time="11:00:00")
    async with serving(sim, "fix") as (port, _):
        client = await FixClient.connect(port, clock=sim.clock)
        await client.logon(expect=False)
        assert field(await client.expect("5"), 58) == "outside the session's schedule"
        await client.expect_closed()


async def test_session_is_logged_out_at_the_end_of_its_window(make_sim):
    sim = make_sim("FIX.4.4", **WINDOW)
    async with serving(sim, "fix") as (port, _):
        client = await FixClient.connect(port, clock=sim.clock)
        await client.logon(3600)
        sim.clock.advance(seconds=30 * 60)
        assert field(await client.expect("5"), 58) == "end of the session's schedule"


async def test_a_new_window_starts_sequence_numbers_at_1(make_sim):
    sim = make_sim("FIX.4.4", **WINDOW)
    async with serving(sim, "fix") as (port, _):
        client = await FixClient.connect(port, clock=sim.clock)
        await client.logon(3600)
        await client.send("5")
        await client.expect("5")
        await client.expect_closed()
        sim.clock.advance(seconds=24 * 3600)
        again = await FixClient.connect(port, clock=sim.clock)
        assert field(await again.logon(3600), 34) == "1"
