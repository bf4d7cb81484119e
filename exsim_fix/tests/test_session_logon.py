"""Logon as the FIX session test cases 1S and 2S require (FIX 4.2 and 4.4)."""

from __future__ import annotations

import pytest

from exsim_fix.testing import FixClient, field, serving

pytestmark = pytest.mark.anyio
VERSIONS = ["FIX.4.2", "FIX.4.4"]


@pytest.mark.parametrize("version", VERSIONS)
async def test_valid_logon_is_answered_with_logon_echoing_heartbeat(make_sim, version: str) -> None:
    sim = make_sim(version)
    async with serving(sim, "fix") as (port, _):
        client = await FixClient.connect(port, begin_string=version, clock=sim.clock)
        answer = await client.logon(30)
        assert answer is not None
        assert field(answer, 34) == "1"
        assert field(answer, 108) == "30"
        assert field(answer, 98) == "0"
        assert field(answer, 49) == "EXSIM"
        assert field(answer, 56) == "CLIENT"
        await client.close()
