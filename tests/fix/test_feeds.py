"""Drop copy, market data and mass cancel through a running daemon: what the FIX
sessions of examples/fix.toml receive."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from fixexample import VENUE, Example, session_id

from exsim_fix.testing import FixClient, field

pytestmark = pytest.mark.anyio
GTC = (59, 1)


async def test_drop_copy_receives_both_clients_reports_with_their_exec_ids(
    example: Example,
) -> None:
    copies = await example.connect("fix42", "DROPCOPY")
    buyer = await example.connect("fix44", "CLIENT")
    seller = await example.connect("fix42", "CLIENT2")
    await buyer.new_order("B1", 1, 100, "10.00", "ACME", "2", GTC)
    ack = await buyer.expect("8")
    await seller.new_order("S1", 2, 60, "10.00", "ACME", "2", GTC)
    seller_reports = [await seller.expect("8") for _ in range(2)]
    buyer_fill = await buyer.expect("8")
    received = [await copies.expect("8") for _ in range(4)]
    owners = [ack, *seller_reports, buyer_fill]
    assert [(field(m, 11), field(m, 17)) for m in received] == [
        (field(m, 11), field(m, 17)) for m in owners
    ]
    # FIX 4.2 copies of FIX 4.4 reports: fills are ExecType 1/2, with ExecTransType
    assert [field(m, 150) for m in received] == ["0", "0", "2", "1"]
    assert {field(m, 20) for m in received} == {"0"}


def _apply(levels: dict[tuple[str, Decimal], tuple[Decimal, int]], msg: Any) -> None:
    """Apply a W or X to a client's view of the book: {(entry type, price): (size, n)}."""
    first = b"279" if msg.get(35) == b"X" else b"269"  # the first field of each entry
    entries: list[dict[bytes, bytes]] = []
    for tag, value in msg.pairs:
        if tag == first:
            entries.append({})
        if entries and tag in (b"279", b"269", b"270", b"271", b"346"):
            entries[-1][tag] = value
    if msg.get(35) == b"W":
        levels.clear()
    for e in entries:
        key = (e[b"269"].decode(), Decimal(e[b"270"].decode()))
        if e.get(b"279") == b"2":
            del levels[key]
        else:
            levels[key] = (Decimal(e[b"271"].decode()), int(e[b"346"]))


async def _book(example: Example) -> dict[tuple[str, Decimal], tuple[Decimal, int]]:
    book = await example.api.book(VENUE, "ACME")
    return {
        (kind, Decimal(level["price"])): (Decimal(level["qty"]), level["count"])
        for kind, levels in (("0", book["bids"]), ("1", book["asks"]))
        for level in levels
    }


async def _step(trader: FixClient, example: Example, rng: random.Random, i: int) -> None:
    """One seeded command that changes the book: a new GTC limit order, or a cancel of
    a resting one."""
    live = await example.api.orders(VENUE, session=session_id("fix44", "CLIENT"))
    if live and rng.random() < 0.3:
        order = rng.choice(live)
        side = 1 if order["side"] == "buy" else 2
        await trader.send(
            "F", (41, order["cl_ord_id"]), (11, f"x{i}"), (55, "ACME"), (54, side),
            (60, trader.now()),
        )  # fmt: skip
    else:
        side = rng.choice((1, 2))
        price = Decimal(rng.randint(995, 1005)) / 100
        await trader.new_order(f"o{i}", side, rng.randint(1, 5) * 10, f"{price}", "ACME", "2", GTC)


async def test_incremental_market_data_matches_the_book_after_every_update(
    example: Example,
) -> None:
    trader = await example.connect("fix44", "CLIENT")
    md = await example.connect("fix44", "CLIENT2")
    await md.send(
        "V", (262, "MD1"), (263, 1), (264, 0), (265, 1), (267, 2), (269, 0), (269, 1),
        (146, 1), (55, "ACME"),
    )  # fmt: skip
    levels: dict[tuple[str, Decimal], tuple[Decimal, int]] = {}
    _apply(levels, await md.expect("W"))
    assert levels == await _book(example) == {}
    rng = random.Random(11)
    for i in range(40):
        await _step(trader, example, rng, i)
        _apply(levels, await md.expect("X"))
        assert levels == await _book(example), f"after update {i + 1}"


async def test_mass_cancel_cancels_every_order_of_the_session_and_reports_the_count(
    example: Example,
) -> None:
    client = await example.connect("fix44", "CLIENT")
    other = await example.connect("fix44", "CLIENT2")
    await other.new_order("KEEP", 1, 10, "9.00", "ACME", "2", GTC)
    await other.expect("8")
    for i, (side, price) in enumerate(((1, "9.50"), (1, "9.40"), (2, "10.50"))):
        await client.new_order(f"M{i}", side, 10, price, "ACME", "2", GTC)
        await client.expect("8")
    await client.send("q", (11, "MASS-1"), (530, 7), (60, client.now()))
    answers = [await client.receive() for _ in range(4)]
    (report,) = [m for m in answers if field(m, 35) == "r"]
    assert [field(report, t) for t in (11, 530, 531, 533)] == ["MASS-1", "7", "7", "3"]
    canceled = sorted(field(m, 11) for m in answers if field(m, 35) == "8")
    assert canceled == ["M0", "M1", "M2"]
    assert {field(m, 150) for m in answers if field(m, 35) == "8"} == {"4"}
    book = await example.api.book(VENUE, "ACME")
    assert (book["bids"], book["asks"]) == ([{"price": "9.00", "qty": "10", "count": 1}], [])
