"""A connection's reads and writes: what one read of many messages produces is written in
order and in full, and what other sessions' orders produce for a session reaches it
while it sends nothing."""

from __future__ import annotations

import pytest

from exsim_fix.testing import FixClient, field, serving

pytestmark = pytest.mark.anyio


async def test_a_burst_of_orders_in_one_write_gets_every_ack_in_order(make_sim):
    sim = make_sim()
    async with serving(sim, "fix") as (port, _):
        client = await FixClient.connect(port, clock=sim.clock)
        await client.logon(600)
        burst = b"".join(
            client.build("D", *client.order_fields(f"B{i}", 1, 100, f"9.{i % 100:02d}"))
            for i in range(300)
        )
        await client.send_raw(burst)
        acks = [await client.expect("8") for _ in range(300)]
        assert [field(m, 11) for m in acks] == [f"B{i}" for i in range(300)]
        assert [int(field(m, 34)) for m in acks] == list(range(2, 302))
        await client.expect_silence()


async def test_a_fill_caused_by_another_session_reaches_a_silent_session(make_sim):
    sim = make_sim()
    async with serving(sim, "fix") as (port, _):
        maker = await FixClient.connect(port, clock=sim.clock)
        await maker.logon(600)
        taker = await FixClient.connect(port, sender="CLIENT2", clock=sim.clock)
        await taker.logon(600)
        await maker.new_order("REST", 1, 100, "10.00")
        await maker.expect("8")
        for i in range(5):
            await taker.new_order(f"HIT{i}", 2, 20, "10.00")
        fills = [await maker.expect("8") for _ in range(5)]
        assert [field(m, 14) for m in fills] == ["20", "40", "60", "80", "100"]
        assert field(fills[-1], 39) == "2"
