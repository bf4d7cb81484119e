"""OUCH 4.2 benchmark: Enter Order -> Accepted round trip and sustained throughput.

The venue runs in a child process (``--serve``): one OUCH 4.2 endpoint on 127.0.0.1, a
wall clock, an in-memory store. This process is the client: it logs in over
SoupBinTCP and sends seeded random limit orders that never cross (bids below 100.00,
offers above 100.00), so every Enter Order is answered by exactly one Accepted.

* latency: ``--orders`` round trips, one order in flight at a time: p50 and p99 of
  send -> Accepted received, in microseconds;
* throughput: ``--seconds`` of pipelined orders (``--window`` in flight): Accepted
  messages per second on one session.

Run it on a quiet machine: ``./uvw run python bench/ouch_bench.py``. It prints a
table (or ``--json``); docs/benchmarks.md records results and method.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import struct
import subprocess
import sys
import time

ENTER = struct.Struct(">c14scI8sII4scccIcc")
HEADER = struct.Struct(">HB")


def serve() -> None:
    """Child process: run the endpoint until stdin closes; print the port first."""
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


def orders(seed: int):  # type: ignore[no-untyped-def]
    """Seeded non-crossing Enter Orders, each with a fresh token."""
    rng = random.Random(seed)
    n = 0
    while True:
        n += 1
        buy = rng.random() < 0.5
        ticks = rng.randint(1, 500)
        price = (1_000_000 - ticks * 100) if buy else (1_000_000 + ticks * 100)
        yield ENTER.pack(
            b"O", f"B{n:013d}".encode(), b"B" if buy else b"S", rng.randint(1, 10) * 100,
            b"ACME    ", price, 99998, b"    ", b"Y", b"A", b"N", 0, b"N", b" ",
        )  # fmt: skip


def frame(message: bytes) -> bytes:
    return struct.pack(">H", len(message) + 1) + b"U" + message


class Client:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    async def packet(self) -> tuple[int, bytes]:
        head = await self.reader.readexactly(3)
        length, ptype = HEADER.unpack(head)
        return ptype, await self.reader.readexactly(length - 1)

    async def accepted(self) -> None:
        """Wait for the next Accepted (skipping heartbeats)."""
        while True:
            ptype, payload = await self.packet()
            if ptype == 0x53 and payload[:1] == b"A":
                return
            if ptype == 0x53:
                raise RuntimeError(f"unexpected answer {payload[:1]!r}")


async def bench(
    port: int, n_orders: int, seconds: float, window: int, seed: int
) -> dict[str, float]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        struct.pack(">HB", 47, 0x4C) + b"BENCH " + b"bench".ljust(10) + b" " * 10 + b"0".rjust(20)
    )
    client = Client(reader, writer)
    ptype, _ = await client.packet()
    assert ptype == 0x41, "login refused"
    source = orders(seed)
    # latency: one order in flight
    samples = []
    for _ in range(n_orders):
        data = frame(next(source))
        start = time.perf_counter_ns()
        writer.write(data)
        await client.accepted()
        samples.append(time.perf_counter_ns() - start)
    samples.sort()
    # throughput: a window of orders in flight
    done = 0
    in_flight = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        burst = window - in_flight
        writer.write(b"".join(frame(next(source)) for _ in range(burst)))
        in_flight += burst
        for _ in range(window // 2):
            await client.accepted()
            in_flight -= 1
            done += 1
    while in_flight:
        await client.accepted()
        in_flight -= 1
        done += 1
    elapsed = time.perf_counter() - start
    writer.close()
    return {
        "orders_timed": n_orders,
        "p50_us": samples[len(samples) // 2] / 1000,
        "p99_us": samples[int(len(samples) * 0.99)] / 1000,
        "mean_us": statistics.fmean(samples) / 1000,
        "accepted_per_s": done / elapsed,
        "throughput_orders": done,
        "throughput_seconds": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--orders", type=int, default=20_000, help="round trips timed")
    parser.add_argument("--seconds", type=float, default=10.0, help="throughput duration")
    parser.add_argument("--window", type=int, default=256, help="orders in flight")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    child = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        port = int(child.stdout.readline())
        result = asyncio.run(bench(port, args.orders, args.seconds, args.window, args.seed))
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=10)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print("OUCH 4.2 over SoupBinTCP, one session, 127.0.0.1")
    print(
        f"  Enter Order -> Accepted  p50 {result['p50_us']:8.1f} us"
        f"   p99 {result['p99_us']:8.1f} us   ({args.orders} round trips)"
    )
    print(
        f"  sustained throughput     {result['accepted_per_s']:10.0f} Accepted/s"
        f"   ({result['throughput_orders']} orders in {result['throughput_seconds']:.1f} s,"
        f" window {args.window})"
    )


if __name__ == "__main__":
    main()
