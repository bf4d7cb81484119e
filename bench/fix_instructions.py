"""Instructions per FIX order, counted by callgrind: a load-independent measure.

One process runs both sides on 127.0.0.1: a venue with one FIX 4.4 endpoint (as in
``bench/fix_bench.py``: instrument ACME, price-time matching, orders that rest) and a
minimal load client that keeps a window of NewOrderSingles outstanding until ``--orders``
have been acknowledged, after a warm-up of 1,000 orders.

``--callgrind`` runs the same under callgrind and counts the instructions of the measured
orders only: a small helper, compiled on the spot from valgrind's ``callgrind.h``, starts
the count after the warm-up and stops it after the last acknowledgement (start-up runs
uninstrumented, so a run takes a minute or two). Hash randomisation is off, so the count
repeats to within a fraction of a percent. The count covers the whole stack: the venue,
the event loop, the sockets and the load client (a small, fixed share)::

    ./uvw run python bench/fix_instructions.py --callgrind --orders 3000
    ./uvw run python bench/fix_instructions.py --callgrind --orders 3000 --window 1
    ./uvw run python bench/fix_instructions.py --callgrind --orders 3000 --db

``--window 1`` measures the round-trip path (one order in flight); ``--db`` puts the
session on exsim's SQLite store; ``--echo`` counts, as the baseline of the round trip,
200-byte round trips through an anyio echo server (as in ``bench/fix_bench.py``). Run
directly, the script prints the wall time of the run and, with ``--profile N``, the top N
functions of a cProfile of it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import tempfile
import time
from pathlib import Path

from counting import add_arguments, count_instructions, measurer, watchdog

WARMUP = 1000
ECHO_SIZE = 200


def frame(body: bytes) -> bytes:
    msg = b"8=FIX.4.4\x019=%d\x01%s" % (len(body), body)
    return msg + b"10=%03d\x01" % (sum(msg) & 255)


class Client:
    """A FIX 4.4 initiator that sends resting limit orders and counts the acks."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.seq = 1
        self.rng = random.Random(1)
        self.buf = b""
        self.next_id = 0
        self.reads = 0
        self.second = 0
        self.text = b""

    @property
    def stamp(self) -> bytes:
        """SendingTime and TransactTime, formatted once a second (the venue refuses
        times too far from its clock, and a run under callgrind takes minutes)."""
        second = int(time.time())
        if second != self.second:
            self.second = second
            self.text = time.strftime("%Y%m%d-%H:%M:%S", time.gmtime(second)).encode()
        return self.text

    def message(self, msg_type: bytes, body: bytes) -> bytes:
        seq = self.seq
        self.seq += 1
        return frame(
            b"35=%s\x0134=%d\x0149=B0\x0152=%s.000\x0156=EXSIM\x01%s"
            % (msg_type, seq, self.stamp, body)
        )

    def order(self) -> bytes:
        self.next_id += 1
        side = self.rng.choice((1, 2))
        ticks = self.rng.randint(1, 100)
        price = 1000 - ticks if side == 1 else 1000 + ticks
        return self.message(
            b"D",
            b"11=%d\x0155=ACME\x0154=%d\x0138=100\x0140=2\x0144=%d.%02d\x0159=0\x0160=%s.000\x01"
            % (self.next_id, side, price // 100, price % 100, self.text),
        )

    async def count(self, wanted: bytes) -> int:
        """Read once; how many complete messages containing ``wanted`` came."""
        data = await self.reader.read(65536)
        self.reads += 1
        if not data:
            raise EOFError("the venue closed the connection")
        for refusal in (b"\x0135=3\x01", b"\x0135=j\x01", b"\x0135=5\x01", b"\x0139=8\x01"):
            if refusal in data:
                raise RuntimeError(f"the venue refused an order: {data[-400:]!r}")
        buf = self.buf + data
        pos = got = 0
        while True:
            end = buf.find(b"\x0110=", pos)
            if end < 0 or len(buf) < end + 8:
                break
            if buf.find(wanted, pos, end) >= 0:
                got += 1
            pos = end + 8
        self.buf = buf[pos:]
        return got

    async def run(self, orders: int, window: int) -> None:
        sent = done = 0
        while done < orders:
            refill = min(window - (sent - done), orders - sent)
            if refill > 0:
                self.writer.write(b"".join(self.order() for _ in range(refill)))
                sent += refill
            done += await self.count(b"\x0135=8\x01")


async def echo_round_trips(port: int, count: int) -> None:
    """``count`` round trips of a 200-byte message through an echo server."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    payload = b"x" * ECHO_SIZE
    for _ in range(count):
        writer.write(payload)
        got = 0
        while got < ECHO_SIZE:
            data = await reader.read(65536)
            if not data:
                raise EOFError("the echo server closed the connection")
            got += len(data)
    writer.close()


async def drive(args: argparse.Namespace, db: str | None) -> float:
    import anyio
    import anyio.abc

    from exsim_core import Equity, Simulator
    from exsim_core.net import serve_endpoint
    from exsim_core.protocol import ProtocolContext
    from exsim_core.store import MemoryStore, SqliteStore
    from exsim_fix import FixProtocol

    sim = Simulator()
    sim.create_venue("XSIM").add_instrument(
        Equity.model_validate({"symbol": "ACME", "tick_size": "0.01"})
    )
    endpoint = sim.create_endpoint("fix", "fix", "XSIM")
    sim.create_session(
        "fix",
        "B0",
        {"sender_comp_id": "B0", "target_comp_id": "EXSIM"},
        params={"heartbeat_max": 3600},
    )
    store = SqliteStore(db) if db else MemoryStore()
    protocol = FixProtocol(endpoint, ProtocolContext(sim, sim.venue("XSIM"), store))
    for session in endpoint.sessions.values():
        protocol.session_added(session)

    async def echo(stream: anyio.abc.SocketStream) -> None:
        async with stream:
            with contextlib.suppress(anyio.EndOfStream, anyio.BrokenResourceError):
                while True:
                    await stream.send(await stream.receive())

    measured = measurer(args)

    elapsed = 0.0
    async with anyio.create_task_group() as tg:
        if args.echo:
            listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=0)
            tg.start_soon(listener.serve, echo)
            port = listener.extra(anyio.abc.SocketAttribute.local_port)
            await echo_round_trips(port, WARMUP)
            elapsed = await measured(echo_round_trips(port, args.orders))
            tg.cancel_scope.cancel()
            return elapsed
        port = await tg.start(serve_endpoint, protocol)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        client = Client(reader, writer)
        tg.start_soon(watchdog, lambda: client.reads)
        writer.write(client.message(b"A", b"98=0\x01108=600\x01141=Y\x01"))
        while not await client.count(b"\x0135=A\x01"):
            pass
        if args.orders:
            await client.run(WARMUP, args.window)
            elapsed = await measured(client.run(args.orders, args.window))
        writer.close()
        tg.cancel_scope.cancel()
    store.close()
    return elapsed


def callgrind(args: argparse.Namespace) -> None:
    """Run this script under callgrind, counting the measured orders only; print the
    instructions per order."""
    argv = ["--orders", str(args.orders), "--window", str(args.window)]
    argv += (["--db"] if args.db else []) + (["--echo"] if args.echo else [])
    total = count_instructions(__file__, argv, args.keep)
    if args.echo:
        print(f"{total / args.orders:,.0f} instructions per echo round trip ({ECHO_SIZE} bytes)")
        return
    store = "sqlite" if args.db else "memory"
    print(
        f"{total / args.orders:,.0f} instructions per order "
        f"(window {args.window}, {store} store, {args.orders} orders)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=20000, help="measured orders")
    parser.add_argument("--window", type=int, default=100, help="orders outstanding")
    parser.add_argument("--db", action="store_true", help="exsim's SQLite store")
    parser.add_argument(
        "--echo", action="store_true", help="round trips of 200 bytes through an echo server"
    )
    add_arguments(parser)
    args = parser.parse_args()
    if args.callgrind:
        callgrind(args)
        return
    os.environ.setdefault("EXSIM_DISABLE_PLUGIN_AUTOLOAD", "")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db") if args.db else None
        elapsed = asyncio.run(drive(args, db))
    if args.orders:
        what = "echo round trips" if args.echo else "orders"
        print(f"{args.orders} {what} in {elapsed:.3f} s: {args.orders / elapsed:,.0f} per second")


if __name__ == "__main__":
    main()
