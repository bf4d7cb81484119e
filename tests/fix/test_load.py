"""Load through the daemon: 200 FIX sessions logged on to one ``exsim serve`` at once,
each entering, canceling and replacing orders that trade with each other's. Every
order gets exactly its acknowledgement, requests exactly their answers, fills add up
on both sides to the venue's volume, no ExecID comes twice, and every session's
sequence numbers are gap-free."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import anyio
import pytest

from exsim_core.client import DaemonProcess, spawn
from exsim_fix.testing import FixClient, field

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
SESSIONS = 200
ORDERS = 6
CONFIG: dict[str, Any] = {
    "venues": [
        {
            "name": "EXSIM",
            "instruments": [{"asset_class": "equity", "symbol": "ACME", "tick_size": "0.01"}],
        }
    ],
    "endpoints": [
        {
            "name": "fix",
            "protocol": "fix",
            "venue": "EXSIM",
            "sessions": [
                {"id": f"S{i}", "identity": {"sender_comp_id": f"C{i}", "target_comp_id": "EXSIM"}}
                for i in range(SESSIONS)
            ],
        }
    ],
}


@pytest.fixture
def daemon() -> Iterator[DaemonProcess]:
    with spawn(CONFIG) as served:
        yield served


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


async def _trader(port: int, i: int, results: dict[int, Any], barrier: Barrier) -> None:
    rng = random.Random(i)
    client = await FixClient.connect(port, sender=f"C{i}")
    await client.logon(600, timeout=60)
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
            "F", (41, f"C{i}-{k}"), (11, cl), (55, "ACME"), (54, sides[f"C{i}-{k}"]),
            (60, client.now()),
        )  # fmt: skip
    for k in (2, 3):
        cl = f"C{i}-r{k}"
        requests[cl] = "replace"
        await client.send(
            "G", (41, f"C{i}-{k}"), (11, cl), (55, "ACME"), (54, sides[f"C{i}-{k}"]),
            (38, 200), (40, 2), (44, "10.00"), (60, client.now()),
        )  # fmt: skip
    answered: set[str] = set()
    acked: set[str] = set()
    while len(acked) < ORDERS or len(answered) < len(requests):
        msg = await client.receive(60)
        cl = field(msg, 11) or ""
        if field(msg, 35) == "9":
            answered.add(cl)
        elif field(msg, 150) in ("0", "8") and cl in sides:
            acked.add(cl)
        elif field(msg, 150) in ("4", "5") and cl in requests:
            answered.add(cl)
    await barrier.wait()
    await client.send("1", (112, "DONE"))
    while field(await client.receive(60), 112) != "DONE":
        pass
    results[i] = (client.received, sides, requests)
    await client.close()


async def test_200_sessions_on_one_daemon_get_every_report_exactly_once(
    daemon: DaemonProcess,
) -> None:
    results: dict[int, Any] = {}
    barrier = Barrier(SESSIONS)
    with anyio.fail_after(120):
        async with anyio.create_task_group() as tg:
            for i in range(SESSIONS):
                tg.start_soon(_trader, daemon.port("fix"), i, results, barrier)
    assert len(results) == SESSIONS
    filled = {1: Decimal(0), 2: Decimal(0)}
    for received, sides, requests in results.values():
        assert [int(field(m, 34) or 0) for m in received] == list(range(1, len(received) + 1))
        reports = [m for m in received if field(m, 35) == "8"]
        assert max(Counter(field(m, 17) for m in reports).values()) == 1
        acks = Counter(field(m, 11) for m in reports if field(m, 150) in ("0", "8"))
        assert acks == Counter(dict.fromkeys(sides, 1))
        answers = Counter(
            field(m, 11)
            for m in received
            if field(m, 35) == "9" or (field(m, 35) == "8" and field(m, 150) in ("4", "5"))
        )
        assert answers == Counter(dict.fromkeys(requests, 1))
        chains: dict[str, str] = {}
        cum: dict[str, Decimal] = defaultdict(Decimal)
        for m in reports:
            cl = field(m, 11) or ""
            if field(m, 150) == "F":
                origin = chains.get(cl, cl)
                cum[origin] += Decimal(field(m, 32) or "0")
                assert Decimal(field(m, 14) or "0") == cum[origin]
                filled[sides[origin]] += Decimal(field(m, 32) or "0")
            elif field(m, 150) == "5":
                chains[cl] = chains.get(field(m, 41) or "", field(m, 41) or "")
    with daemon.client() as api:
        volume = Decimal(api.book("EXSIM", "ACME")["volume"])
    assert filled[1] == filled[2] == volume > 0
