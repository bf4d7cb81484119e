"""After a busy session of ``fast`` bots (exsim-bots) on two books, with OUCH 4.2 and 5.0
clients trading among them, the ITCH stream alone rebuilds every book of a spawned
daemon exactly as its engine holds it (L3: ``book.resting(side)``, read through the
management API), over SoupBinTCP (replayed from message 1) and over MoldUDP64 (the
datagrams received, gaps filled with re-requests).

The daemon runs on a manual clock that the test advances through the management API,
so the bots' seeded order flow is the same every run."""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
from collections.abc import Iterator
from typing import Any

import ouch50wire as w50
import ouchwire as w42
import pytest
from itchbook import ItchBook
from ouchclients import OuchClient
from soupwire import SoupClient

from exsim_core import Client, DaemonProcess, spawn

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

#: symbol -> reference price (4 implied decimals)
MIDS = {"ACME": 1_000_000, "WIDG": 250_000}
TICK = 100
STEPS = 120
STEP_SECONDS = "0.5"
TIMEOUT = 30.0


def config(dest_port: int) -> dict[str, Any]:
    instruments = [
        {
            "asset_class": "equity",
            "symbol": symbol,
            "tick_size": "0.01",
            "lot_size": "1",
            "reference_price": f"{mid / 10000:.2f}",
        }
        for symbol, mid in MIDS.items()
    ]
    feed = {"id": "feed", "identity": {"username": "FEED"}, "password": "secret"}
    return {
        "simulator": {"clock": "manual", "seed": 11},
        "venues": [{"name": "XNAS", "stp_mode": "off", "instruments": instruments}],
        "endpoints": [
            {
                "name": "ouch42",
                "protocol": "ouch42",
                "venue": "XNAS",
                "sessions": [
                    {
                        "id": "client42",
                        "identity": {"username": "CLIENT"},
                        "password": "secret",
                        "params": {"firm": "CLNT"},
                    }
                ],
            },
            {
                "name": "ouch50",
                "protocol": "ouch50",
                "venue": "XNAS",
                "sessions": [
                    {"id": "client50", "identity": {"username": "CLIENT"}, "password": "secret"}
                ],
            },
            {"name": "itch", "protocol": "itch50", "venue": "XNAS", "sessions": [feed]},
            {
                "name": "mold",
                "protocol": "itch50_mold",
                "venue": "XNAS",
                "params": {"dest_port": dest_port},
            },
        ],
        "bots": [
            {
                "kind": "activity",
                "venue": "XNAS",
                "symbol": s,
                "seed": i,
                "params": {"level": "fast"},
            }
            for i, s in enumerate(MIDS, 1)
        ],
    }


class MoldReceiver:
    """Collects MoldUDP64 packets from a UDP socket in a thread: ``packets`` maps the
    number of each packet's first message to its messages.

    Loopback rarely loses a datagram, so the receiver loses some on purpose: every
    ``drop_every``-th packet of the live stream is thrown away, and the messages it
    held have to be asked for again.
    """

    def __init__(self, drop_every: int = 25) -> None:
        self.drop_every = drop_every
        self.received = 0
        #: live packets thrown away, and re-requests sent
        self.dropped = 0
        self.rerequests = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port: int = self.sock.getsockname()[1]
        self.session = b""
        self.packets: dict[int, list[bytes]] = {}
        self.changed = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                continue
            session, first, count = struct.unpack(">10sQH", data[:20])
            if count in (0, 0xFFFF):
                continue
            self.received += 1
            if self.drop_every and self.received % self.drop_every == 0:
                self.dropped += 1
                continue
            messages, pos = [], 20
            for _ in range(count):
                (length,) = struct.unpack(">H", data[pos : pos + 2])
                messages.append(data[pos + 2 : pos + 2 + length])
                pos += 2 + length
            with self.changed:
                self.session = session
                self.packets[first] = messages
                self.changed.notify_all()

    def missing(self, end: int) -> list[tuple[int, int]]:
        """The ranges (first, count) of messages 1 to ``end`` not received yet."""
        with self.changed:
            spans = [(first, len(batch)) for first, batch in self.packets.items()]
        have = bytearray(end + 1)
        for first, count in spans:
            stop = min(first + count, end + 1)
            if stop > first:
                have[first:stop] = b"\x01" * (stop - first)
        gaps: list[tuple[int, int]] = []
        for seq in range(1, end + 1):
            if not have[seq]:
                if gaps and sum(gaps[-1]) == seq:
                    gaps[-1] = (gaps[-1][0], gaps[-1][1] + 1)
                else:
                    gaps.append((seq, 1))
        return gaps

    def complete(self, end: int, server: int, timeout: float) -> list[bytes]:
        """Messages 1 to ``end``, asking ``server`` again for those that were lost."""
        self.drop_every = 0
        deadline = time.monotonic() + timeout
        while gaps := self.missing(end):
            assert time.monotonic() < deadline, f"MoldUDP64 messages still missing: {gaps[:5]}"
            with self.changed:
                got = len(self.packets)
                for first, count in gaps[:64]:
                    request = self.session + struct.pack(">QH", first, min(count, 0xFFFE))
                    self.sock.sendto(request, ("127.0.0.1", server))
                    self.rerequests += 1
                self.changed.wait_for(lambda got=got: len(self.packets) > got, timeout=1.0)
        out: list[bytes] = []
        seq = 1
        while seq <= end:
            batch = self.packets[seq]
            out += batch
            seq += len(batch)
        return out[:end]

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture(scope="module")
def mold() -> Iterator[MoldReceiver]:
    receiver = MoldReceiver()
    yield receiver
    receiver.close()


@pytest.fixture(scope="module")
def daemon(mold: MoldReceiver) -> Iterator[DaemonProcess]:
    with spawn(config(mold.port)) as process:
        yield process


class Trader:
    """An OUCH 4.2 client keeping track of its live orders from what the venue says,
    so that it cancels and replaces only orders that are live (each of its messages
    is answered, none is ignored)."""

    def __init__(self, client: OuchClient, rng: random.Random) -> None:
        self.client = client
        self.rng = rng
        #: live orders: token -> (open shares, display)
        self.live: dict[str, tuple[int, str]] = {}
        self.count = 0

    def token(self) -> str:
        self.count += 1
        return f"T{self.count:05d}"

    async def step(self, symbol: str, mid: int) -> None:
        rng = self.rng
        self.track(await self.client.settle())  # what the bots did to its orders
        side = rng.choice("BS")
        away = rng.randint(-6, 25) * TICK
        price = mid - away if side == "B" else mid + away
        display = rng.choice("YYAP") if away > 0 else rng.choice("YA")
        tif = 0 if rng.random() < 0.2 else 99998
        shares = rng.randint(1, 30) * 10
        await self.client.send(
            w42.enter(self.token(), side, shares, symbol, price, tif=tif, display=display)
        )
        changeable = sorted(t for t, (_, d) in self.live.items() if d != "P")
        if changeable and rng.random() < 0.5:
            token = rng.choice(changeable)
            open_shares, display = self.live[token]
            if rng.random() < 0.5:
                await self.client.send(w42.cancel(token, rng.choice((0, open_shares // 2))))
            else:
                new_price = mid + rng.randint(-2, 2) * TICK
                new = w42.replace(
                    token, self.token(), rng.randint(1, 30) * 10, new_price, display=display
                )
                await self.client.send(new)
        self.track(await self.client.settle())

    def track(self, messages: list[dict[str, Any]]) -> None:
        live = self.live
        for m in messages:
            kind, token = m["type"], m.get("token")
            if kind == "A" and m["tif"]:
                live[token] = (m["shares"], m["display"])
            elif kind == "U":
                live.pop(m["previous"], None)
                live[token] = (m["shares"], m["display"])
            elif kind in "EC" and token in live:
                gone = m["shares"] if kind == "E" else m["decrement"]
                shares, display = live[token]
                if shares > gone:
                    live[token] = (shares - gone, display)
                else:
                    del live[token]


async def busy_session(daemon: DaemonProcess, api: Client) -> None:
    rng = random.Random(20260105)
    trader = Trader(await OuchClient.login(daemon.port("ouch42"), "CLIENT"), rng)
    client50 = await OuchClient.login(daemon.port("ouch50"), "CLIENT", "5.0")
    urn = 0
    try:
        for step in range(STEPS):
            symbol = rng.choice(sorted(MIDS))
            await trader.step(symbol, MIDS[symbol])
            if step % 3 == 0:
                urn += 1
                side = rng.choice("BS")
                away = rng.randint(-4, 15) * TICK
                price = MIDS[symbol] - away if side == "B" else MIDS[symbol] + away
                await client50.send(w50.enter(urn, side, rng.randint(1, 20) * 10, symbol, price))
                await client50.settle()
            api.advance_clock(seconds=STEP_SECONDS)
    finally:
        await trader.client.logout()
        await client50.logout()


async def itch_over_soupbintcp(port: int) -> list[bytes]:
    """Every message of the feed's session: learn where it ends, then replay from 1."""
    probe = await SoupClient.connect(port)
    _, next_seq = await probe.login("FEED", "secret", sequence=0)
    await probe.aclose()
    client = await SoupClient.connect(port)
    await client.login("FEED", "secret", sequence=1)
    messages = [await client.sequenced(TIMEOUT) for _ in range(next_seq - 1)]
    await client.aclose()
    return messages


def p4(price: str) -> int:
    units, _, fraction = price.partition(".")
    return int(units) * 10000 + int(fraction.ljust(4, "0"))


def assert_books_equal(api: Client, rebuilt: ItchBook) -> None:
    """Each side of each book, in priority order, as (price, shares). Every order of
    this session shows all it has (no reserve, no peg), so the shares ITCH displays are
    the engine's leaves."""
    for symbol in MIDS:
        book = api.book("XNAS", symbol, orders=True)
        for side, letter in (("bids", "B"), ("asks", "S")):
            engine = [(p4(o["price"]), int(o["leaves_qty"])) for o in book["orders"][side]]
            assert rebuilt.side(symbol, letter) == engine, (symbol, letter)


async def test_itch_rebuilds_every_book_after_busy_bots_over_both_transports(
    daemon: DaemonProcess, mold: MoldReceiver
) -> None:
    with daemon.client() as api:
        await busy_session(daemon, api)
        soup = await itch_over_soupbintcp(daemon.port("itch"))
        # both feeds follow the same venue from the same moment: the same messages
        mold_messages = mold.complete(len(soup), daemon.port("mold"), TIMEOUT)
        assert mold_messages == soup
        assert mold.rerequests >= mold.dropped > 10
        over_soup, over_mold = ItchBook(), ItchBook()
        for message in soup:
            over_soup.apply(message)
        for message in mold_messages:
            over_mold.apply(message)
        assert_books_equal(api, over_soup)
        assert_books_equal(api, over_mold)
        volume = sum(int(api.book("XNAS", s)["volume"]) for s in MIDS)
        trades = api.trades("XNAS", limit=100_000)
    assert sum(q for _, q, _ in over_soup.trades) == volume
    assert len(over_soup.trades) == len(trades)
    import collections

    print(collections.Counter(m[:1] for m in soup), len(trades), volume)
    assert len(soup) > 20_000
    assert {m[:1] for m in soup} >= {b"A", b"F", b"E", b"X", b"D", b"U"}
    assert sum(len(orders) > 20 for orders in _sides(over_soup)) == 4


def _sides(book: ItchBook) -> list[list[tuple[int, int]]]:
    return [book.side(s, letter) for s in MIDS for letter in "BS"]
