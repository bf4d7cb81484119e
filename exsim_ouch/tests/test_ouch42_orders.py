"""OUCH 4.2 order entry over real sockets: every message a client sends, and what it
gets back (PROTOCOLS.md 2.5), on venue XNAS trading ACME with a tick of 0.01.

Prices on the wire have 4 implied decimals: 101000 is $10.10.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import ouchwire as w
import pytest
from soupwire import SoupClient, packet

from exsim_core import BUY, SELL, ManualClock, Simulator, Venue
from exsim_core.events import TRADE, TRADE_BUSTED
from exsim_core.store import SqliteStore
from exsim_core.testing import running_endpoint

pytestmark = pytest.mark.anyio

#: 09:30:00.000000456 (the clock of conftest) as nanoseconds since midnight
TS = 34_200_000_000_456


@pytest.fixture
def sim42(sim: Simulator, venue: Venue) -> Simulator:
    sim.create_endpoint("OUCH", "ouch42", "XNAS")
    sim.create_session(
        "OUCH", "client", {"username": "CLIENT"}, password="secret", params={"firm": "GSCO"}
    )
    sim.create_session("OUCH", "clnt2", {"username": "CLNT2"}, password="secret")
    return sim


class Trader:
    """A logged-in OUCH 4.2 client."""

    def __init__(self, client: SoupClient) -> None:
        self.client = client

    async def send(self, message: bytes) -> None:
        await self.client.send_unsequenced(message)

    async def next(self) -> dict[str, Any]:
        return w.parse(await self.client.sequenced())

    async def debug(self) -> bytes:
        """The next packet, which must be a Debug packet: its text."""
        while True:
            ptype, payload = await self.client.receive()
            if ptype == b"+":
                return payload
            assert ptype == b"H", (ptype, payload)

    async def quiet(self) -> bool:
        """No sequenced message arrives (checked by a round trip the server answers)."""
        await self.client.send_unsequenced(b"?")
        while True:
            ptype, _ = await self.client.receive()
            if ptype == b"+":
                return True
            if ptype == b"S":
                return False


@asynccontextmanager
async def traders(sim: Simulator, store: Any = None) -> AsyncIterator[tuple[Trader, Trader]]:
    async with running_endpoint(sim, "OUCH", store) as port:
        pair = []
        for user in ("CLIENT", "CLNT2"):
            client = await SoupClient.connect(port)
            await client.login(user, "secret", sequence=0)
            pair.append(Trader(client))
        yield pair[0], pair[1]


async def test_enter_order_is_accepted_echoing_its_fields(sim42: Simulator) -> None:
    async with traders(sim42) as (a, _):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000, firm="GSCO", capacity="P"))
        assert await a.next() == {
            "type": "A", "ts": TS, "token": "BUY1", "side": "B", "shares": 100,
            "stock": "ACME", "price": 101000, "tif": 99998, "firm": "GSCO", "display": "Y",
            "orn": 1, "capacity": "P", "iso": "N", "min_qty": 0, "cross": "N", "state": "L",
            "bbo": " ",
        }  # fmt: skip


async def test_an_accepted_order_rests_in_the_venue_book(sim42: Simulator, venue: Venue) -> None:
    async with traders(sim42) as (a, _):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        await a.next()
        [order] = venue.book("ACME").resting(BUY)
        assert (order.price, order.qty, order.session, order.cl_ord_id) == (
            1010,
            100,
            "client",
            "BUY1",
        )


async def test_blank_firm_takes_the_sessions_default_firm(sim42: Simulator) -> None:
    async with traders(sim42) as (a, _):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        assert (await a.next())["firm"] == "GSCO"


async def test_crossing_orders_execute_both_sides_with_one_match_number(sim42: Simulator) -> None:
    async with traders(sim42) as (a, b):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        await a.next()
        await b.send(w.enter("SELL1", "S", 40, "ACME", 100000))
        assert (await b.next())["type"] == "A"
        taker = await b.next()
        maker = await a.next()
        assert taker == {
            "type": "E", "ts": TS, "token": "SELL1", "shares": 40, "price": 101000,
            "liquidity": "R", "match": maker["match"],
        }  # fmt: skip
        assert (maker["token"], maker["shares"], maker["price"], maker["liquidity"]) == (
            "BUY1",
            40,
            101000,
            "A",
        )


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"price": 1_010_050}, "X"),  # $101.005: finer than the tick
        ({"stock": "NOPE"}, "S"),
        ({"shares": 1_000_000}, "Z"),
        ({"display": "N"}, "D"),
        ({"cross": "O"}, "R"),
        ({"min_qty": 101}, "N"),
        ({"side": "Q"}, "O"),
    ],
)
async def test_an_invalid_order_is_rejected_with_the_spec_reason(
    sim42: Simulator, fields: dict[str, Any], reason: str
) -> None:
    order = {"token": "BAD1", "side": "B", "shares": 100, "stock": "ACME", "price": 101000}
    order |= fields
    async with traders(sim42) as (a, _):
        await a.send(w.enter(**order))
        assert await a.next() == {"type": "J", "ts": TS, "token": "BAD1", "reason": reason}


async def test_a_reused_token_is_ignored(sim42: Simulator, venue: Venue) -> None:
    async with traders(sim42) as (a, _):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        await a.next()
        await a.send(w.enter("BUY1", "B", 200, "ACME", 100000))
        assert b"already used" in await a.debug()
        assert len(venue.book("ACME").resting(BUY)) == 1


async def test_a_rejected_token_cannot_be_used_again(sim42: Simulator) -> None:
    async with traders(sim42) as (a, _):
        await a.send(w.enter("BAD1", "B", 100, "ACME", 1_010_050))
        await a.next()
        await a.send(w.enter("BAD1", "B", 100, "ACME", 101000))
        assert await a.quiet()


async def test_ioc_without_liquidity_is_accepted_then_canceled_with_reason_i(
    sim42: Simulator,
) -> None:
    async with traders(sim42) as (a, _):
        await a.send(w.enter("IOC1", "B", 100, "ACME", 101000, tif=0))
        assert (await a.next())["state"] == "L"
        assert await a.next() == {
            "type": "C", "ts": TS, "token": "IOC1", "decrement": 100, "reason": "I"
        }  # fmt: skip


async def test_market_price_sends_a_market_order(sim42: Simulator) -> None:
    async with traders(sim42) as (a, b):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        await a.next()
        await b.send(w.enter("MKT1", "S", 150, "ACME", 0x7FFFFFFF, tif=0))
        assert (await b.next())["price"] == 0x7FFFFFFF
        assert (await b.next())["shares"] == 100
        assert await b.next() == {
            "type": "C", "ts": TS, "token": "MKT1", "decrement": 50, "reason": "I"
        }  # fmt: skip


async def test_cancel_with_zero_shares_cancels_the_whole_order(
    sim42: Simulator, venue: Venue
) -> None:
    async with traders(sim42) as (a, _):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        await a.next()
        await a.send(w.cancel("BUY1"))
        assert await a.next() == {
            "type": "C", "ts": TS, "token": "BUY1", "decrement": 100, "reason": "U"
        }  # fmt: skip
        assert venue.book("ACME").resting(BUY) == []


async def test_cancel_to_an_intended_size_reduces_and_keeps_priority(
    sim42: Simulator, venue: Venue
) -> None:
    async with traders(sim42) as (a, b):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        await a.next()
        await b.send(w.enter("BUY2", "B", 100, "ACME", 101000))
        await b.next()
        await a.send(w.cancel("BUY1", 30))
        assert (await a.next())["decrement"] == 70
        assert [(o.cl_ord_id, o.leaves) for o in venue.book("ACME").resting(BUY)] == [
            ("BUY1", 30),
            ("BUY2", 100),
        ]


async def test_cancel_of_an_unknown_token_is_ignored(sim42: Simulator) -> None:
    async with traders(sim42) as (a, _):
        await a.send(w.cancel("NOSUCH"))
        assert b"not live" in await a.debug()


async def test_another_sessions_token_cannot_be_canceled(sim42: Simulator, venue: Venue) -> None:
    async with traders(sim42) as (a, b):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        await a.next()
        await b.send(w.cancel("BUY1"))
        assert b"not live" in await b.debug()
        assert len(venue.book("ACME").resting(BUY)) == 1


async def test_replace_answers_replaced_with_both_tokens_and_a_new_reference(
    sim42: Simulator, venue: Venue
) -> None:
    async with traders(sim42) as (a, _):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        accepted = await a.next()
        await a.send(w.replace("BUY1", "BUY2", 300, 100500))
        replaced = await a.next()
        assert replaced | {"orn": 0} == {
            "type": "U", "ts": TS, "token": "BUY2", "side": "B", "shares": 300,
            "stock": "ACME", "price": 100500, "tif": 99998, "firm": "GSCO", "display": "Y",
            "orn": 0, "capacity": "A", "iso": "N", "min_qty": 0, "cross": "N", "state": "L",
            "previous": "BUY1", "bbo": " ",
        }  # fmt: skip
        assert replaced["orn"] != accepted["orn"]
        [order] = venue.book("ACME").resting(BUY)
        assert (order.price, order.leaves, order.cl_ord_id) == (1005, 300, "BUY2")


async def test_the_replaced_token_is_no_longer_live(sim42: Simulator) -> None:
    async with traders(sim42) as (a, _):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        await a.next()
        await a.send(w.replace("BUY1", "BUY2", 100, 100500))
        await a.next()
        await a.send(w.cancel("BUY1"))
        assert b"not live" in await a.debug()
        await a.send(w.cancel("BUY2"))
        assert (await a.next())["token"] == "BUY2"


async def test_replace_to_a_used_token_is_ignored(sim42: Simulator) -> None:
    async with traders(sim42) as (a, _):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        await a.next()
        await a.send(w.enter("BUY2", "B", 100, "ACME", 100000))
        await a.next()
        await a.send(w.replace("BUY1", "BUY2", 100, 100500))
        assert b"already used" in await a.debug()


async def test_an_invalid_replace_cancels_the_original_and_frees_the_new_token(
    sim42: Simulator,
) -> None:
    async with traders(sim42) as (a, _):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        await a.next()
        await a.send(w.replace("BUY1", "BUY2", 100, 1_010_050))
        assert await a.next() == {
            "type": "C", "ts": TS, "token": "BUY1", "decrement": 100, "reason": "U"
        }  # fmt: skip
        await a.send(w.enter("BUY2", "B", 100, "ACME", 101000))
        assert (await a.next())["type"] == "A"


async def test_modify_down_keeps_priority_and_answers_order_modified(
    sim42: Simulator, venue: Venue
) -> None:
    async with traders(sim42) as (a, b):
        await a.send(w.enter("SELL1", "S", 100, "ACME", 101000))
        await a.next()
        await b.send(w.enter("SELL2", "S", 100, "ACME", 101000))
        await b.next()
        await a.send(w.modify("SELL1", "T", 60))
        assert await a.next() == {
            "type": "M",
            "ts": TS,
            "token": "SELL1",
            "side": "T",
            "shares": 60,
        }
        assert [o.cl_ord_id for o in venue.book("ACME").resting(SELL)] == ["SELL1", "SELL2"]


async def test_modify_up_answers_order_modified_and_loses_priority(
    sim42: Simulator, venue: Venue
) -> None:
    async with traders(sim42) as (a, b):
        await a.send(w.enter("SELL1", "S", 100, "ACME", 101000))
        await a.next()
        await b.send(w.enter("SELL2", "S", 100, "ACME", 101000))
        await b.next()
        await a.send(w.modify("SELL1", "S", 150))
        assert await a.next() == {
            "type": "M", "ts": TS, "token": "SELL1", "side": "S", "shares": 150
        }  # fmt: skip
        assert [o.cl_ord_id for o in venue.book("ACME").resting(SELL)] == ["SELL2", "SELL1"]


async def test_modify_from_buy_to_sell_is_ignored(sim42: Simulator) -> None:
    async with traders(sim42) as (a, _):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        await a.next()
        await a.send(w.modify("BUY1", "S", 100))
        assert b"only sell types may change" in await a.debug()


async def test_a_midpoint_peg_rests_at_the_midpoint_and_reports_repegging(
    sim42: Simulator, venue: Venue
) -> None:
    async with traders(sim42) as (a, b):
        await b.send(w.enter("BID", "B", 100, "ACME", 100000))
        await b.next()
        await b.send(w.enter("ASK", "S", 100, "ACME", 101000))
        await b.next()
        await a.send(w.enter("MID1", "B", 100, "ACME", 101000, display="M"))
        accepted = await a.next()
        assert (accepted["display"], accepted["price"]) == ("M", 101000)
        mid = venue.book("ACME").resting(BUY)[0]
        assert mid.level.price == 1005
        await b.send(w.replace("ASK", "ASK2", 100, 100800))
        await b.next()
        update = await a.next()
        assert (update["type"], update["token"], update["price"], update["display"]) == (
            "T",
            "MID1",
            100400,
            "M",
        )
        assert update["orn"] != accepted["orn"]


async def test_a_time_in_force_in_seconds_expires_with_reason_t(
    sim42: Simulator, clock: ManualClock
) -> None:
    async with traders(sim42) as (a, _):
        await a.send(w.enter("GTD1", "B", 100, "ACME", 101000, tif=5))
        await a.next()
        clock.advance(seconds=5)
        canceled = await a.next()
        assert (canceled["type"], canceled["reason"], canceled["ts"]) == ("C", "T", TS + 5 * 10**9)


async def test_day_orders_expire_at_end_of_day_then_a_system_event_says_so(
    sim42: Simulator, clock: ManualClock
) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        a = await SoupClient.connect(port)
        await a.login("CLIENT", "secret", sequence=0)
        await a.send_unsequenced(w.enter("DAY1", "B", 100, "ACME", 101000))
        await a.sequenced()
        await a.send(packet(b"O"))
        await a.closed()
        clock.advance(seconds=6.5 * 3600)
        again = await SoupClient.connect(port)
        await again.login("CLIENT", "secret", sequence=3)
        canceled = w.parse(await again.sequenced())
        assert (canceled["type"], canceled["reason"]) == ("C", "T")
        assert w.parse(await again.sequenced()) == {
            "type": "S", "ts": 16 * 3600 * 10**9, "event": "E"
        }  # fmt: skip


async def test_attributable_display_is_echoed(sim42: Simulator) -> None:
    async with traders(sim42) as (a, _):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000, display="A"))
        assert (await a.next())["display"] == "A"


async def test_unknown_message_type_is_answered_with_a_debug_packet(sim42: Simulator) -> None:
    async with traders(sim42) as (a, _):
        await a.send(b"N" + b"x" * 14)
        assert b"unknown OUCH 4.2 message type" in await a.debug()


async def test_a_short_enter_order_is_refused_and_the_session_goes_on(sim42: Simulator) -> None:
    async with traders(sim42) as (a, _):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000)[:40])
        assert b"49 bytes" in await a.debug()
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        assert (await a.next())["type"] == "A"


async def test_broken_trade_is_reported_to_both_sides(sim42: Simulator, venue: Venue) -> None:
    trades: list[tuple[Any, ...]] = []
    venue.subscribe(lambda batch, now: trades.extend(e for e in batch if e[0] == TRADE))
    async with traders(sim42) as (a, b):
        await a.send(w.enter("BUY1", "B", 100, "ACME", 101000))
        await a.next()
        await b.send(w.enter("SELL1", "S", 100, "ACME", 101000))
        await b.next()
        match = (await b.next())["match"]
        await a.next()
        [(_, symbol, trade_id, price, qty, _, buy, sell)] = trades
        # the venue breaks the trade (as an operator or the managed engine would)
        venue.run_in_batch(
            lambda: venue.out.append((TRADE_BUSTED, trade_id, symbol, qty, price, buy, sell))
        )
        assert await a.next() == {
            "type": "B", "ts": TS, "token": "BUY1", "match": match, "reason": "S"
        }  # fmt: skip
        assert (await b.next())["token"] == "SELL1"


async def test_relogin_replays_what_happened_while_disconnected(sim42: Simulator) -> None:
    async with running_endpoint(sim42, "OUCH") as port:
        a = await SoupClient.connect(port)
        await a.login("CLIENT", "secret")
        await a.sequenced()
        await a.send_unsequenced(w.enter("BUY1", "B", 100, "ACME", 101000))
        await a.sequenced()
        await a.send(packet(b"O"))
        await a.closed()
        b = await SoupClient.connect(port)
        await b.login("CLNT2", "secret", sequence=0)
        await b.send_unsequenced(w.enter("SELL1", "S", 100, "ACME", 101000))
        await b.sequenced()
        await b.sequenced()
        again = await SoupClient.connect(port)
        assert await again.login("CLIENT", "secret", sequence=3) == ("2026010501", 3)
        assert w.parse(await again.sequenced())["type"] == "E"


async def test_relogin_after_a_restart_on_the_same_database_replays_missed_messages(
    sim42: Simulator, clock: ManualClock, tmp_path: Path
) -> None:
    db = tmp_path / "exsim.db"
    store = SqliteStore(db)
    async with running_endpoint(sim42, "OUCH", store) as port:
        a = await SoupClient.connect(port)
        await a.login("CLIENT", "secret")
        await a.sequenced()
        await a.send_unsequenced(w.enter("BUY1", "B", 100, "ACME", 101000))
        await a.sequenced()
        await a.send(packet(b"O"))
        await a.closed()
        b = await SoupClient.connect(port)
        await b.login("CLNT2", "secret", sequence=0)
        await b.send_unsequenced(w.enter("SELL1", "S", 100, "ACME", 101000))
        await b.sequenced()
        await b.sequenced()
    store.close()
    restarted = _fresh_sim(clock)
    store = SqliteStore(db)
    async with running_endpoint(restarted, "OUCH", store) as port:
        again = await SoupClient.connect(port)
        assert await again.login("CLIENT", "secret", sequence=3) == ("2026010501", 3)
        executed = w.parse(await again.sequenced())
        assert (executed["type"], executed["token"], executed["shares"]) == ("E", "BUY1", 100)
        await again.send_unsequenced(w.enter("BUY1", "B", 100, "ACME", 101000))
        assert await Trader(again).quiet()
    store.close()


def _fresh_sim(clock: ManualClock) -> Simulator:
    """A new simulator with the same configuration, as a restarted daemon builds it."""
    import exsim_ouch.plugin
    from exsim_core import Equity
    from exsim_core.testing import register_plugin

    sim = Simulator(clock, autoload=False)
    register_plugin(sim, exsim_ouch.plugin, name="ouch")
    venue = sim.create_venue("XNAS", timezone="UTC")
    venue.add_instrument(Equity(symbol="ACME", tick_size="0.01"))
    sim.create_endpoint("OUCH", "ouch42", "XNAS")
    sim.create_session("OUCH", "client", {"username": "CLIENT"}, password="secret")
    sim.create_session("OUCH", "clnt2", {"username": "CLNT2"}, password="secret")
    return sim


async def test_cancel_on_disconnect_cancels_the_sessions_orders(
    sim: Simulator, venue: Venue
) -> None:
    sim.create_endpoint("OUCH", "ouch42", "XNAS")
    sim.create_session(
        "OUCH", "client", {"username": "CLIENT"}, password="secret",
        params={"cancel_on_disconnect": True},
    )  # fmt: skip
    async with running_endpoint(sim, "OUCH") as port:
        a = await SoupClient.connect(port)
        await a.login("CLIENT", "secret", sequence=0)
        await a.send_unsequenced(w.enter("BUY1", "B", 100, "ACME", 101000))
        await a.sequenced()
        await a.send(packet(b"O"))
        await a.closed()
        again = await SoupClient.connect(port)
        await again.login("CLIENT", "secret", sequence=3)
        canceled = w.parse(await again.sequenced())
        assert (canceled["type"], canceled["reason"]) == ("C", "Z")
        assert venue.book("ACME").resting(BUY) == []
