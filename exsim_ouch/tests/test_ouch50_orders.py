"""OUCH 5.0 order entry over real sockets (PROTOCOLS.md 3.7), on venue XNAS trading
ACME with a tick of 0.01. Prices on the wire have 4 implied decimals in 8 bytes."""

from __future__ import annotations

import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import ouch50wire as w
import pytest
from soupwire import SoupClient

from exsim_core import BUY, SELL, ManualClock, Simulator, Venue
from exsim_core.store import SqliteStore
from exsim_core.testing import running_endpoint

pytestmark = pytest.mark.anyio

TS = 34_200_000_000_456
MIN_QTY, MAX_FLOOR, PRICE_TYPE, PEG_OFFSET, POST_ONLY, EXPIRE, FIRM, IDX = 3, 5, 6, 7, 12, 15, 2, 28


def u32(n: int) -> bytes:
    return struct.pack(">I", n)


@pytest.fixture
def sim50(sim: Simulator, venue: Venue) -> Simulator:
    sim.create_endpoint("OUCH5", "ouch50", "XNAS")
    sim.create_session(
        "OUCH5", "client", {"username": "CLIENT"}, password="secret", params={"firm": "GSCO"}
    )
    sim.create_session("OUCH5", "clnt2", {"username": "CLNT2"}, password="secret")
    return sim


class Trader:
    def __init__(self, client: SoupClient) -> None:
        self.client = client

    async def send(self, message: bytes) -> None:
        await self.client.send_unsequenced(message)

    async def next(self) -> dict[str, Any]:
        return w.parse(await self.client.sequenced())

    async def debug(self) -> bytes:
        while True:
            ptype, payload = await self.client.receive()
            if ptype == b"+":
                return payload
            assert ptype == b"H", (ptype, payload)


@asynccontextmanager
async def traders(sim: Simulator, store: Any = None) -> AsyncIterator[tuple[Trader, Trader]]:
    async with running_endpoint(sim, "OUCH5", store) as port:
        pair = []
        for user in ("CLIENT", "CLNT2"):
            client = await SoupClient.connect(port)
            await client.login(user, "secret", sequence=0)
            pair.append(Trader(client))
        yield pair[0], pair[1]


async def test_enter_order_is_accepted_echoing_its_fields(sim50: Simulator) -> None:
    async with traders(sim50) as (a, _):
        await a.send(w.enter(1, "B", 100, "ACME", 101000, capacity="P", clordid="MYORDER1"))
        assert await a.next() == {
            "type": "A", "ts": TS, "urn": 1, "side": "B", "qty": 100, "symbol": "ACME",
            "price": 101000, "tif": "0", "display": "Y", "orn": 1, "capacity": "P",
            "iso": "N", "cross": "N", "state": "L", "clordid": "MYORDER1", "options": b"",
        }  # fmt: skip


async def test_accepted_echoes_the_options_as_received(sim50: Simulator, venue: Venue) -> None:
    options = (w.option(MIN_QTY, u32(50)), w.option(POST_ONLY, b"P"))
    async with traders(sim50) as (a, _):
        await a.send(w.enter(1, "S", 100, "ACME", 101000, *options))
        assert (await a.next())["options"] == b"".join(options)
        [order] = venue.book("ACME").resting(SELL)
        assert (order.min_qty, order.post_only) == (50, True)


async def test_crossing_orders_execute_with_eight_byte_prices(sim50: Simulator) -> None:
    async with traders(sim50) as (a, b):
        await a.send(w.enter(1, "B", 100, "ACME", 101000))
        await a.next()
        await b.send(w.enter(1, "S", 40, "ACME", 100000))
        await b.next()
        taker, maker = await b.next(), await a.next()
        assert taker == {
            "type": "E", "ts": TS, "urn": 1, "qty": 40, "price": 101000, "liquidity": "R",
            "match": maker["match"], "options": b"",
        }  # fmt: skip
        assert (maker["urn"], maker["liquidity"]) == (1, "A")


async def test_a_user_ref_num_not_above_the_last_is_ignored(sim50: Simulator, venue: Venue) -> None:
    async with traders(sim50) as (a, _):
        await a.send(w.enter(5, "B", 100, "ACME", 101000))
        await a.next()
        await a.send(w.enter(5, "B", 100, "ACME", 101000))
        assert b"retransmission" in await a.debug()
        await a.send(w.enter(4, "B", 100, "ACME", 101000))
        assert b"retransmission" in await a.debug()
        assert len(venue.book("ACME").resting(BUY)) == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"price": 1_010_050}, 0x001D),
        ({"symbol": "NOPE"}, 0x0017),
        ({"qty": 0}, 0x0013),
        ({"display": "N"}, 0x0003),
        ({"cross": "O"}, 0x0014),
        ({"side": "X"}, 0x0009),
        ({"options": (w.option(PRICE_TYPE, b"Z"),)}, 0x0005),
        ({"options": (w.option(MIN_QTY, u32(101)),)}, 0x000D),
        ({"options": (w.option(MAX_FLOOR, u32(101)),)}, 0x0004),
        ({"tif": "6"}, 0x000F),
    ],
)
async def test_an_invalid_order_is_rejected_with_the_spec_code(
    sim50: Simulator, change: dict[str, Any], code: int
) -> None:
    fields: dict[str, Any] = {"side": "B", "qty": 100, "symbol": "ACME", "price": 101000}
    fields |= change
    options = fields.pop("options", ())
    named = {k: fields.pop(k) for k in ("tif", "display", "cross") if k in fields}
    async with traders(sim50) as (a, _):
        await a.send(w.enter(1, *fields.values(), *options, **named))
        assert await a.next() == {
            "type": "J", "ts": TS, "urn": 1, "reason": code, "clordid": ""
        }  # fmt: skip


async def test_ioc_without_liquidity_is_canceled_with_reason_i(sim50: Simulator) -> None:
    async with traders(sim50) as (a, _):
        await a.send(w.enter(1, "B", 100, "ACME", 101000, tif="3"))
        assert (await a.next())["tif"] == "3"
        assert await a.next() == {"type": "C", "ts": TS, "urn": 1, "qty": 100, "reason": "I"}


async def test_good_till_time_expires_after_its_expire_time(
    sim50: Simulator, clock: ManualClock
) -> None:
    async with traders(sim50) as (a, _):
        await a.send(w.enter(1, "B", 100, "ACME", 101000, w.option(EXPIRE, u32(5)), tif="6"))
        await a.next()
        clock.advance(seconds=5)
        canceled = await a.next()
        assert (canceled["reason"], canceled["ts"]) == ("T", TS + 5 * 10**9)


async def test_max_floor_makes_a_reserve_order(sim50: Simulator, venue: Venue) -> None:
    async with traders(sim50) as (a, _):
        await a.send(w.enter(1, "S", 500, "ACME", 101000, w.option(MAX_FLOOR, u32(100))))
        await a.next()
        assert venue.book("ACME").depth(SELL) == [(1010, 100, 1)]


async def test_price_type_midpoint_with_an_offset_pegs(sim50: Simulator, venue: Venue) -> None:
    async with traders(sim50) as (a, b):
        await b.send(w.enter(1, "B", 100, "ACME", 100000))
        await b.next()
        await b.send(w.enter(2, "S", 100, "ACME", 101000))
        await b.next()
        offset = struct.pack(">i", -100)  # -$0.01
        await a.send(
            w.enter(
                1, "B", 100, "ACME", 0, w.option(PRICE_TYPE, b"M"), w.option(PEG_OFFSET, offset)
            )
        )
        assert (await a.next())["type"] == "A"
        assert venue.book("ACME").depth(BUY)[0] == (1004, 100, 1)


async def test_replace_answers_order_replaced_with_both_user_ref_nums(
    sim50: Simulator, venue: Venue
) -> None:
    async with traders(sim50) as (a, _):
        await a.send(w.enter(1, "B", 100, "ACME", 101000, clordid="FIRST"))
        accepted = await a.next()
        await a.send(w.replace(1, 2, 300, 100500, clordid="SECOND"))
        replaced = await a.next()
        assert replaced | {"orn": 0} == {
            "type": "U", "ts": TS, "orig_urn": 1, "urn": 2, "side": "B", "qty": 300,
            "symbol": "ACME", "price": 100500, "tif": "0", "display": "Y", "orn": 0,
            "capacity": "A", "iso": "N", "cross": "N", "state": "L", "clordid": "SECOND",
            "options": b"",
        }  # fmt: skip
        assert replaced["orn"] != accepted["orn"]
        assert venue.book("ACME").depth(BUY) == [(1005, 300, 1)]


async def test_replace_with_a_stale_user_ref_num_is_ignored(sim50: Simulator) -> None:
    async with traders(sim50) as (a, _):
        await a.send(w.enter(3, "B", 100, "ACME", 101000))
        await a.next()
        await a.send(w.replace(3, 2, 300, 100500))
        assert b"retransmission" in await a.debug()


async def test_an_invalid_replace_cancels_the_original(sim50: Simulator) -> None:
    async with traders(sim50) as (a, _):
        await a.send(w.enter(1, "B", 100, "ACME", 101000))
        await a.next()
        await a.send(w.replace(1, 2, 100, 1_010_050))
        assert await a.next() == {"type": "C", "ts": TS, "urn": 1, "qty": 100, "reason": "U"}


async def test_cancel_reduces_to_the_intended_size(sim50: Simulator, venue: Venue) -> None:
    async with traders(sim50) as (a, _):
        await a.send(w.enter(1, "B", 100, "ACME", 101000))
        await a.next()
        await a.send(w.cancel(1, 30))
        assert await a.next() == {"type": "C", "ts": TS, "urn": 1, "qty": 70, "reason": "U"}
        await a.send(w.cancel(1))
        assert (await a.next())["qty"] == 30
        assert venue.book("ACME").resting(BUY) == []


async def test_modify_answers_order_modified(sim50: Simulator) -> None:
    async with traders(sim50) as (a, _):
        await a.send(w.enter(1, "S", 100, "ACME", 101000))
        await a.next()
        await a.send(w.modify(1, "E", 80))
        assert await a.next() == {"type": "M", "ts": TS, "urn": 1, "side": "E", "qty": 80}


async def test_mass_cancel_cancels_matching_orders_then_responds(
    sim50: Simulator, venue: Venue
) -> None:
    async with traders(sim50) as (a, b):
        await a.send(w.enter(1, "B", 100, "ACME", 100000))
        await a.send(w.enter(2, "S", 100, "ACME", 101000))
        await a.send(w.enter(3, "B", 100, "WIDG", 100000))
        await b.send(w.enter(1, "B", 100, "ACME", 99000))
        for _ in range(3):
            await a.next()
        await b.next()
        await a.send(w.mass_cancel(4, "GSCO", "ACME"))
        got = [await a.next(), await a.next(), await a.next()]
        assert [(m["type"], m.get("urn")) for m in got] == [("C", 1), ("C", 2), ("X", 4)]
        assert (got[2]["firm"], got[2]["symbol"]) == ("GSCO", "ACME")
        assert len(venue.book("ACME").resting(BUY)) == 1
        assert len(venue.book("WIDG").resting(BUY)) == 1


async def test_disabled_order_entry_rejects_new_orders_until_enabled(sim50: Simulator) -> None:
    async with traders(sim50) as (a, _):
        await a.send(w.entry_control("D", 1, "GSCO"))
        assert (await a.next())["type"] == "G"
        await a.send(w.enter(2, "B", 100, "ACME", 101000))
        assert (await a.next())["reason"] == 0x000C
        await a.send(w.entry_control("E", 3, "GSCO"))
        assert (await a.next())["type"] == "K"
        await a.send(w.enter(4, "B", 100, "ACME", 101000))
        assert (await a.next())["type"] == "A"


async def test_account_query_answers_the_next_user_ref_num(sim50: Simulator) -> None:
    async with traders(sim50) as (a, _):
        await a.send(w.enter(41, "B", 100, "ACME", 101000))
        await a.next()
        await a.send(w.account_query())
        assert await a.next() == {"type": "Q", "ts": TS, "next_urn": 42}


async def test_user_ref_idx_channels_number_independently_and_are_echoed(
    sim50: Simulator,
) -> None:
    channel = w.option(IDX, b"\x05")
    async with traders(sim50) as (a, _):
        await a.send(w.enter(10, "B", 100, "ACME", 101000))
        await a.next()
        await a.send(w.enter(1, "B", 100, "ACME", 101000, channel))
        assert (await a.next())["options"] == channel
        await a.send(w.cancel(1, 0, channel))
        canceled = await a.next()
        assert (canceled["urn"], canceled["options"]) == (1, channel)


async def test_after_a_restart_user_ref_nums_in_use_stay_used(
    sim50: Simulator, clock: ManualClock, tmp_path: Path
) -> None:
    db = tmp_path / "exsim.db"
    store = SqliteStore(db)
    async with traders(sim50, store) as (a, _):
        await a.send(w.enter(7, "B", 100, "ACME", 101000))
        await a.next()
    store.close()
    restarted = _fresh_sim(clock)
    store = SqliteStore(db)
    async with running_endpoint(restarted, "OUCH5", store) as port:
        client = await SoupClient.connect(port)
        await client.login("CLIENT", "secret", sequence=0)
        again = Trader(client)
        await again.send(w.enter(7, "B", 100, "ACME", 101000))
        assert b"retransmission" in await again.debug()
        await again.send(w.account_query())
        assert (await again.next())["next_urn"] == 8
    store.close()


def _fresh_sim(clock: ManualClock) -> Simulator:
    import exsim_ouch.plugin
    from exsim_core import Equity
    from exsim_core.testing import register_plugin

    sim = Simulator(clock, autoload=False)
    register_plugin(sim, exsim_ouch.plugin, name="ouch")
    venue = sim.create_venue("XNAS", timezone="UTC")
    venue.add_instrument(Equity(symbol="ACME", tick_size="0.01"))
    sim.create_endpoint("OUCH5", "ouch50", "XNAS")
    sim.create_session("OUCH5", "client", {"username": "CLIENT"}, password="secret")
    return sim
