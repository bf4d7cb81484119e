"""The ITCH 5.0 feed over SoupBinTCP, checked against OUCH order entry on the same venue:
what a market-data client sees for every kind of venue event (PROTOCOLS.md 4.2-4.5)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import ouchwire as w
import pytest
from itchbook import ItchBook, parse
from soupwire import SoupClient, packet

from exsim_core import BUY, SELL, ManualClock, Order, Simulator, Venue
from exsim_core.events import TRADE, TRADE_BUSTED
from exsim_core.store import MemoryStore, SqliteStore, Store
from exsim_core.testing import running_endpoint

pytestmark = pytest.mark.anyio

TS = 34_200_000_000_456


@pytest.fixture
def feed_sim(sim: Simulator, venue: Venue) -> Simulator:
    sim.create_endpoint("OUCH", "ouch42", "XNAS")
    sim.create_session(
        "OUCH", "client", {"username": "CLIENT"}, password="secret", params={"firm": "GSCO"}
    )
    sim.create_session("OUCH", "clnt2", {"username": "CLNT2"}, password="secret")
    sim.create_endpoint("ITCH", "itch50", "XNAS")
    sim.create_session("ITCH", "feed", {"username": "FEED"}, password="secret", role="market_data")
    return sim


class Feed:
    """A logged-in ITCH client that also rebuilds the book."""

    def __init__(self, client: SoupClient) -> None:
        self.client = client
        self.book = ItchBook()

    async def next(self) -> dict[str, Any]:
        return self.book.apply(await self.client.sequenced())

    async def take(self, n: int) -> list[dict[str, Any]]:
        return [await self.next() for _ in range(n)]


class Trader:
    def __init__(self, client: SoupClient) -> None:
        self.client = client

    async def send(self, message: bytes) -> dict[str, Any]:
        """Send, and return the first answer."""
        await self.client.send_unsequenced(message)
        return await self.next()

    async def next(self) -> dict[str, Any]:
        return w.parse(await self.client.sequenced())


@asynccontextmanager
async def session(
    sim: Simulator, store: Store | None = None
) -> AsyncIterator[tuple[Feed, Trader, Trader]]:
    store = store or MemoryStore()
    async with AsyncExitStack() as stack:
        itch_port = await stack.enter_async_context(running_endpoint(sim, "ITCH", store))
        ouch_port = await stack.enter_async_context(running_endpoint(sim, "OUCH", store))
        feed = await SoupClient.connect(itch_port)
        await feed.login("FEED", "secret")
        traders = []
        for user in ("CLIENT", "CLNT2"):
            client = await SoupClient.connect(ouch_port)
            await client.login(user, "secret", sequence=0)
            traders.append(Trader(client))
        f = Feed(feed)
        await f.take(7)
        yield f, traders[0], traders[1]


async def test_a_login_replays_the_start_of_day(feed_sim: Simulator) -> None:
    async with running_endpoint(feed_sim, "ITCH") as port:
        client = await SoupClient.connect(port)
        assert await client.login("FEED", "secret") == ("2026010501", 1)
        feed = Feed(client)
        got = await feed.take(7)
    assert [(m["type"], m.get("event") or m.get("stock")) for m in got] == [
        ("S", "O"), ("S", "S"), ("S", "Q"), ("R", "ACME"), ("H", "ACME"), ("R", "WIDG"),
        ("H", "WIDG"),
    ]  # fmt: skip
    assert [m["locate"] for m in got] == [0, 0, 0, 1, 1, 2, 2]
    assert (got[3]["round_lot"], got[4]["state"], got[0]["ts"]) == (1, "T", TS)


async def test_an_accepted_order_is_an_add_order_with_the_ouch_reference_number(
    feed_sim: Simulator,
) -> None:
    async with session(feed_sim) as (feed, a, _):
        accepted = await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        add = await feed.next()
    assert add == {
        "type": "A", "locate": 1, "tracking": 0, "ts": TS, "orn": accepted["orn"], "side": "B",
        "shares": 100, "stock": "ACME", "price": 101000,
    }  # fmt: skip


async def test_an_attributable_order_is_an_add_order_with_its_mpid(feed_sim: Simulator) -> None:
    async with session(feed_sim) as (feed, a, _):
        await a.send(w.enter("SELL1", "S", 200, "ACME", 101500, display="A"))
        add = await feed.next()
    assert (add["type"], add["mpid"], add["side"]) == ("F", "GSCO", "S")


async def test_an_execution_shares_its_match_number_with_ouch(feed_sim: Simulator) -> None:
    async with session(feed_sim) as (feed, a, b):
        accepted = await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        await feed.next()
        await b.send(w.enter("SELL1", "S", 30, "ACME", 101000))
        executed = await b.next()
        got = await feed.next()
    assert (got["type"], got["orn"], got["shares"], got["match"]) == (
        "E",
        accepted["orn"],
        30,
        executed["match"],
    )


async def test_partial_and_full_cancels_are_order_cancel_then_order_delete(
    feed_sim: Simulator,
) -> None:
    async with session(feed_sim) as (feed, a, _):
        accepted = await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        await a.send(w.cancel("BUY1", 60))
        await a.send(w.cancel("BUY1"))
        _, cancel, delete = await feed.take(3)
    assert (cancel["type"], cancel["orn"], cancel["shares"]) == ("X", accepted["orn"], 40)
    assert (delete["type"], delete["orn"]) == ("D", accepted["orn"])
    assert feed.book.orders == {}


async def test_a_replace_is_order_replace_to_the_ouch_reference_number(feed_sim: Simulator) -> None:
    async with session(feed_sim) as (feed, a, _):
        accepted = await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        replaced = await a.send(w.replace("BUY1", "BUY2", 300, 100500))
        _, got = await feed.take(2)
    assert got == {
        "type": "U", "locate": 1, "tracking": 0, "ts": TS, "orn": accepted["orn"],
        "new_orn": replaced["orn"], "shares": 300, "price": 100500,
    }  # fmt: skip


async def test_a_repeg_is_order_replace_to_the_priority_update_number(feed_sim: Simulator) -> None:
    async with session(feed_sim) as (feed, a, b):
        await b.send(w.enter("BID", "B", 100, "ACME", 100000))
        await b.send(w.enter("ASK", "S", 100, "ACME", 101000))
        await a.send(w.enter("MID1", "B", 100, "ACME", 101000, display="M"))
        await feed.take(3)
        await b.send(w.replace("ASK", "ASK2", 100, 100800))
        update = await a.next()
        got = await feed.take(2)
    assert got[1]["type"] == "U"
    assert (got[1]["new_orn"], got[1]["price"]) == (update["orn"], update["price"])


async def test_a_halt_is_a_stock_trading_action(feed_sim: Simulator, venue: Venue) -> None:
    async with session(feed_sim) as (feed, _, _):
        venue.set_status("halted", "ACME")
        venue.set_status("open", "ACME")
        got = await feed.take(2)
    assert [(m["type"], m["stock"], m["state"]) for m in got] == [
        ("H", "ACME", "H"),
        ("H", "ACME", "T"),
    ]


async def test_a_reserve_order_refills_with_a_new_add_order(
    feed_sim: Simulator, venue: Venue
) -> None:
    async with session(feed_sim) as (feed, _, b):
        venue.submit(Order("ACME", SELL, 300, price=1010, display=100, session="bot"))
        first = await feed.next()
        await b.send(w.enter("BUY1", "B", 150, "ACME", 101000))
        got = await feed.take(3)
    assert (got[0]["type"], got[0]["orn"], got[0]["shares"]) == ("E", first["orn"], 100)
    assert (got[1]["type"], got[1]["shares"]) == ("A", 100)
    assert got[1]["orn"] != first["orn"]
    assert (got[2]["type"], got[2]["orn"], got[2]["shares"]) == ("E", got[1]["orn"], 50)
    assert feed.book.side("ACME", "S") == [(101000, 50)]


async def test_a_fill_off_the_display_price_is_executed_with_price(
    feed_sim: Simulator, venue: Venue
) -> None:
    async with session(feed_sim) as (feed, a, _):
        accepted = await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        await feed.next()
        book = venue.book("ACME")
        [order] = book.resting(BUY)
        # a fill without a counterparty (as the managed engine gives), below the limit
        venue.run_in_batch(book.fill, order, 40, 1008)
        got = await feed.next()
    assert (got["type"], got["orn"], got["shares"], got["price"], got["printable"]) == (
        "C",
        accepted["orn"],
        40,
        100800,
        "Y",
    )


async def test_a_trade_without_a_displayed_order_is_a_trade_message(
    feed_sim: Simulator, venue: Venue
) -> None:
    async with session(feed_sim) as (feed, _, _):
        order = Order("ACME", BUY, 25, price=1010, tif=3, session="bot")
        venue.submit(order)
        venue.run_in_batch(venue.book("ACME").fill, Order("ACME", BUY, 25, price=1010), 25, 1005)
        got = await feed.next()
    assert (got["type"], got["orn"], got["side"], got["shares"], got["price"]) == (
        "P",
        0,
        "B",
        25,
        100500,
    )


async def test_a_broken_trade_is_published(feed_sim: Simulator, venue: Venue) -> None:
    trades: list[tuple[Any, ...]] = []
    venue.subscribe(lambda batch, now: trades.extend(e for e in batch if e[0] == TRADE))
    async with session(feed_sim) as (feed, a, b):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        await b.send(w.enter("SELL1", "S", 100, "ACME", 101000))
        await feed.take(2)
        [(_, symbol, trade_id, price, qty, _, buy, sell)] = trades
        venue.run_in_batch(
            lambda: venue.out.append((TRADE_BUSTED, trade_id, symbol, qty, price, buy, sell))
        )
        got = await feed.next()
    assert (got["type"], got["match"]) == ("B", trade_id)


async def test_a_login_replays_from_any_sequence_number(feed_sim: Simulator) -> None:
    async with session(feed_sim) as (feed, a, _):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        await a.send(w.enter("BUY2", "B", 100, "ACME", 100000))
        live = await feed.take(2)
        port = feed_sim.endpoint("ITCH").port
        again = await SoupClient.connect(port)
        assert await again.login("FEED", "secret", sequence=9) == ("2026010501", 9)
        replayed = parse(await again.sequenced())
    assert replayed == live[1]


async def test_messages_from_a_feed_client_are_ignored(feed_sim: Simulator) -> None:
    async with session(feed_sim) as (feed, _, _):
        await feed.client.send(packet(b"U", b"hello"))
        ptype, text = await feed.client.receive()
    assert ptype == b"+"
    assert b"takes no messages" in text


async def test_a_restart_starts_a_new_session_and_the_old_one_still_replays(
    feed_sim: Simulator, tmp_path: Path
) -> None:
    store = SqliteStore(tmp_path / "exsim.db")
    async with session(feed_sim, store) as (_, a, _):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
    async with running_endpoint(feed_sim, "ITCH", store) as port:
        client = await SoupClient.connect(port)
        assert await client.login("FEED", "secret", sequence=0) == ("2026010502", 9)
        old = await SoupClient.connect(port)
        assert await old.login("FEED", "secret", session="2026010501", sequence=8) == (
            "2026010501",
            8,
        )
        tail = [await old.sequenced(), await old.sequenced()]
        assert [m[:1] for m in tail] == [b"A", b"S"]
        assert tail[1][-1:] == b"C"
        assert await old.receive() == (b"Z", b"")
    store.close()


async def test_the_feed_ends_with_end_of_messages_and_end_of_session(
    feed_sim: Simulator, clock: ManualClock
) -> None:
    async with running_endpoint(feed_sim, "ITCH") as port:
        client = await SoupClient.connect(port)
        await client.login("FEED", "secret", sequence=8)
    got = await client.closed()
    assert got[-2:] == [(b"S", got[-2][1]), (b"Z", b"")]
    assert got[-2][1][-1:] == b"C"
