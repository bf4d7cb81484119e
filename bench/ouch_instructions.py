"""Instructions per OUCH order, counted by callgrind: a load-independent measure.

One process runs both sides on 127.0.0.1: a venue with one OUCH 4.2 (or, ``--v50``,
OUCH 5.0) endpoint over SoupBinTCP (instrument ACME, price-time matching) and a minimal
load client that keeps a window of Enter Orders outstanding until ``--orders`` have been
Accepted, after a warm-up of 1,000 orders. The orders are those of
``bench/orderentry.py``: seeded limit orders that rest and never cross, so each is
answered by exactly one Accepted.

``--callgrind`` runs the same under callgrind and counts the instructions of the measured
orders only (as ``bench/fix_instructions.py`` does: a helper compiled from valgrind's
``callgrind.h`` starts the count after the warm-up and stops it after the last Accepted,
so start-up, login and warm-up, the cost of an N=0 run, are not counted). Hash
randomisation is off, so the count repeats to within a fraction of a percent. The count
covers the whole stack: the venue, the event loop, the sockets and the load client (a
small, fixed share)::

    ./uvw run python bench/ouch_instructions.py --callgrind --orders 3000
    ./uvw run python bench/ouch_instructions.py --callgrind --orders 3000 --window 1
    ./uvw run python bench/ouch_instructions.py --callgrind --orders 3000 --v50
    ./uvw run python bench/ouch_instructions.py --callgrind --orders 3000 --db

``--window 1`` measures the round-trip path (one order in flight); ``--db`` puts the
session on exsim's SQLite store. Run directly, the script prints the wall time of the
run and, with ``--profile N``, the top N functions of a cProfile of it.
"""

from __future__ import annotations

import argparse
import asyncio
import struct
import tempfile
from pathlib import Path

from counting import add_arguments, count_instructions, measurer, watchdog
from orderentry import Order, OuchLoad, resting_orders

WARMUP = 1000
_FRAME = struct.Struct(">HB")
#: OUCH 5.0 Enter Order without appendages (PROTOCOLS.md 2.6)
ENTER50 = struct.Struct(">cIcI8sQccccc14sH")


class Ouch50Load(OuchLoad):
    """An OUCH 5.0 session: the same orders as OUCH 4.2, by UserRefNum."""

    def encode(self, order: Order) -> bytes:
        side, shares, cents = order
        self.tokens += 1
        message = ENTER50.pack(
            b"O", self.tokens, b"B" if side == 1 else b"S", shares, b"ACME    ",
            cents * 100, b"0", b"Y", b"A", b"N", b"N", b"B%013d" % self.tokens, 0,
        )  # fmt: skip
        return _FRAME.pack(len(message) + 1, 0x55) + message


class Client:
    """Keeps a window of orders outstanding and counts the Accepted answers."""

    def __init__(self, load: OuchLoad) -> None:
        self.load = load
        self.orders = resting_orders(1)
        self.reads = 0

    async def run(self, orders: int, window: int) -> None:
        load = self.load
        sent = done = 0
        while done < orders:
            refill = min(window - (sent - done), orders - sent)
            if refill > 0:
                load.writer.write(b"".join(load.encode(next(self.orders)) for _ in range(refill)))
                sent += refill
            done += await load.acks()
            self.reads += 1


async def drive(args: argparse.Namespace, db: str | None) -> float:
    import anyio

    import exsim_ouch.plugin
    from exsim_core import Equity, Simulator
    from exsim_core.net import serve_endpoint
    from exsim_core.protocol import ProtocolContext
    from exsim_core.store import MemoryStore, SqliteStore
    from exsim_core.testing import register_plugin

    sim = Simulator(autoload=False)
    register_plugin(sim, exsim_ouch.plugin, name="ouch")
    venue = sim.create_venue("XSIM", timezone="UTC", end_of_day="23:59:59")
    venue.add_instrument(Equity(symbol="ACME", tick_size="0.01"))
    endpoint = sim.create_endpoint("OUCH", "ouch50" if args.v50 else "ouch42", "XSIM")
    sim.create_session("OUCH", "bench", {"username": "BENCH"}, password="bench")
    store = SqliteStore(db) if db else MemoryStore()
    cls = sim.protocol_class(endpoint.protocol)
    protocol = cls(endpoint, ProtocolContext(sim, venue, store))
    for session in endpoint.sessions.values():
        protocol.session_added(session)

    measured = measurer(args)

    elapsed = 0.0
    async with anyio.create_task_group() as tg:
        port = await tg.start(serve_endpoint, protocol)
        load = await (Ouch50Load if args.v50 else OuchLoad).login(port)
        client = Client(load)
        tg.start_soon(watchdog, lambda: client.reads)
        if args.orders:
            await client.run(WARMUP, args.window)
            elapsed = await measured(client.run(args.orders, args.window))
        load.writer.close()
        tg.cancel_scope.cancel()
    store.close()
    return elapsed


def callgrind(args: argparse.Namespace) -> None:
    """Run this script under callgrind, counting the measured orders only; print the
    instructions per order."""
    argv = ["--orders", str(args.orders), "--window", str(args.window)]
    argv += (["--db"] if args.db else []) + (["--v50"] if args.v50 else [])
    total = count_instructions(__file__, argv, args.keep)
    store = "sqlite" if args.db else "memory"
    version = "5.0" if args.v50 else "4.2"
    print(
        f"{total / args.orders:,.0f} instructions per order "
        f"(OUCH {version}, window {args.window}, {store} store, {args.orders} orders)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=20000, help="measured orders")
    parser.add_argument("--window", type=int, default=100, help="orders outstanding")
    parser.add_argument("--v50", action="store_true", help="OUCH 5.0 instead of 4.2")
    parser.add_argument("--db", action="store_true", help="exsim's SQLite store")
    add_arguments(parser)
    args = parser.parse_args()
    if args.callgrind:
        callgrind(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db") if args.db else None
        elapsed = asyncio.run(drive(args, db))
    if args.orders:
        print(f"{args.orders} orders in {elapsed:.3f} s: {args.orders / elapsed:,.0f} per second")


if __name__ == "__main__":
    main()
