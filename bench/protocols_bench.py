"""OUCH against FIX on the same daemon: order-entry round trip and throughput.

Each run starts ``exsim serve`` on :data:`orderentry.DAEMON_CONFIG` (one venue, ACME,
an OUCH 4.2 endpoint and a FIX 4.4 endpoint), measures both protocols with the same
method and the same seeded workload (see ``bench/orderentry.py``) — the round trip
with one order in flight, then the throughput with a window of orders in flight on
one session — and stops the daemon, so every run starts from an empty book. The two
protocols take turns going first. The figures printed are the medians over the runs.

    ./uvw run python bench/protocols_bench.py [--runs 5] [--round-trips 2000]
        [--seconds 3] [--window 100] [--seed 1] [--db] [--json FILE]

The target it checks: OUCH's sustained throughput at least 3 times FIX's, and a lower
p50 round trip. Run it on a quiet machine; docs/benchmarks.md records the method and
results.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from orderentry import (
    DAEMON_CONFIG,
    FixLoad,
    Load,
    OuchLoad,
    resting_orders,
    round_trip,
    throughput,
)

PROTOCOLS = ("ouch", "fix")


async def measure(protocol: str, port: int, args: argparse.Namespace) -> dict[str, float]:
    """One protocol's round trip and throughput on a fresh session."""
    load: Load = await (OuchLoad.login(port) if protocol == "ouch" else FixLoad.login(port))
    orders = resting_orders(args.seed)
    try:
        result = await round_trip(load, orders, args.round_trips)
        result.update(await throughput(load, orders, args.window, args.seconds))
    finally:
        load.writer.close()
    return result


def one_run(index: int, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    from exsim_core import spawn

    order = PROTOCOLS if index % 2 == 0 else PROTOCOLS[::-1]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db" if args.db else None
        with spawn(DAEMON_CONFIG, db=db, log_format="console") as daemon:
            return {p: asyncio.run(measure(p, daemon.port(p), args)) for p in order}


def medians(runs: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    return {
        p: {k: statistics.median(r[p][k] for r in runs) for k in ("p50_us", "p99_us", "acks_per_s")}
        for p in PROTOCOLS
    }


def report(result: dict[str, Any], args: argparse.Namespace) -> str:
    m = result["median"]
    ouch, fix = m["ouch"], m["fix"]
    ratio = ouch["acks_per_s"] / fix["acks_per_s"]
    met = ratio >= 3 and ouch["p50_us"] < fix["p50_us"]
    store = "SQLite (--db)" if args.db else "memory"
    lines = [
        f"OUCH 4.2 and FIX 4.4 on one exsim serve daemon (store: {store}); median of "
        f"{args.runs} runs, {args.round_trips} round trips and {args.seconds} s at window "
        f"{args.window} each, seed {args.seed}",
        f"{'':10}{'p50 (us)':>12}{'p99 (us)':>12}{'acks/s':>12}",
    ]
    for p, label in (("ouch", "OUCH 4.2"), ("fix", "FIX 4.4")):
        row = m[p]
        lines.append(
            f"{label:10}{row['p50_us']:12.1f}{row['p99_us']:12.1f}{row['acks_per_s']:12.0f}"
        )
    lines.append(
        f"OUCH / FIX throughput {ratio:.2f}x; p50 {ouch['p50_us'] / fix['p50_us']:.2f}x "
        f"-> target (>= 3x and a lower p50) {'met' if met else 'not met'}"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs (fresh daemon each)")
    parser.add_argument("--round-trips", type=int, default=2000, help="round trips per run")
    parser.add_argument("--seconds", type=float, default=3.0, help="throughput run length")
    parser.add_argument("--window", type=int, default=100, help="orders in flight")
    parser.add_argument("--seed", type=int, default=1, help="seed of the workload")
    parser.add_argument("--db", action="store_true", help="serve with a SQLite store")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    runs = []
    for i in range(args.runs):
        runs.append(one_run(i, args))
        print(f"run {i + 1}/{args.runs}: {json.dumps(runs[-1])}", file=sys.stderr)
    result = {"median": medians(runs), "runs": runs, "settings": vars(args)}
    print(report(result, args))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
