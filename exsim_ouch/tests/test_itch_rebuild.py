"""Every book rebuilt from the ITCH stream alone equals the engine's L3 book, after a
busy seeded session of many clients: adds, cancels, replaces, marketable and market
orders, reserve (iceberg) orders, pegged orders, expiries and halts. Checked over
SoupBinTCP (the feed starting mid-session, from a snapshot) and over MoldUDP64 (filling
gaps with re-requests)."""

from __future__ import annotations

import random
import struct

import anyio
import pytest
from itchbook import ItchBook
from soupwire import SoupClient

from exsim_core import BUY, SELL, Cancel, ManualClock, Order, PegType, Replace, Simulator, Venue
from exsim_core.events import TRADE
from exsim_core.testing import running_endpoint

pytestmark = pytest.mark.anyio

MIDS = {"ACME": 1000, "WIDG": 2500}
SESSIONS = [f"client{i}" for i in range(12)]


def busy_session(venue: Venue, clock: ManualClock, rng: random.Random, steps: int) -> None:
    """A seeded random order flow from many clients."""
    for _ in range(steps):
        symbol = rng.choice(sorted(MIDS))
        mid = MIDS[symbol]
        session = rng.choice(SESSIONS)
        side = rng.choice((BUY, SELL))
        away = rng.randint(-3, 12)
        price = mid - away if side == BUY else mid + away
        live = sorted(
            (o for o in venue.orders.values() if o.symbol == symbol), key=lambda o: o.order_id
        )
        r = rng.random()
        if r < 0.35:
            qty = rng.randint(1, 30) * 10
            display = rng.choice((0, 0, 0, 20, 50)) if qty > 50 else 0
            tif = rng.choice((0, 0, 0, 6))
            expire = clock.now_ns() + rng.randint(1, 50) * 10**6 if tif == 6 else None
            venue.submit(
                Order(
                    symbol,
                    side,
                    qty,
                    price,
                    tif=tif,
                    display=display,
                    expire_ns=expire,
                    session=session,
                )
            )
        elif r < 0.45:
            through = mid + rng.randint(0, 8) if side == BUY else mid - rng.randint(0, 8)
            venue.submit(
                Order(symbol, side, rng.randint(1, 40) * 10, through, tif=3, session=session)
            )
        elif r < 0.48:
            venue.submit(
                Order(symbol, side, rng.randint(1, 20) * 10, None, "market", tif=3, session=session)
            )
        elif r < 0.53:
            peg = rng.choice((PegType.MIDPOINT, PegType.PRIMARY, PegType.MARKET))
            offset = rng.randint(-2, 0) if side == BUY else rng.randint(0, 2)
            venue.submit(
                Order(
                    symbol,
                    side,
                    rng.randint(1, 10) * 10,
                    None,
                    "peg",
                    peg=peg,
                    peg_offset=offset,
                    session=session,
                )
            )
        elif r < 0.70 and live:
            order = rng.choice(live)
            leaves_to = rng.choice((0, 0, order.leaves // 2))
            venue.cancel(Cancel(order.order_id, order.session, leaves_to=leaves_to))
        elif r < 0.88 and live:
            order = rng.choice(live)
            change = rng.random()
            if change < 0.4 and order.price is not None:
                venue.replace(
                    Replace(order.order_id, order.session, price=order.price + rng.randint(-3, 3))
                )
            elif change < 0.7:
                venue.replace(
                    Replace(
                        order.order_id, order.session, qty=order.cum_qty + rng.randint(1, 40) * 10
                    )
                )
            else:
                venue.replace(
                    Replace(
                        order.order_id, order.session, qty=order.cum_qty + max(1, order.leaves // 2)
                    )
                )
        elif r < 0.89:
            venue.set_status("halted", symbol)
            clock.advance(ns=rng.randint(1, 10**6))
            venue.set_status("open", symbol)
        clock.advance(ns=rng.randint(0, 2 * 10**6))


def assert_books_equal(venue: Venue, rebuilt: ItchBook) -> None:
    for symbol in MIDS:
        book = venue.book(symbol)
        for side, letter in ((BUY, "B"), (SELL, "S")):
            engine = [(o.level.price * 100, o.shown) for o in book.resting(side)]
            assert rebuilt.side(symbol, letter) == engine, (symbol, letter)


def volume(venue: Venue) -> list[int]:
    traded: list[int] = []
    venue.subscribe(lambda batch, now: traded.extend(e[4] for e in batch if e[0] == TRADE))
    return traded


@pytest.fixture
def busy_sim(sim: Simulator, venue: Venue) -> Simulator:
    sim.create_endpoint("ITCH", "itch50", "XNAS")
    sim.create_session("ITCH", "feed", {"username": "FEED"}, password="secret", role="market_data")
    return sim


async def read_all(port: int) -> list[bytes]:
    """Every message of the current session: learn the end, then replay from 1."""
    probe = await SoupClient.connect(port)
    _, next_seq = await probe.login("FEED", "secret", sequence=0)
    client = await SoupClient.connect(port)
    await client.login("FEED", "secret", sequence=1)
    return [await client.sequenced() for _ in range(next_seq - 1)]


async def test_books_rebuilt_from_itch_over_soupbintcp_equal_the_engines(
    busy_sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    rng = random.Random(20260105)
    busy_session(venue, clock, rng, 1500)
    traded = volume(venue)
    async with running_endpoint(busy_sim, "ITCH") as port:
        busy_session(venue, clock, rng, 3000)
        messages = await read_all(port)
    rebuilt = ItchBook()
    for message in messages:
        rebuilt.apply(message)
    assert_books_equal(venue, rebuilt)
    assert sum(q for _, q, _ in rebuilt.trades) == sum(traded)
    assert len(rebuilt.orders) > 20
    kinds = {m[:1] for m in messages}
    assert kinds >= {b"A", b"E", b"X", b"D", b"U", b"H"}


async def test_books_rebuilt_from_itch_over_moldudp64_equal_the_engines(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    async with await anyio.create_udp_socket(local_host="127.0.0.1") as receiver:
        port = receiver.extra(anyio.abc.SocketAttribute.local_port)
        sim.create_endpoint("MOLD", "itch50_mold", "XNAS", params={"dest_port": port})
        packets: dict[int, list[bytes]] = {}
        async with running_endpoint(sim, "MOLD"):
            server = sim.endpoint("MOLD").port
            busy_session(venue, clock, random.Random(7), 3000)
            end = 0
            session = b""
            # the manual clock moves only when told: each second of venue time without
            # output makes the feed send a heartbeat, which says where the stream ends
            for _ in range(20):
                clock.advance(seconds=1)
                with anyio.move_on_after(0.5):
                    while not end:
                        data = await receiver.receive()
                        session = data[0][:10]
                        first, count = _header(data[0])
                        if count == 0:
                            end = first
                        else:
                            packets[first] = _messages(data[0], count)
                if end:
                    break
            assert end > 1000
            with anyio.fail_after(10):
                while gaps := _gaps(packets, end):
                    first, count = gaps[0]
                    await receiver.sendto(_rerequest(session, first, count), "127.0.0.1", server)
                    data = await receiver.receive()
                    first, count = _header(data[0])
                    if count and count != 0xFFFF:
                        packets[first] = _messages(data[0], count)
    rebuilt = ItchBook()
    seq = 1
    while seq < end:
        batch = packets[seq]
        for message in batch:
            rebuilt.apply(message)
        seq += len(batch)
    assert_books_equal(venue, rebuilt)


def _header(data: bytes) -> tuple[int, int]:
    _, first, count = struct.unpack(">10sQH", data[:20])
    return first, count


def _messages(data: bytes, count: int) -> list[bytes]:
    out, pos = [], 20
    for _ in range(count):
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        out.append(data[pos + 2 : pos + 2 + length])
        pos += 2 + length
    return out


def _gaps(packets: dict[int, list[bytes]], end: int) -> list[tuple[int, int]]:
    have: set[int] = set()
    for first, batch in packets.items():
        have.update(range(first, first + len(batch)))
    gaps: list[tuple[int, int]] = []
    for seq in range(1, end):
        if seq not in have:
            if gaps and gaps[-1][0] + gaps[-1][1] == seq:
                gaps[-1] = (gaps[-1][0], gaps[-1][1] + 1)
            else:
                gaps.append((seq, 1))
    return gaps


def _rerequest(session: bytes, first: int, count: int) -> bytes:
    return session + struct.pack(">QH", first, count)
