"""FIX order-entry benchmark: round trip and sustained throughput against a FIX endpoint
on loopback, with the raw asyncio echo round trip as the baseline of the same run.

The venue runs in its own process (``--serve``), as the daemon would; the load client
runs here with a hand-made encoder so that it is not the bottleneck. The workload is
seeded: limit orders on one instrument, buys below 10.00 and sells above it, so every
order is acknowledged and rests (the measure is the order path, not matching).

Usage::

    python bench/fix_bench.py                 # store off (memory), 3 s per throughput run
    python bench/fix_bench.py --db            # exsim's SQLite store on
    python bench/fix_bench.py --seconds 10 --json results.json

Reports: echo p50/p99 (200-byte message), FIX round trip p50/p99 (NewOrderSingle ->
ack, one in flight), and orders/s with a window of outstanding orders over 1 and over
10 sessions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOH = b"\x01"


# --------------------------------------------------------------------------- server side
def serve(port_file: str, sessions: int, db: str | None) -> None:
    """Run a venue with one FIX 4.4 endpoint and an echo listener; write both ports."""
    import anyio

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
    for i in range(sessions):
        sim.create_session(
            "fix",
            f"B{i}",
            {"sender_comp_id": f"B{i}", "target_comp_id": "EXSIM"},
            params={"heartbeat_max": 3600},
        )
    store = SqliteStore(db) if db else MemoryStore()
    protocol = FixProtocol(endpoint, ProtocolContext(sim, sim.venue("XSIM"), store))
    for session in endpoint.sessions.values():
        protocol.session_added(session)

    class Echo(asyncio.Protocol):
        """The baseline: a raw asyncio protocol that writes back what it reads."""

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport = transport

        def data_received(self, data: bytes) -> None:
            self.transport.write(data)  # type: ignore[attr-defined]

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            tg.start_soon(sim.clock.run)  # type: ignore[attr-defined]
            port = await tg.start(serve_endpoint, protocol)
            server = await asyncio.get_running_loop().create_server(Echo, "127.0.0.1", 0)
            echo_port = server.sockets[0].getsockname()[1]
            Path(port_file).write_text(json.dumps({"fix": port, "echo": echo_port}))

    anyio.run(main)


# --------------------------------------------------------------------------- client side
class Timestamp:
    """SendingTime, recomputed once per second."""

    def __init__(self) -> None:
        self.second = 0
        self.text = b""

    def now(self) -> bytes:
        second = int(time.time())
        if second != self.second:
            self.second = second
            self.text = time.strftime("%Y%m%d-%H:%M:%S", time.gmtime(second)).encode()
        return self.text


STAMP = Timestamp()


def frame(body: bytes) -> bytes:
    msg = b"8=FIX.4.4\x019=%d\x01%s" % (len(body), body)
    return msg + b"10=%03d\x01" % (sum(msg) & 255)


class Client:
    """One FIX session of the load client."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, name: str, seed: int
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.name = name.encode()
        self.seq = 1
        self.rng = random.Random(seed)
        self.buf = b""
        self.next_id = 0

    @classmethod
    async def connect(cls, port: int, name: str, seed: int) -> Client:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        client = cls(reader, writer, name, seed)
        client.send(b"A", b"98=0\x01108=600\x01141=Y\x01")
        await client.read_messages(b"\x0135=A\x01", 1)
        return client

    def message(self, msg_type: bytes, body: bytes) -> bytes:
        seq = self.seq
        self.seq += 1
        return frame(
            b"35=%s\x0134=%d\x0149=%s\x0152=%s\x0156=EXSIM\x01%s"
            % (msg_type, seq, self.name, STAMP.now(), body)
        )

    def send(self, msg_type: bytes, body: bytes) -> None:
        self.writer.write(self.message(msg_type, body))

    def order(self) -> bytes:
        self.next_id += 1
        side = self.rng.choice((1, 2))
        ticks = self.rng.randint(1, 100)
        price = 1000 - ticks if side == 1 else 1000 + ticks
        return self.message(
            b"D",
            b"11=%d\x0155=ACME\x0154=%d\x0138=100\x0140=2\x0144=%d.%02d\x0159=0\x0160=%s\x01"
            % (self.next_id, side, price // 100, price % 100, STAMP.now()),
        )

    async def read_messages(self, wanted: bytes, count: int) -> int:
        """Read until ``count`` messages containing ``wanted`` have come; returns how many
        came (the last read may bring more)."""
        got = 0
        while got < count:
            data = await self.reader.read(65536)
            if not data:
                raise EOFError("the venue closed the connection")
            buf = self.buf + data
            pos = 0
            while True:
                end = buf.find(b"\x0110=", pos)
                if end < 0 or len(buf) < end + 8:
                    break
                if buf.find(wanted, pos, end) >= 0:
                    got += 1
                pos = end + 8
            self.buf = buf[pos:]
        return got

    async def acks(self, count: int) -> None:
        await self.read_messages(b"\x0135=8\x01", count)


def _percentiles(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {
        "p50_us": round(statistics.median(samples) * 1e6, 1),
        "p99_us": round(samples[int(len(samples) * 0.99) - 1] * 1e6, 1),
        "n": len(samples),
    }


async def echo_round_trip(port: int, n: int) -> dict[str, float]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    payload = b"x" * 200
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        writer.write(payload)
        got = 0
        while got < 200:
            got += len(await reader.read(65536))
        samples.append(time.perf_counter() - t)
    writer.close()
    return _percentiles(samples[n // 10 :])


async def fix_round_trip(port: int, n: int) -> dict[str, float]:
    client = await Client.connect(port, "B0", seed=1)
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        client.writer.write(client.order())
        await client.acks(1)
        samples.append(time.perf_counter() - t)
    client.writer.close()
    return _percentiles(samples[n // 10 :])


async def throughput(
    port: int, sessions: int, window: int, seconds: float, first: int
) -> dict[str, float]:
    clients = [await Client.connect(port, f"B{first + i}", seed=100 + i) for i in range(sessions)]
    done = 0
    stop = time.perf_counter() + seconds

    async def run(client: Client) -> None:
        nonlocal done
        per = max(1, window // sessions)
        client.writer.write(b"".join(client.order() for _ in range(per)))
        outstanding = per
        while time.perf_counter() < stop:
            got = await client.read_messages(b"\x0135=8\x01", 1)
            done += got
            outstanding -= got
            refill = per - outstanding
            client.writer.write(b"".join(client.order() for _ in range(refill)))
            outstanding += refill

    t = time.perf_counter()
    await asyncio.gather(*(run(c) for c in clients))
    elapsed = time.perf_counter() - t
    for c in clients:
        c.writer.close()
    return {"orders_per_s": round(done / elapsed), "sessions": sessions, "window": window}


async def client_main(ports: dict[str, int], args: argparse.Namespace) -> dict[str, object]:
    return {
        "echo_200B": await echo_round_trip(ports["echo"], args.round_trips),
        "fix_round_trip": await fix_round_trip(ports["fix"], args.round_trips),
        "throughput_1_session": await throughput(ports["fix"], 1, args.window, args.seconds, 1),
        "throughput_10_sessions": await throughput(ports["fix"], 10, args.window, args.seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", metavar="PORT_FILE", help=argparse.SUPPRESS)
    parser.add_argument("--db", action="store_true", help="run the venue with exsim's SQLite store")
    parser.add_argument("--db-file", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each throughput run")
    parser.add_argument("--window", type=int, default=100, help="outstanding orders (in total)")
    parser.add_argument("--round-trips", type=int, default=2000, help="round trips measured")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--sessions", type=int, default=12, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.sessions, args.db_file)
        return
    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "ports.json"
        command = [sys.executable, __file__, "--serve", str(port_file)]
        if args.db:
            command += ["--db-file", str(Path(tmp) / "bench.db")]
        server = subprocess.Popen(command, env=os.environ | {"EXSIM_DISABLE_PLUGIN_AUTOLOAD": ""})
        try:
            deadline = time.time() + 30
            while not port_file.exists() or not port_file.read_text():
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit("the venue did not start")
                time.sleep(0.05)
            ports = json.loads(port_file.read_text())
            results = asyncio.run(client_main(ports, args))
        finally:
            server.terminate()
            server.wait(10)
    results["store"] = "sqlite" if args.db else "memory"
    fix_p50 = results["fix_round_trip"]["p50_us"]  # type: ignore[index]
    echo_p50 = results["echo_200B"]["p50_us"]  # type: ignore[index]
    results["ratio_p50_fix_to_echo"] = round(fix_p50 / echo_p50, 2)
    print(json.dumps(results, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
