"""Order-entry load over a socket, one method for every protocol: the seeded workload,
the two measurements, and the protocols' encoders (OUCH 4.2, FIX 4.4).

* **workload** (:func:`resting_orders`): seeded limit orders on ACME that never cross —
  buys 0.01 to 1.00 below 100.00, sells as far above, 100 to 1,000 shares — so each
  order is answered by exactly one acknowledgement (OUCH Accepted, FIX ExecutionReport
  New) and rests: the measure is the order path, not matching;
* **round trip** (:func:`round_trip`): one order in flight; from writing it to reading
  its acknowledgement; p50 and p99 after the first tenth (warm-up);
* **throughput** (:func:`throughput`): ``window`` orders in flight on one session for
  ``seconds``, refilled as acknowledgements are read; acknowledgements per second.

The load clients encode by hand and read minimally, so that they are not what is
measured. :data:`DAEMON_CONFIG` is the venue every benchmark serves with ``exsim serve``.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import struct
import time
from collections.abc import Iterator
from typing import Any, Protocol

from fix_bench import STAMP
from fix_bench import Client as FixClient

Order = tuple[int, int, int]

#: the venue: ACME on one OUCH 4.2 endpoint (login BENCH) and one FIX 4.4 endpoint
#: (SenderCompID B0, TargetCompID EXSIM), wall clock, in-memory store unless --db
DAEMON_CONFIG: dict[str, Any] = {
    "simulator": {"clock": "wall"},
    "venues": [
        {
            "name": "XBENCH",
            "timezone": "UTC",
            "end_of_day": "23:59:59",
            "instruments": [{"asset_class": "equity", "symbol": "ACME", "tick_size": "0.01"}],
        }
    ],
    "endpoints": [
        {
            "name": "ouch",
            "protocol": "ouch42",
            "venue": "XBENCH",
            "sessions": [{"id": "bench", "identity": {"username": "BENCH"}, "password": "bench"}],
        },
        {
            "name": "fix",
            "protocol": "fix",
            "venue": "XBENCH",
            "sessions": [
                {"id": "B0", "identity": {"sender_comp_id": "B0", "target_comp_id": "EXSIM"}}
            ],
        },
    ],
}

MID_CENTS = 10_000


def resting_orders(seed: int) -> Iterator[Order]:
    """Seeded orders ``(side, shares, price in cents)`` that never cross (see above)."""
    rng = random.Random(seed)
    while True:
        side = 1 if rng.random() < 0.5 else 2
        ticks = rng.randint(1, 100)
        price = MID_CENTS - ticks if side == 1 else MID_CENTS + ticks
        yield side, rng.randint(1, 10) * 100, price


class Load(Protocol):
    """One logged-in order-entry session of a load client."""

    writer: asyncio.StreamWriter

    def encode(self, order: Order) -> bytes:
        """One order's bytes on the wire."""

    async def acks(self) -> int:
        """Read once from the socket; how many acknowledgements came (maybe 0)."""


# ---------------------------------------------------------------------- OUCH 4.2
ENTER = struct.Struct(">c14scI8sII4scccIcc")
_FRAME = struct.Struct(">HB")


class OuchLoad:
    """An OUCH 4.2 session over SoupBinTCP."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.buf = b""
        self.tokens = 0

    @classmethod
    async def login(cls, port: int, user: str = "BENCH", password: str = "bench") -> OuchLoad:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        login = user.encode().ljust(6) + password.encode().ljust(10) + b" " * 10 + b"0".rjust(20)
        writer.write(_FRAME.pack(len(login) + 1, 0x4C) + login)
        head = await reader.readexactly(3)
        length, ptype = _FRAME.unpack(head)
        await reader.readexactly(length - 1)
        if ptype != 0x41:
            raise RuntimeError(f"OUCH login refused (packet type {chr(ptype)!r})")
        return cls(reader, writer)

    def encode(self, order: Order) -> bytes:
        side, shares, cents = order
        self.tokens += 1
        message = ENTER.pack(
            b"O", b"B%013d" % self.tokens, b"B" if side == 1 else b"S", shares, b"ACME    ",
            cents * 100, 99998, b"    ", b"Y", b"A", b"N", 0, b"N", b" ",
        )  # fmt: skip
        return _FRAME.pack(len(message) + 1, 0x55) + message

    async def acks(self) -> int:
        data = await self.reader.read(65536)
        if not data:
            raise EOFError("the venue closed the OUCH connection")
        buf = self.buf + data
        count = pos = 0
        end = len(buf)
        while pos + 3 <= end:
            length = (buf[pos] << 8) | buf[pos + 1]
            if pos + 2 + length > end:
                break
            if buf[pos + 2] == 0x53:  # Sequenced Data
                if buf[pos + 3] == 0x41:  # Accepted
                    count += 1
                elif buf[pos + 3] != 0x53:  # anything but a System Event is a surprise
                    raise RuntimeError(f"unexpected OUCH answer {buf[pos + 3 : pos + 4]!r}")
            pos += 2 + length
        self.buf = buf[pos:]
        return count


# ---------------------------------------------------------------------- FIX 4.4
class FixLoad:
    """A FIX 4.4 session (the load client of ``bench/fix_bench.py``)."""

    def __init__(self, client: FixClient) -> None:
        self.client = client
        self.writer = client.writer
        self.next_id = 0

    @classmethod
    async def login(cls, port: int, sender: str = "B0") -> FixLoad:
        return cls(await FixClient.connect(port, sender, seed=0))

    def encode(self, order: Order) -> bytes:
        side, shares, cents = order
        self.next_id += 1
        return self.client.message(
            b"D",
            b"11=%d\x0155=ACME\x0154=%d\x0138=%d\x0140=2\x0144=%d.%02d\x0159=0\x0160=%s\x01"
            % (self.next_id, side, shares, cents // 100, cents % 100, STAMP.now()),
        )

    async def acks(self) -> int:
        return await self.client.read_messages(b"\x0135=8\x01", 1)


# ---------------------------------------------------------------------- measurements
async def _wait(load: Load, count: int) -> int:
    """Read until at least ``count`` acknowledgements came; how many came."""
    got = 0
    while got < count:
        got += await load.acks()
    return got


async def round_trip(load: Load, orders: Iterator[Order], n: int) -> dict[str, float]:
    """p50/p99 (µs) of order -> acknowledgement with one order in flight."""
    samples = []
    for _ in range(n):
        data = load.encode(next(orders))
        start = time.perf_counter()
        load.writer.write(data)
        await _wait(load, 1)
        samples.append(time.perf_counter() - start)
    kept = sorted(samples[n // 10 :])
    return {
        "p50_us": round(statistics.median(kept) * 1e6, 1),
        "p99_us": round(kept[max(0, int(len(kept) * 0.99) - 1)] * 1e6, 1),
        "round_trips": len(kept),
    }


async def throughput(
    load: Load, orders: Iterator[Order], window: int, seconds: float
) -> dict[str, float]:
    """Acknowledgements per second with ``window`` orders in flight on one session."""
    write = load.writer.write
    encode = load.encode
    write(b"".join(encode(next(orders)) for _ in range(window)))
    outstanding = window
    done = 0
    start = time.perf_counter()
    stop = start + seconds
    while time.perf_counter() < stop:
        got = await _wait(load, 1)
        done += got
        outstanding -= got
        refill = window - outstanding
        write(b"".join(encode(next(orders)) for _ in range(refill)))
        outstanding += refill
    done += await _wait(load, outstanding)
    elapsed = time.perf_counter() - start
    return {"acks_per_s": round(done / elapsed), "window": window, "acks": done, "seconds": elapsed}
