"""Logon as the FIX session test cases 1S and 2S require (FIX 4.2 and 4.4)."""

from __future__ import annotations

import anyio
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


@pytest.mark.parametrize("version", ["FIX.4.0", "FIX.4.1", "FIX.4.3", "FIXT.1.1"])
async def test_every_begin_string_logs_on(make_sim, version: str) -> None:
    sim = make_sim(version)
    async with serving(sim, "fix") as (port, _):
        client = await FixClient.connect(port, begin_string=version, clock=sim.clock)
        answer = await client.logon(30)
        assert field(answer, 8) == version
        assert field(answer, 1137) == ("9" if version == "FIXT.1.1" else None)


async def test_fixt_logon_without_default_appl_ver_id_is_closed_silently(make_sim) -> None:
    sim = make_sim("FIXT.1.1")
    async with serving(sim, "fix") as (port, _):
        client = await FixClient.connect(port, begin_string="FIXT.1.1", clock=sim.clock)
        await client.send("A", (98, 0), (108, 30))
        await client.expect_closed()


async def test_wrong_password_gets_a_logout_saying_so(make_sim) -> None:
    sim = make_sim("FIX.4.4", sessions=())
    sim.create_session(
        "fix", "P", {"sender_comp_id": "CLIENT", "target_comp_id": "EXSIM"}, password="secret"
    )
    async with serving(sim, "fix") as (port, _):
        client = await FixClient.connect(port, clock=sim.clock)
        await client.logon(30, (553, "CLIENT"), (554, "wrong"), expect=False)
        assert field(await client.expect("5"), 58) == "invalid username or password"
        await client.expect_closed()
        client = await FixClient.connect(port, clock=sim.clock)
        await client.logon(30, (553, "CLIENT"), (554, "secret"))


async def test_heartbeat_outside_the_sessions_bounds_is_refused(make_sim) -> None:
    sim = make_sim("FIX.4.2", heartbeat_min=10, heartbeat_max=60)
    async with serving(sim, "fix") as (port, _):
        client = await FixClient.connect(port, begin_string="FIX.4.2", clock=sim.clock)
        await client.logon(5, expect=False)
        assert "HeartBtInt 5" in field(await client.expect("5"), 58)


async def test_next_expected_msg_seq_num_below_ours_resends_after_the_logon(make_sim) -> None:
    sim = make_sim("FIX.4.4")
    async with serving(sim, "fix") as (port, _):
        client = await FixClient.connect(port, clock=sim.clock)
        await client.logon(600)
        await client.new_order("A1")
        await client.expect("8")
        await client.send("5")
        await client.expect("5")
        await client.expect_closed()
        again = await FixClient.connect(port, clock=sim.clock)
        again.seq = 4
        answer = await again.logon(600, (789, 2))
        assert (field(answer, 34), field(answer, 789)) == ("4", "5")
        resent = await again.expect("8")
        assert (field(resent, 34), field(resent, 43), field(resent, 11)) == ("2", "Y", "A1")
        fill = await again.expect("4")
        assert (field(fill, 34), field(fill, 36)) == ("3", "4")


async def test_connection_without_logon_is_closed_after_the_logon_timeout(make_sim) -> None:
    sim = make_sim("FIX.4.4")
    async with serving(sim, "fix") as (port, protocol):
        client = await FixClient.connect(port, clock=sim.clock)
        with anyio.fail_after(5):
            while not protocol.connections:
                await anyio.sleep(0.01)
        sim.clock.advance(seconds=10)
        await client.expect_closed()


async def test_encrypted_logon_is_refused_as_unsupported(make_sim) -> None:
    sim = make_sim("FIX.4.4")
    async with serving(sim, "fix") as (port, _):
        client = await FixClient.connect(port, clock=sim.clock)
        await client.send("A", (98, 2), (108, 30))
        assert "EncryptMethod(98) 2 is not supported" in field(await client.expect("5"), 58)
        await client.expect_closed()
