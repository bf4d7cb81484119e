"""Managed mode through OUCH: an order entered over OUCH at a ``managed`` venue of a
real daemon is held, and every decision the test takes through the management API
reaches the OUCH client as the message the specification gives for it."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from typing import Any

import ouch50wire as w50
import ouchwire as w42
import pytest
from ouchclients import OuchClient, summary

from exsim_core import Client, DaemonProcess, spawn

pytestmark = pytest.mark.anyio

VENUE = "MGD"
CONFIG: dict[str, Any] = {
    "simulator": {"clock": "manual"},
    "venues": [
        {
            "name": VENUE,
            "engine": "managed",
            "instruments": [{"asset_class": "equity", "symbol": "ACME", "tick_size": "0.01"}],
        }
    ],
    "endpoints": [
        {
            "name": f"ouch{v}",
            "protocol": f"ouch{v}",
            "venue": VENUE,
            "sessions": [
                {"id": f"client{v}", "identity": {"username": "CLIENT"}, "password": "secret"}
            ],
        }
        for v in ("42", "50")
    ],
}
_tokens = itertools.count(1)


@pytest.fixture(scope="module")
def daemon() -> Iterator[DaemonProcess]:
    with spawn(CONFIG) as process:
        yield process


@pytest.fixture(scope="module")
def api(daemon: DaemonProcess) -> Iterator[Client]:
    with daemon.client() as client:
        yield client


@pytest.fixture
async def ouch42(daemon: DaemonProcess) -> AsyncIterator[OuchClient]:
    client = await OuchClient.login(daemon.port("ouch42"), "CLIENT")
    yield client
    await client.logout()


@pytest.fixture
async def ouch50(daemon: DaemonProcess) -> AsyncIterator[OuchClient]:
    client = await OuchClient.login(daemon.port("ouch50"), "CLIENT", "5.0")
    yield client
    await client.logout()


def token() -> str:
    return f"MGD{next(_tokens):04d}"


async def held(api: Client, ouch: OuchClient, message: bytes, cl_ord_id: str) -> int:
    """Send ``message``; the venue holds it (nothing reaches the client); its order id."""
    await ouch.send(message)
    event = api.wait_for(
        lambda e: e["kind"] == "held" and e["subject"]["cl_ord_id"] == cl_ord_id, timeout=15
    )
    assert await ouch.settle() == []
    return int(event["subject"]["order_id"])


async def test_an_order_is_held_until_acknowledged_then_accepted(
    api: Client, ouch42: OuchClient
) -> None:
    t = token()
    oid = await held(api, ouch42, w42.enter(t, "B", 100, "ACME", 100000), t)
    api.ack(VENUE, oid)
    [accepted] = await ouch42.settle()
    assert (accepted["type"], accepted["token"], accepted["orn"]) == ("A", t, oid)
    assert (accepted["shares"], accepted["price"], accepted["state"]) == (100, 100000, "L")


async def test_a_rejected_order_is_answered_with_rejected(api: Client, ouch42: OuchClient) -> None:
    t = token()
    oid = await held(api, ouch42, w42.enter(t, "B", 100, "ACME", 100000), t)
    api.reject(VENUE, oid, "credit limit")
    assert summary(await ouch42.settle()) == [("J", t, "O")]


async def test_fills_at_chosen_prices_are_executions_after_the_accepted(
    api: Client, ouch42: OuchClient
) -> None:
    t = token()
    oid = await held(api, ouch42, w42.enter(t, "B", 300, "ACME", 100500), t)
    api.fill(VENUE, oid, 100, "10.01")
    api.fill(VENUE, oid, 200, "10.02")
    messages = await ouch42.settle()
    assert summary(messages) == [("A", t), ("E", t, 100, 100100, "R"), ("E", t, 200, 100200, "R")]
    matches = [m["match"] for m in messages[1:]]
    trades = {tr["trade_id"] for tr in api.trades(VENUE)}
    assert set(matches) <= trades


async def test_an_unsolicited_cancel_is_a_supervisory_cancel(
    api: Client, ouch42: OuchClient
) -> None:
    t = token()
    oid = await held(api, ouch42, w42.enter(t, "S", 100, "ACME", 101000), t)
    api.ack(VENUE, oid)
    api.decide(VENUE, oid, "cancel")
    assert summary(await ouch42.settle()) == [("A", t), ("C", t, 100, "S")]


async def test_a_held_cancel_is_pending_then_canceled_when_accepted(
    api: Client, ouch42: OuchClient
) -> None:
    t = token()
    oid = await held(api, ouch42, w42.enter(t, "S", 100, "ACME", 101000), t)
    api.ack(VENUE, oid)
    await ouch42.send(w42.cancel(t))
    assert summary(await ouch42.settle()) == [("A", t), ("P", t)]
    api.decide(VENUE, oid, "accept_cancel")
    assert summary(await ouch42.settle()) == [("C", t, 100, "U")]


async def test_a_held_cancel_refused_by_the_test_is_a_cancel_reject(
    api: Client, ouch42: OuchClient
) -> None:
    t = token()
    oid = await held(api, ouch42, w42.enter(t, "S", 100, "ACME", 101000), t)
    api.ack(VENUE, oid)
    await ouch42.send(w42.cancel(t, 40))
    assert summary(await ouch42.settle()) == [("A", t), ("P", t)]
    api.decide(VENUE, oid, "reject_cancel")
    assert summary(await ouch42.settle()) == [("I", t)]
    assert api.order(VENUE, oid)["leaves_qty"] == "100"


async def test_a_held_replace_accepted_is_a_replaced_naming_the_previous_token(
    api: Client, ouch42: OuchClient
) -> None:
    t, new = token(), token()
    oid = await held(api, ouch42, w42.enter(t, "B", 100, "ACME", 100000), t)
    api.ack(VENUE, oid)
    await ouch42.send(w42.replace(t, new, 150, 100100))
    assert summary(await ouch42.settle()) == [("A", t)]
    api.decide(VENUE, oid, "accept_replace")
    [replaced] = await ouch42.settle()
    assert (replaced["type"], replaced["token"], replaced["previous"]) == ("U", new, t)
    assert (replaced["shares"], replaced["price"]) == (150, 100100)


async def test_a_held_replace_refused_is_rejected_and_the_order_stays_as_it_was(
    api: Client, ouch42: OuchClient
) -> None:
    t, new = token(), token()
    oid = await held(api, ouch42, w42.enter(t, "B", 100, "ACME", 100000), t)
    api.ack(VENUE, oid)
    await ouch42.send(w42.replace(t, new, 150, 100100))
    api.wait_for(lambda e: e["kind"] == "held" and e["what"] == "replace", timeout=15)
    api.decide(VENUE, oid, "reject_replace")
    assert summary(await ouch42.settle()) == [("A", t), ("J", new, "O")]
    order = api.order(VENUE, oid)
    assert (order["cl_ord_id"], order["leaves_qty"], order["price"]) == (t, "100", "10.00")
    api.fill(VENUE, oid, 100, "10.00")
    assert summary(await ouch42.settle()) == [("E", t, 100, 100000, "R")]


async def test_pass_through_lets_matching_fill_the_order(api: Client, ouch42: OuchClient) -> None:
    resting = api.submit(VENUE, "ACME", "sell", "100", "10.03", session="desk")["order"]
    api.ack(VENUE, resting["order_id"])
    t = token()
    oid = await held(api, ouch42, w42.enter(t, "B", 40, "ACME", 100300), t)
    api.pass_through(VENUE, oid)
    assert summary(await ouch42.settle()) == [("A", t), ("E", t, 40, 100300, "R")]


async def test_a_busted_trade_is_a_broken_trade(api: Client, ouch42: OuchClient) -> None:
    t = token()
    oid = await held(api, ouch42, w42.enter(t, "B", 100, "ACME", 100000), t)
    api.fill(VENUE, oid, 100, "10.00")
    executed = (await ouch42.settle())[-1]
    api.bust_trade(VENUE, executed["match"])
    [broken] = await ouch42.settle()
    assert (broken["type"], broken["token"], broken["match"]) == ("B", t, executed["match"])


async def test_ouch50_decisions_reach_the_client_by_user_ref_num(
    api: Client, ouch50: OuchClient
) -> None:
    await ouch50.send(w50.account_query())
    [query] = await ouch50.settle()
    urn = query["next_urn"]
    oid = await held(api, ouch50, w50.enter(urn, "B", 100, "ACME", 100000, clordid="M50A"), "M50A")
    api.ack(VENUE, oid)
    api.fill(VENUE, oid, 30, "10.00")
    assert summary(await ouch50.settle()) == [("A", urn), ("E", urn, 30, 100000, "R")]
    await ouch50.send(w50.replace(urn, urn + 1, 90, 100100, clordid="M50B"))
    api.wait_for(lambda e: e["kind"] == "held" and e["what"] == "replace", timeout=15)
    api.decide(VENUE, oid, "reject_replace")
    assert summary(await ouch50.settle()) == [("J", urn + 1, 0x0015)]
    await ouch50.send(w50.cancel(urn))
    assert summary(await ouch50.settle()) == [("P", urn)]
    api.decide(VENUE, oid, "accept_cancel")
    assert summary(await ouch50.settle()) == [("C", urn, 70, "U")]
