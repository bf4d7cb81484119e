"""Engine throughput and latency, in-process, on a seeded workload.

    ./uvw run python bench/engine_bench.py                 # 1M events, 1 and 8 instruments
    ./uvw run python bench/engine_bench.py --events 200000 --runs 3

Method: the workload (bench/workload.py) is generated first. Each run builds a fresh
venue (price-time engine, wall clock, one listener that receives every batch of events)
and feeds it every command in order. Two ways to hand commands over are measured:

* ``prebuilt`` — the Order/Cancel/Replace objects exist before the clock starts, as
  when a protocol decoder has already produced them; the timed region is the venue:
  validation, matching, event production and delivery;
* ``inline`` — building each command object is inside the timed region too.

The same runs time the workload's bare price-time book (``workload.BareBook``: matching
and nothing else, no validation, events or order state) as the baseline.

Throughput runs time the whole loop (no per-event timer); a separate run times every
event with ``perf_counter_ns`` for the latency percentiles (the timer's own cost, about
0.1 µs, is included in them). Figures are medians over ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from workload import Workload, generate, run_bare

from exsim_core import Cancel, Equity, Order, Replace, Simulator, Venue, WallClock


def make_venue(symbols: list[str]) -> tuple[Venue, list[int]]:
    sim = Simulator(clock=WallClock(), autoload=False)
    venue = sim.create_venue("BENCH", tifs=["DAY", "GTC", "IOC", "FOK", "GTD"])
    for s in symbols:
        venue.add_instrument(Equity(symbol=s, tick_size="0.01"))
    seen = [0]

    def listener(batch: list[tuple[Any, ...]], now: int) -> None:
        seen[0] += len(batch)

    venue.subscribe(listener)
    return venue, seen


def build(venue: Venue, wl: Workload) -> list[tuple[Callable[[Any], Any], Any]]:
    submit, cancel, replace = venue.submit, venue.cancel, venue.replace
    out: list[tuple[Callable[[Any], Any], Any]] = []
    for e in wl.events:
        k = e[0]
        if k == "N" or k == "M":
            _, sym, side, qty, price, tif, session = e
            out.append((submit, Order(sym, side, qty, price, "limit", tif, "c", session)))  # type: ignore[arg-type]
        elif k == "C":
            out.append((cancel, Cancel(e[1], e[2])))  # type: ignore[arg-type]
        else:
            out.append((replace, Replace(e[1], e[2], "r", qty=e[3], price=e[4])))  # type: ignore[arg-type]
    return out


def run_prebuilt(wl: Workload) -> tuple[float, int]:
    venue, seen = make_venue(wl.symbols)
    cmds = build(venue, wl)
    gc.collect()
    gc.disable()
    t0 = time.perf_counter()
    for fn, arg in cmds:
        fn(arg)
    elapsed = time.perf_counter() - t0
    gc.enable()
    return elapsed, seen[0]


def run_inline(wl: Workload) -> tuple[float, int]:
    venue, seen = make_venue(wl.symbols)
    submit, cancel, replace = venue.submit, venue.cancel, venue.replace
    events = wl.events
    gc.collect()
    gc.disable()
    t0 = time.perf_counter()
    for e in events:
        k = e[0]
        if k == "N" or k == "M":
            submit(Order(e[1], e[2], e[3], e[4], "limit", e[5], "c", e[6]))  # type: ignore[arg-type]
        elif k == "C":
            cancel(Cancel(e[1], e[2]))  # type: ignore[arg-type]
        else:
            replace(Replace(e[1], e[2], "r", qty=e[3], price=e[4]))  # type: ignore[arg-type]
    elapsed = time.perf_counter() - t0
    gc.enable()
    return elapsed, seen[0]


def run_latency(wl: Workload) -> list[int]:
    venue, _ = make_venue(wl.symbols)
    cmds = build(venue, wl)
    clock = time.perf_counter_ns
    lat = [0] * len(cmds)
    gc.collect()
    gc.disable()
    for i, (fn, arg) in enumerate(cmds):
        t0 = clock()
        fn(arg)
        lat[i] = clock() - t0
    gc.enable()
    return lat


def pct(sorted_values: list[int], p: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))] / 1000


def bench(n_events: int, n_instruments: int, runs: int, seed: int) -> dict[str, Any]:
    wl = generate(n_events, n_instruments, seed)
    result: dict[str, Any] = {
        "events": n_events,
        "instruments": n_instruments,
        "seed": seed,
        "mix": wl.counts(),
        "runs": runs,
    }
    for name, fn in (("prebuilt", run_prebuilt), ("inline", run_inline)):
        rates = []
        produced = 0
        for _ in range(runs):
            elapsed, produced = fn(wl)
            rates.append(n_events / elapsed)
        result[name] = {
            "events_per_s_median": round(statistics.median(rates)),
            "events_per_s_runs": [round(r) for r in rates],
            "venue_events_produced": produced,
        }
    bare = []
    for _ in range(runs):
        gc.collect()
        gc.disable()
        t0 = time.perf_counter()
        run_bare(wl)
        bare.append(n_events / (time.perf_counter() - t0))
        gc.enable()
    result["bare_book"] = {"events_per_s_median": round(statistics.median(bare))}
    result["engine_to_bare"] = round(
        result["prebuilt"]["events_per_s_median"] / result["bare_book"]["events_per_s_median"], 3
    )
    lats = []
    for _ in range(runs):
        lat = sorted(run_latency(wl))
        lats.append((pct(lat, 50), pct(lat, 99), pct(lat, 99.9)))
    result["latency_us"] = {
        "p50": round(statistics.median(x[0] for x in lats), 3),
        "p99": round(statistics.median(x[1] for x in lats), 3),
        "p99.9": round(statistics.median(x[2] for x in lats), 3),
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--instruments", type=int, nargs="*", default=[1, 8])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    results = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "processor": platform.processor() or platform.machine(),
        "results": [bench(args.events, n, args.runs, args.seed) for n in args.instruments],
    }
    for r in results["results"]:
        print(
            f"{r['instruments']} instrument(s), {r['events']:,} events, median of {r['runs']}: "
            f"prebuilt {r['prebuilt']['events_per_s_median']:,}/s, "
            f"inline {r['inline']['events_per_s_median']:,}/s, "
            f"latency p50 {r['latency_us']['p50']} us p99 {r['latency_us']['p99']} us "
            f"p99.9 {r['latency_us']['p99.9']} us; "
            f"{r['prebuilt']['venue_events_produced']:,} venue events; "
            f"bare book {r['bare_book']['events_per_s_median']:,}/s "
            f"(engine / bare {r['engine_to_bare']})"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
