"""OUCH 4.2 benchmark: Enter Order -> Accepted round trip and sustained throughput.

The venue runs in another process, either

* ``--daemon``: ``exsim serve`` on the benchmark venue (``bench/orderentry.py``:
  ACME, an OUCH 4.2 endpoint, a wall clock, an in-memory store unless ``--db``), as
  users run it, or
* by default, a bare venue with the endpoint and nothing else of the daemon (no
  management API, no event queue, no journal): the protocol's own cost.

This process is the client: it logs in over SoupBinTCP and sends seeded limit orders
that never cross, so every Enter Order is answered by exactly one Accepted (the
workload and the two measurements are those of ``bench/orderentry.py``):

* latency: ``--orders`` round trips, one order in flight: p50 and p99 of send ->
  Accepted received, in microseconds;
* throughput: ``--seconds`` of pipelined orders (``--window`` in flight): Accepted
  messages per second on one session.

Run it on a quiet machine: ``./uvw run python bench/ouch_bench.py [--daemon]``. To
compare with FIX on the same daemon, run ``bench/protocols_bench.py``.
docs/benchmarks.md records results and method.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from orderentry import DAEMON_CONFIG, OuchLoad, resting_orders, round_trip, throughput


def serve() -> None:
    """Child process: run a bare venue's endpoint until stdin closes; print the port."""
    import anyio

    import exsim_ouch.plugin
    from exsim_core import Equity, Simulator, WallClock
    from exsim_core.testing import register_plugin, running_endpoint

    async def main() -> None:
        sim = Simulator(WallClock(), autoload=False)
        register_plugin(sim, exsim_ouch.plugin, name="ouch")
        venue = sim.create_venue("XBENCH", timezone="UTC", end_of_day="23:59:59")
        venue.add_instrument(Equity(symbol="ACME", tick_size="0.01"))
        sim.create_endpoint("OUCH", "ouch42", "XBENCH")
        sim.create_session("OUCH", "bench", {"username": "BENCH"}, password="bench")
        async with running_endpoint(sim, "OUCH") as port:
            print(port, flush=True)
            await anyio.to_thread.run_sync(sys.stdin.read)

    anyio.run(main)


async def bench(port: int, args: argparse.Namespace) -> dict[str, float]:
    load = await OuchLoad.login(port)
    orders = resting_orders(args.seed)
    try:
        result = await round_trip(load, orders, args.orders)
        result.update(await throughput(load, orders, args.window, args.seconds))
    finally:
        load.writer.close()
    return result


def on_bare_venue(args: argparse.Namespace) -> dict[str, float]:
    child = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        port = int(child.stdout.readline())
        return asyncio.run(bench(port, args))
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=10)


def on_daemon(args: argparse.Namespace) -> dict[str, float]:
    from exsim_core import spawn

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db" if args.db else None
        with spawn(DAEMON_CONFIG, db=db, log_format="console") as daemon:
            return asyncio.run(bench(daemon.port("ouch"), args))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--daemon", action="store_true", help="measure an exsim serve daemon")
    parser.add_argument("--db", action="store_true", help="the daemon with a SQLite store")
    parser.add_argument("--orders", type=int, default=20_000, help="round trips timed")
    parser.add_argument("--seconds", type=float, default=10.0, help="throughput duration")
    parser.add_argument("--window", type=int, default=100, help="orders in flight")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    if args.db and not args.daemon:
        parser.error("--db applies to --daemon")
    result = on_daemon(args) if args.daemon else on_bare_venue(args)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    where = "exsim serve" + (" --db" if args.db else "") if args.daemon else "a bare venue"
    print(f"OUCH 4.2 over SoupBinTCP, one session, 127.0.0.1, {where}")
    print(
        f"  Enter Order -> Accepted  p50 {result['p50_us']:8.1f} us"
        f"   p99 {result['p99_us']:8.1f} us   ({result['round_trips']} round trips timed)"
    )
    print(
        f"  sustained throughput     {result['acks_per_s']:10.0f} Accepted/s"
        f"   ({result['acks']} orders in {args.seconds:.1f} s, window {args.window})"
    )


if __name__ == "__main__":
    main()
