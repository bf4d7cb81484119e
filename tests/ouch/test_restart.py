"""An OUCH venue survives a crash: a daemon killed with SIGKILL and restarted on the same
``--db`` gives OUCH clients every message they missed, knows their resting orders by
the tokens and UserRefNums they gave them (cancel, replace, fills), and its ITCH feeds
go on: the session before the crash replays, the new one starts from the books as they
were rebuilt.

One scenario runs before the crash (module fixture); each test then checks one thing
on the restarted daemon, on orders no other test touches."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import ouch50wire as w50
import ouchwire as w42
import pytest
from itchbook import ItchBook
from ouchclients import OuchClient, summary
from soupwire import SoupClient

from exsim_core import DaemonProcess, spawn

pytestmark = pytest.mark.anyio

SESSION = "2026010501"
CONFIG: dict[str, Any] = {
    "simulator": {"clock": "manual"},
    "venues": [
        {
            "name": "XNAS",
            "stp_mode": "off",
            "instruments": [
                {"asset_class": "equity", "symbol": s, "tick_size": "0.01"}
                for s in ("ACME", "WIDG")
            ],
        }
    ],
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
                },
                {"id": "clnt2", "identity": {"username": "CLNT2"}, "password": "secret"},
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
        {
            "name": "itch",
            "protocol": "itch50",
            "venue": "XNAS",
            "sessions": [
                {
                    "id": "feed",
                    "identity": {"username": "FEED"},
                    "password": "secret",
                    "role": "market_data",
                }
            ],
        },
    ],
}


@dataclass
class Crash:
    """What the clients knew when the first daemon was killed."""

    daemon: DaemonProcess
    #: the last sequenced message CLIENT (OUCH 4.2) received before it logged out
    seen: int
    #: order reference numbers from Accepted, by token
    orns: dict[str, int]
    #: the ITCH messages FEED read before the crash, and how many the session held
    itch_read: list[bytes]
    itch_total: int
    #: the books (L3) just before the kill, and as the restarted daemon rebuilt them
    books: dict[str, list[tuple[str, str, str]]]
    rebuilt: dict[str, list[tuple[str, str, str]]]


def l3(daemon: DaemonProcess) -> dict[str, list[tuple[str, str, str]]]:
    """Every book's resting orders in priority: (side, price, leaves)."""
    with daemon.client() as client:
        return {
            symbol: [
                (side, o["price"], o["leaves_qty"])
                for side in ("bids", "asks")
                for o in client.book("XNAS", symbol, orders=True)["orders"][side]
            ]
            for symbol in ("ACME", "WIDG")
        }


async def itch_end(port: int, session: str = "") -> tuple[str, int]:
    """The ITCH session's name and the number of its next message."""
    probe = await SoupClient.connect(port)
    name, next_seq = await probe.login("FEED", "secret", session, 0)
    await probe.aclose()
    return name, next_seq


async def before_the_crash(daemon: DaemonProcess) -> dict[str, Any]:
    client = await OuchClient.login(daemon.port("ouch42"), "CLIENT", sequence=1)
    for message in (
        w42.enter("REST1", "B", 100, "ACME", 100000),
        w42.enter("REST2", "S", 100, "ACME", 101000),
        w42.enter("REST3", "B", 200, "ACME", 99000),
        w42.enter("REST4", "B", 100, "WIDG", 250000),
        w42.enter("REST5", "S", 100, "WIDG", 260000, display="A"),
        w42.replace("REST3", "REST3B", 150, 99500),
    ):
        await client.send(message)
    answers = await client.settle()
    assert [m["type"] for m in answers] == ["S", "A", "A", "A", "A", "A", "U"]
    orns = {m["token"]: m["orn"] for m in answers if m["type"] in "AU"}
    await client.logout()
    seen = client.next_seq - 1

    other = await OuchClient.login(daemon.port("ouch42"), "CLNT2")
    await other.send(w42.enter("HIT1", "S", 60, "ACME", 100000, tif=0))
    assert summary(await other.settle()) == [("A", "HIT1"), ("E", "HIT1", 60, 100000, "R")]
    await other.logout()

    client50 = await OuchClient.login(daemon.port("ouch50"), "CLIENT", "5.0")
    await client50.send(w50.enter(1, "B", 100, "ACME", 98000))
    await client50.send(w50.enter(2, "S", 50, "WIDG", 255000))
    await client50.send(w50.replace(2, 3, 40, 256000))
    assert summary(await client50.settle()) == [("A", 1), ("A", 2), ("U", 3)]
    await client50.logout()

    feed = await SoupClient.connect(daemon.port("itch"))
    assert (await feed.login("FEED", "secret", "", 1))[0] == SESSION
    itch_read = [await feed.sequenced(15) for _ in range(12)]
    await feed.aclose()
    name, next_seq = await itch_end(daemon.port("itch"))
    assert name == SESSION
    return {"seen": seen, "orns": orns, "itch_read": itch_read, "itch_total": next_seq - 1}


@pytest.fixture(scope="module")
def crash(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crash]:
    db: Path = tmp_path_factory.mktemp("restart") / "exsim.db"
    first = spawn(CONFIG, db=db)
    try:
        facts = anyio.run(before_the_crash, first)
        books = l3(first)
        first.kill()
    finally:
        first.stop()
    with spawn(CONFIG, db=db) as restarted:
        yield Crash(restarted, books=books, rebuilt=l3(restarted), **facts)


async def test_a_relogin_after_the_restart_replays_what_the_client_missed(crash: Crash) -> None:
    client = await OuchClient.login(crash.daemon.port("ouch42"), "CLIENT", sequence=crash.seen + 1)
    try:
        assert (client.session, client.next_seq) == (SESSION, crash.seen + 1)
        missed = await client.next()
        assert summary([missed]) == [("E", "REST1", 60, 100000, "A")]
    finally:
        await client.logout()


async def test_the_books_are_rebuilt_as_they_were(crash: Crash) -> None:
    assert crash.rebuilt == crash.books
    assert crash.books == {
        "ACME": [
            ("bids", "10.00", "40"),
            ("bids", "9.95", "150"),
            ("bids", "9.80", "100"),
            ("asks", "10.10", "100"),
        ],
        "WIDG": [("bids", "25.00", "100"), ("asks", "25.60", "40"), ("asks", "26.00", "100")],
    }


async def test_resting_orders_are_canceled_and_replaced_by_token_after_the_restart(
    crash: Crash,
) -> None:
    client = await OuchClient.login(crash.daemon.port("ouch42"), "CLIENT")
    try:
        await client.send(w42.cancel("REST4"))
        await client.send(w42.cancel("REST1", 10))
        await client.send(w42.replace("REST3B", "REST3C", 120, 99600))
        answers = await client.settle()
        assert summary(answers) == [
            ("C", "REST4", 100, "U"),
            ("C", "REST1", 30, "U"),
            ("U", "REST3C"),
        ]
        assert (answers[2]["previous"], answers[2]["shares"], answers[2]["price"]) == (
            "REST3B",
            120,
            99600,
        )
        await client.send(w42.enter("REST1", "B", 100, "ACME", 100000))
        assert await client.settle() == []  # a token in use stays in use
    finally:
        await client.logout()


async def test_a_restored_order_trades_and_its_owner_hears_it_by_its_token(
    crash: Crash,
) -> None:
    client = await OuchClient.login(crash.daemon.port("ouch42"), "CLIENT")
    other = await OuchClient.login(crash.daemon.port("ouch42"), "CLNT2")
    try:
        await other.send(w42.enter("LIFT1", "B", 100, "ACME", 101000, tif=0))
        taken = await other.settle()
        assert summary(taken) == [("A", "LIFT1"), ("E", "LIFT1", 100, 101000, "R")]
        [executed] = await client.settle()
        assert summary([executed]) == [("E", "REST2", 100, 101000, "A")]
        assert executed["match"] == taken[1]["match"]
    finally:
        await client.logout()
        await other.logout()


async def test_ouch50_orders_are_canceled_and_replaced_by_user_ref_num_after_the_restart(
    crash: Crash,
) -> None:
    client = await OuchClient.login(crash.daemon.port("ouch50"), "CLIENT", "5.0")
    try:
        await client.send(w50.account_query())
        assert (await client.settle())[0]["next_urn"] == 4
        await client.send(w50.replace(3, 4, 30, 257000))
        await client.send(w50.cancel(1))
        answers = await client.settle()
        assert summary(answers) == [("U", 4), ("C", 1, 100, "U")]
        assert (answers[0]["orig_urn"], answers[0]["qty"], answers[0]["price"]) == (3, 30, 257000)
    finally:
        await client.logout()


async def test_the_itch_session_before_the_restart_replays_to_its_end(crash: Crash) -> None:
    port = crash.daemon.port("itch")
    current, _ = await itch_end(port)
    assert current == "2026010502"
    feed = await SoupClient.connect(port)
    start = len(crash.itch_read) + 1
    assert await feed.login("FEED", "secret", SESSION, start) == (SESSION, start)
    rest = [await feed.sequenced(15) for _ in range(crash.itch_total - start + 1)]
    assert (await feed.receive(15))[0] == b"Z"  # End of Session
    await feed.aclose()
    book = ItchBook()
    for message in crash.itch_read + rest:
        book.apply(message)
    for symbol, orders in crash.books.items():
        for side, letter in (("bids", "B"), ("asks", "S")):
            resting = [(_p4(p), int(q)) for s, p, q in orders if s == side]
            assert book.side(symbol, letter) == resting


async def test_the_new_itch_session_starts_from_the_rebuilt_books(crash: Crash) -> None:
    port = crash.daemon.port("itch")
    name, next_seq = await itch_end(port)
    feed = await SoupClient.connect(port)
    await feed.login("FEED", "secret", name, 1)
    book = ItchBook()
    for _ in range(next_seq - 1):
        book.apply(await feed.sequenced(15))
    await feed.aclose()
    for symbol, orders in l3(crash.daemon).items():
        for side, letter in (("bids", "B"), ("asks", "S")):
            resting = [(_p4(p), int(q)) for s, p, q in orders if s == side]
            assert book.side(symbol, letter) == resting
    attributed = [o for o in book.orders.values() if o.mpid]
    assert [(o.stock, o.orn, o.mpid) for o in attributed] == [("WIDG", crash.orns["REST5"], "CLNT")]


def _p4(price: str) -> int:
    """A decimal price as ITCH carries it (4 implied decimals)."""
    units, _, fraction = price.partition(".")
    return int(units) * 10000 + int(fraction.ljust(4, "0"))
