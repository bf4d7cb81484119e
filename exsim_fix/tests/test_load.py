"""Load: 200 FIX sessions logged on to one endpoint at once, each entering, canceling
and replacing orders that trade with each other's. Every order gets exactly its
acknowledgements and fills, nothing is lost or duplicated, and every session's
sequence numbers are gap-free."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from decimal import Decimal

import anyio
import pytest

import exsim_fix.plugin
from exsim_core import Equity, ManualClock, Simulator
from exsim_core.testing import register_plugin
from exsim_fix.testing import FixClient, field, serving

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
SESSIONS = 200
ORDERS = 6


def _sim() -> Simulator:
    sim = Simulator(ManualClock(), autoload=False)
    register_plugin(sim, exsim_fix.plugin)
    sim.create_venue("XSIM").add_instrument(Equity(symbol="ACME", tick_size="0.01"))
    sim.create_endpoint("fix", "fix", "XSIM")
    for i in range(SESSIONS):
        sim.create_session("fix", f"S{i}", {"sender_comp_id": f"C{i}", "target_comp_id": "EXSIM"})
    return sim


class Barrier:
    """Every trader waits here until all have had their own requests answered: only
    then can no more fills come from anyone's later orders."""

    def __init__(self, parties: int) -> None:
        self.waiting = parties
        self.event = anyio.Event()

    async def wait(self) -> None:
        self.waiting -= 1
        if not self.waiting:
            self.event.set()
        await self.event.wait()


async def _trader(port: int, sim: Simulator, i: int, results: dict, barrier: Barrier) -> None:
    rng = random.Random(i)
    client = await FixClient.connect(port, sender=f"C{i}", clock=sim.clock)
    await client.logon(600, timeout=30)
    sides = {}
    for k in range(ORDERS):
        side = rng.choice((1, 2))
        sides[f"C{i}-{k}"] = side
        price = Decimal(rng.randint(995, 1005)) / 100
        await client.new_order(f"C{i}-{k}", side, rng.randint(1, 10) * 10, f"{price:.2f}")
    requests = {}
    for k in (0, 1):
        cl = f"C{i}-x{k}"
        requests[cl] = "cancel"
        await client.send(
            "F",
            (41, f"C{i}-{k}"),
            (11, cl),
            (55, "ACME"),
            (54, sides[f"C{i}-{k}"]),
            (60, client.now()),
        )
    for k in (2, 3):
        cl = f"C{i}-r{k}"
        requests[cl] = "replace"
        await client.send(
            "G",
            (41, f"C{i}-{k}"),
            (11, cl),
            (55, "ACME"),
            (54, sides[f"C{i}-{k}"]),
            (38, 200),
            (40, 2),
            (44, "10.00"),
            (60, client.now()),
        )
    answered: set[str] = set()
    acked: set[str] = set()
    while len(acked) < ORDERS or len(answered) < len(requests):
        msg = await client.receive(30)
        cl = field(msg, 11)
        if field(msg, 35) == "9":
            answered.add(cl)
        elif field(msg, 150) in ("0", "8") and cl in sides:
            acked.add(cl)
        elif field(msg, 150) in ("4", "5") and cl in requests:
            answered.add(cl)
    await barrier.wait()
    await client.send("1", (112, "DONE"))
    while field(await client.receive(30), 112) != "DONE":
        pass
    results[i] = (client.received, sides)
    await client.close()


async def test_200_sessions_trading_at_once_get_every_report_exactly_once():
    sim = _sim()
    results: dict[int, tuple] = {}
    barrier = Barrier(SESSIONS)
    async with serving(sim, "fix") as (port, _):
        with anyio.fail_after(60):
            async with anyio.create_task_group() as tg:
                for i in range(SESSIONS):
                    tg.start_soon(_trader, port, sim, i, results, barrier)
    assert len(results) == SESSIONS
    filled = {1: 0, 2: 0}
    for received, sides in results.values():
        assert [int(field(m, 34)) for m in received] == list(range(1, len(received) + 1))
        reports = [m for m in received if field(m, 35) == "8"]
        exec_ids = Counter(field(m, 17) for m in reports)
        assert max(exec_ids.values()) == 1
        acks = Counter(field(m, 11) for m in reports if field(m, 150) in ("0", "8"))
        assert acks == Counter(dict.fromkeys(sides, 1))
        chains: dict[str, str] = {}
        cum: dict[str, int] = defaultdict(int)
        for m in reports:
            if field(m, 150) == "F":
                origin = chains.get(field(m, 11), field(m, 11))
                cum[origin] += int(field(m, 32))
                assert int(field(m, 14)) == cum[origin]
                filled[sides[origin]] += int(field(m, 32))
            elif field(m, 150) == "5":
                chains[field(m, 11)] = chains.get(field(m, 41), field(m, 41))
    assert filled[1] == filled[2] == sim.venue("XSIM").books["ACME"].volume > 0
