"""Bots benchmark: how much bot activity one daemon sustains while a client's order round
trip stays within twice its idle figure.

A real ``exsim serve`` (wall clock, no journal unless ``--db``) serves one venue: the
client's instrument ACME, on which no bot trades, and instruments SYM01, SYM02... on
which bots trade. A FIX 4.4 client on loopback keeps one order in flight
(NewOrderSingle -> ack ExecutionReport; seeded limit orders that rest, never trade).

1. **idle**: the round trip with no bot running (at least ``--round-trips`` round trips
   over at least ``--seconds``; the first tenth is dropped as warm-up);
2. **steps**: bots are added through the management API (``activity`` bots at level
   ``fast`` by default, one per instrument, seeded), and at each step, after a warm-up,
   the round trip is measured again while the bots' own counters give the bot order
   rate achieved over the same window (new orders, and all order messages: new,
   cancel, replace), with the daemon's CPU share from ``/proc``;
3. the run stops at the first step whose round-trip p50 exceeds twice the idle p50 (or
   after the last step) and reports the highest bot order rate sustained below that
   bound.

Usage::

    python bench/bots_bench.py                          # steps of 1, 2, 4, 8, 16 bots
    python bench/bots_bench.py --steps 1,2,4 --seconds 2 --warmup 1   # a short check
    python bench/bots_bench.py --level slow --steps 10,50,100 --json out.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fix_bench import Client as FixClient
from fix_bench import _percentiles

from exsim_core import Client, spawn

TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def config(instruments: int) -> dict[str, Any]:
    """The daemon: ACME for the client, SYM01... for the bots, one FIX 4.4 session."""
    equities = [{"asset_class": "equity", "symbol": "ACME", "tick_size": "0.01"}]
    equities += [
        {"asset_class": "equity", "symbol": f"SYM{i:02d}", "reference_price": "100.00"}
        for i in range(1, instruments + 1)
    ]
    return {
        "simulator": {"clock": "wall", "seed": 1},
        "venues": [{"name": "XSIM", "instruments": equities}],
        "endpoints": [
            {
                "name": "fix",
                "protocol": "fix",
                "venue": "XSIM",
                "sessions": [
                    {
                        "id": "B0",
                        "identity": {"sender_comp_id": "B0", "target_comp_id": "EXSIM"},
                        "params": {"heartbeat_max": 3600},
                    }
                ],
            }
        ],
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_S


def bot_counters(client: Client) -> tuple[int, int]:
    """(new orders, all order messages) sent so far by every bot."""
    orders = messages = 0
    for report in client.bots():
        orders += report["orders_sent"]
        messages += (
            report["orders_sent"] + report.get("cancels_sent", 0) + report.get("replaces_sent", 0)
        )
    return orders, messages


async def round_trips(fix: FixClient, n: int, seconds: float) -> dict[str, float]:
    """At least ``n`` round trips, for at least ``seconds`` (the first tenth dropped)."""
    samples: list[float] = []
    until = time.perf_counter() + seconds
    while len(samples) < n or time.perf_counter() < until:
        start = time.perf_counter()
        fix.writer.write(fix.order())
        await fix.acks(1)
        samples.append(time.perf_counter() - start)
    return _percentiles(samples[len(samples) // 10 :])


async def measure(
    fix: FixClient, client: Client, pid: int, n: int, seconds: float
) -> tuple[dict[str, float], dict[str, float]]:
    """The round trip (see :func:`round_trips`), and the bots' rates and the daemon's
    CPU share meanwhile."""
    orders0, messages0 = bot_counters(client)
    cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
    rtt = await round_trips(fix, n, seconds)
    cpu1, wall1 = cpu_seconds(pid), time.perf_counter()
    orders1, messages1 = bot_counters(client)
    elapsed = wall1 - wall0
    load = {
        "bot_orders_per_s": round((orders1 - orders0) / elapsed),
        "bot_messages_per_s": round((messages1 - messages0) / elapsed),
        "daemon_cpu_share": round((cpu1 - cpu0) / elapsed, 2),
        "seconds": round(elapsed, 2),
    }
    return rtt, load


async def run(args: argparse.Namespace) -> dict[str, Any]:
    steps = [int(s) for s in args.steps.split(",")]
    extra = ["--db", str(Path(args.db).resolve())] if args.db else []
    with spawn(config(max(steps)), args=extra) as daemon, daemon.client() as client:
        fix = await FixClient.connect(daemon.port("fix"), "B0", seed=args.seed)
        pid = daemon.proc.pid
        idle, idle_load = await measure(fix, client, pid, args.round_trips, args.seconds)
        bound = 2 * idle["p50_us"]
        results: dict[str, Any] = {
            "level": args.level,
            "idle": idle | idle_load,
            "bound_p50_us": bound,
            "steps": [],
        }
        running = 0
        best: dict[str, Any] | None = None
        for count in steps:
            while running < count:
                running += 1
                client.create_bot(
                    "activity", "XSIM", f"SYM{running:02d}", name=f"bots-{running:02d}",
                    seed=args.seed + running, start=True, level=args.level,
                )  # fmt: skip
            time.sleep(args.warmup)
            rtt, load = await measure(fix, client, pid, args.round_trips, args.seconds)
            step = {"bots": count, **rtt, **load, "within_bound": rtt["p50_us"] <= bound}
            results["steps"].append(step)
            print(json.dumps(step), file=sys.stderr)
            if not step["within_bound"]:
                break
            best = step
        fix.writer.close()
        results["sustained"] = (
            None
            if best is None
            else {k: best[k] for k in ("bots", "bot_orders_per_s", "bot_messages_per_s", "p50_us")}
        )
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", default="1,2,4,8,16,32,64", help="bots running at each step")
    parser.add_argument("--level", default="fast", help="activity level of each bot")
    parser.add_argument("--seconds", type=float, default=10.0, help="measuring time per step")
    parser.add_argument("--round-trips", type=int, default=200, help="fewest round trips per step")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", help="journal to this SQLite file (default: no journal)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    results = asyncio.run(run(args))
    print(json.dumps(results, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
