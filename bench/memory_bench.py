"""Memory per resting order: peak RSS with N resting orders, in-process.

    ./uvw run python bench/memory_bench.py              # 1,000,000 resting orders

Method: a venue with one equity; N limit orders from 16 sessions that never cross (buys
below 100.00, sells above, over 2,000 price levels each side), each submitted through
``venue.submit`` as a client's order would be, with a listener receiving every event.
RSS is read from /proc/self/status (VmRSS, and VmHWM for the peak) before the first
order and after the last; the difference divided by N is the cost of one resting
order: the Order object, its ClOrdID string, its place in its price level and in the
venue's live-order map, and its share of the level objects.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
from pathlib import Path
from typing import Any

from exsim_core import Equity, Order, Simulator, WallClock


def rss_kib(field: str = "VmRSS") -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sim = Simulator(clock=WallClock(), autoload=False)
    venue = sim.create_venue("MEM")
    venue.add_instrument(Equity(symbol="ACME", tick_size="0.01"))
    seen = [0]

    def listener(batch: list[tuple[Any, ...]], now: int) -> None:
        seen[0] += len(batch)

    venue.subscribe(listener)
    sessions = [f"S{i:02d}" for i in range(16)]
    gc.collect()
    before = rss_kib()
    submit = venue.submit
    for i in range(args.orders):
        side = 1 if i % 2 else 2
        level = rng.randrange(2_000)
        price = 10_000 - 1 - level if side == 1 else 10_000 + 1 + level
        submit(
            Order(
                "ACME",
                side,
                100 * rng.randint(1, 10),
                price,
                cl_ord_id=f"C{i}",
                session=sessions[i % 16],
            )
        )
    gc.collect()
    after = rss_kib()
    peak = rss_kib("VmHWM")
    resting = len(venue.orders)
    per_order = (after - before) * 1024 / resting
    result = {
        "orders": args.orders,
        "resting": resting,
        "events": seen[0],
        "rss_before_mib": round(before / 1024, 1),
        "rss_after_mib": round(after / 1024, 1),
        "peak_rss_mib": round(peak / 1024, 1),
        "bytes_per_resting_order": round(per_order),
        "python": sys.version.split()[0],
    }
    print(
        f"{resting:,} resting orders: RSS {result['rss_before_mib']} -> "
        f"{result['rss_after_mib']} MiB (peak {result['peak_rss_mib']} MiB), "
        f"{result['bytes_per_resting_order']} bytes per resting order"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
