"""Drop copy, market data (V -> W/X/Y) and security lists over real sockets."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from exsim_core import Cancel, Order
from exsim_fix.testing import FixClient, field, serving

pytestmark = pytest.mark.anyio


def add_drop_copy(sim, version, copy_of=()):
    sim.create_session(
        "fix",
        "DC",
        {"sender_comp_id": "DC", "target_comp_id": "EXSIM"},
        role="drop_copy",
        params={"begin_string": version, "copy_of": list(copy_of)},
    )


async def connect(port, sim, version, sender):
    client = await FixClient.connect(port, begin_string=version, sender=sender, clock=sim.clock)
    await client.logon(600)
    return client


@pytest.mark.parametrize("version", ["FIX.4.2", "FIX.4.4"])
async def test_drop_copy_receives_every_execution_report_with_the_same_exec_ids(make_sim, version):
    sim = make_sim(version)
    add_drop_copy(sim, version)
    async with serving(sim, "fix") as (port, _):
        dc = await connect(port, sim, version, "DC")
        a = await connect(port, sim, version, "CLIENT")
        b = await connect(port, sim, version, "CLIENT2")
        await a.new_order("A1", 1, 100, "10.00")
        ack = await a.expect("8")
        await b.new_order("B1", 2, 100, "10.00")
        b_ack = await b.expect("8")
        a_fill = await a.expect("8")
        b_fill = await b.expect("8")
        copies = [await dc.expect("8") for _ in range(4)]
        # in the venue's event order: the aggressor's fill comes before the resting order's
        assert [field(m, 17) for m in copies] == [
            field(m, 17) for m in (ack, b_ack, b_fill, a_fill)
        ]
        assert [field(m, 11) for m in copies] == ["A1", "B1", "B1", "A1"]
        assert [field(m, 34) for m in copies] == ["2", "3", "4", "5"]
        expected = "Y" if version == "FIX.4.4" else None
        assert {field(m, 797) for m in copies} == {expected}


@pytest.mark.parametrize("version", ["FIX.4.2", "FIX.4.4"])
async def test_drop_copy_of_a_canceled_order_names_the_cancel_request_like_the_owner(
    make_sim, version
):
    sim = make_sim(version)
    add_drop_copy(sim, version)
    async with serving(sim, "fix") as (port, _):
        dc = await connect(port, sim, version, "DC")
        a = await connect(port, sim, version, "CLIENT")
        await a.new_order("A1", 1, 100, "9.00")
        await a.expect("8")
        await a.send("F", (41, "A1"), (11, "A2"), (55, "ACME"), (54, 1), (38, 100), (60, a.now()))
        canceled = await a.expect("8")
        await dc.expect("8")
        copy = await dc.expect("8")
        assert (field(canceled, 150), field(canceled, 11), field(canceled, 41)) == ("4", "A2", "A1")
        assert [field(copy, t) for t in (150, 11, 41, 17)] == [
            field(canceled, t) for t in (150, 11, 41, 17)
        ]


async def test_drop_copy_of_named_sessions_copies_only_those(make_sim):
    sim = make_sim("FIX.4.4")
    add_drop_copy(sim, "FIX.4.4", ["CLIENT2"])
    async with serving(sim, "fix") as (port, _):
        dc = await connect(port, sim, "FIX.4.4", "DC")
        a = await connect(port, sim, "FIX.4.4", "CLIENT")
        b = await connect(port, sim, "FIX.4.4", "CLIENT2")
        await a.new_order("A1", 1, 100, "9.00")
        await a.expect("8")
        await b.new_order("B1", 1, 100, "9.00")
        await b.expect("8")
        copy = await dc.expect("8")
        assert field(copy, 11) == "B1"
        await dc.expect_silence()


async def test_drop_copy_has_its_own_resend(make_sim):
    sim = make_sim("FIX.4.4")
    add_drop_copy(sim, "FIX.4.4")
    async with serving(sim, "fix") as (port, _):
        dc = await connect(port, sim, "FIX.4.4", "DC")
        a = await connect(port, sim, "FIX.4.4", "CLIENT")
        await a.new_order("A1")
        await a.expect("8")
        copy = await dc.expect("8")
        await dc.send("2", (7, 2), (16, 0))
        again = await dc.expect("8")
        assert (field(again, 34), field(again, 43), field(again, 17)) == ("2", "Y", field(copy, 17))


def _apply(levels: dict[tuple[str, Decimal], tuple[Decimal, int]], msg) -> None:
    """Apply a W or X to a client's view of the book: {(entry type, price): (size, n)}."""
    entry: dict[int, bytes] = {}
    entries = []
    for tag_b, value in msg.pairs:
        tag = int(tag_b)
        if (tag in (279, 269) and tag in entry) or (tag == 269 and 279 not in entry and entry):
            entries.append(entry)
            entry = {}
        if tag in (279, 269, 270, 271, 346):
            entry[tag] = value
    if entry:
        entries.append(entry)
    if msg.get(35) == b"W":
        levels.clear()
    for e in entries:
        kind = e[269].decode()
        if kind == "2":
            continue
        key = (kind, Decimal(e[270].decode()))
        if e.get(279) == b"2":
            del levels[key]
        else:
            levels[key] = (Decimal(e[271].decode()), int(e[346]))


def _book_view(sim, depth):
    book = sim.venue("XSIM").books["ACME"]
    out = {}
    for side, kind in ((1, "0"), (2, "1")):
        for price, qty, count in book.depth(side, depth or None):
            out[(kind, Decimal(price) / 100)] = (Decimal(qty), count)
    return out


@pytest.mark.parametrize("depth", [0, 3])
async def test_incremental_market_data_matches_the_book_after_every_update(make_sim, depth):
    sim = make_sim("FIX.4.4")
    venue = sim.venue("XSIM")
    async with serving(sim, "fix") as (port, _):
        md = await connect(port, sim, "FIX.4.4", "CLIENT2")
        await md.send(
            "V",
            (262, "MD1"),
            (263, 1),
            (264, depth),
            (265, 1),
            (267, 3),
            (269, 0),
            (269, 1),
            (269, 2),
            (146, 1),
            (55, "ACME"),
        )
        levels: dict = {}
        _apply(levels, await md.expect("W"))
        assert levels == _book_view(sim, depth)
        rng = random.Random(7)
        live: list[int] = []
        for i in range(80):
            before = _book_view(sim, depth)
            trades_before = venue.books["ACME"].trades
            if live and rng.random() < 0.3:
                venue.cancel(Cancel(live.pop(rng.randrange(len(live))), "bot"))
            else:
                side = rng.choice((1, 2))
                price = rng.randint(995, 1005)
                order = venue.submit(
                    Order(
                        "ACME",
                        side,
                        rng.randint(1, 5) * 10,
                        price,
                        session="bot",
                        cl_ord_id=f"o{i}",
                    )
                )
                if order.leaves:
                    live.append(order.order_id)
            after = _book_view(sim, depth)
            if after != before or venue.books["ACME"].trades != trades_before:
                update = await md.expect("X")
                _apply(levels, update)
            assert levels == after


async def test_snapshot_request_is_answered_once_with_the_top_of_book(make_sim):
    sim = make_sim("FIX.4.2")
    venue = sim.venue("XSIM")
    venue.submit(Order("ACME", 1, 100, 1000, session="bot"))
    venue.submit(Order("ACME", 1, 50, 999, session="bot"))
    venue.submit(Order("ACME", 2, 70, 1002, session="bot"))
    async with serving(sim, "fix") as (port, _):
        md = await connect(port, sim, "FIX.4.2", "CLIENT2")
        await md.send(
            "V",
            (262, "S1"),
            (263, 0),
            (264, 1),
            (267, 2),
            (269, 0),
            (269, 1),
            (146, 1),
            (55, "ACME"),
        )
        snap = await md.expect("W")
        levels: dict = {}
        _apply(levels, snap)
        assert levels == {
            ("0", Decimal("10.00")): (Decimal(100), 1),
            ("1", Decimal("10.02")): (Decimal(70), 1),
        }
        venue.submit(Order("ACME", 1, 10, 1001, session="bot"))
        await md.expect_silence()


async def test_market_data_request_for_unknown_symbol_is_rejected(make_sim):
    sim = make_sim("FIX.4.4")
    async with serving(sim, "fix") as (port, _):
        md = await connect(port, sim, "FIX.4.4", "CLIENT2")
        await md.send(
            "V", (262, "M1"), (263, 1), (264, 0), (267, 1), (269, 0), (146, 1), (55, "NOPE")
        )
        reject = await md.expect("Y")
        assert (field(reject, 262), field(reject, 281)) == ("M1", "0")
        assert "NOPE" in field(reject, 58)


# MinPriceIncrement(969) exists from FIX 5.0: FIX 4.4 peers refuse it as an invalid tag
@pytest.mark.parametrize(("version", "tick"), [("FIX.4.4", None), ("FIXT.1.1", "0.01")])
async def test_security_list_request_lists_the_venues_instruments(make_sim, version, tick):
    sim = make_sim(version)
    async with serving(sim, "fix") as (port, _):
        client = await connect(port, sim, version, "CLIENT")
        await client.send("x", (320, "L1"), (559, 4))
        answer = await client.expect("y")
        assert (field(answer, 320), field(answer, 560), field(answer, 146)) == ("L1", "0", "1")
        assert (field(answer, 55), field(answer, 167), field(answer, 561)) == ("ACME", "CS", "1")
        assert field(answer, 969) == tick


async def test_security_definition_request_describes_one_instrument(make_sim):
    sim = make_sim("FIX.4.2")
    async with serving(sim, "fix") as (port, _):
        client = await connect(port, sim, "FIX.4.2", "CLIENT")
        await client.send("c", (320, "D1"), (321, 0), (55, "ACME"))
        answer = await client.expect("d")
        assert (field(answer, 320), field(answer, 323), field(answer, 55)) == ("D1", "1", "ACME")


@pytest.mark.parametrize(("symbol", "result", "total"), [("ACME", "1", "1"), ("NOPE", "5", "0")])
async def test_fix42_security_definition_carries_the_required_total_num_securities(
    make_sim, symbol, result, total
):
    sim = make_sim("FIX.4.2")
    async with serving(sim, "fix") as (port, _):
        client = await connect(port, sim, "FIX.4.2", "CLIENT")
        await client.send("c", (320, "D1"), (321, 0), (55, symbol))
        answer = await client.expect("d")
        assert (field(answer, 323), field(answer, 393)) == (result, total)


async def test_full_refresh_mode_sends_a_new_snapshot_after_each_change(make_sim):
    sim = make_sim("FIX.4.4")
    venue = sim.venue("XSIM")
    async with serving(sim, "fix") as (port, _):
        md = await connect(port, sim, "FIX.4.4", "CLIENT2")
        await md.send(
            "V",
            (262, "F1"),
            (263, 1),
            (264, 0),
            (265, 0),
            (267, 1),
            (269, 0),
            (146, 1),
            (55, "ACME"),
        )
        await md.expect("W")
        venue.submit(Order("ACME", 1, 100, 1000, session="bot"))
        levels: dict = {}
        _apply(levels, await md.expect("W"))
        assert levels == {("0", Decimal("10.00")): (Decimal(100), 1)}


async def test_unsubscribe_stops_the_updates(make_sim):
    sim = make_sim("FIX.4.4")
    venue = sim.venue("XSIM")
    async with serving(sim, "fix") as (port, _):
        md = await connect(port, sim, "FIX.4.4", "CLIENT2")
        await md.send(
            "V", (262, "U1"), (263, 1), (264, 0), (267, 1), (269, 0), (146, 1), (55, "ACME")
        )
        await md.expect("W")
        await md.send(
            "V", (262, "U1"), (263, 2), (264, 0), (267, 1), (269, 0), (146, 1), (55, "ACME")
        )
        await md.send("1", (112, "SYNC"))
        await md.expect("0")
        venue.submit(Order("ACME", 1, 100, 1000, session="bot"))
        await md.expect_silence()


async def test_unsupported_entry_type_is_rejected(make_sim):
    sim = make_sim("FIX.4.4")
    async with serving(sim, "fix") as (port, _):
        md = await connect(port, sim, "FIX.4.4", "CLIENT2")
        await md.send(
            "V", (262, "E1"), (263, 0), (264, 0), (267, 1), (269, 7), (146, 1), (55, "ACME")
        )
        reject = await md.expect("Y")
        assert field(reject, 281) == "8"


async def test_halt_is_published_to_subscribers_as_security_status(make_sim):
    sim = make_sim("FIX.4.4")
    venue = sim.venue("XSIM")
    async with serving(sim, "fix") as (port, _):
        md = await connect(port, sim, "FIX.4.4", "CLIENT2")
        await md.send(
            "V", (262, "H1"), (263, 1), (264, 0), (267, 1), (269, 0), (146, 1), (55, "ACME")
        )
        await md.expect("W")
        venue.set_status("halted", "ACME", "news pending")
        status = await md.expect("f")
        assert (field(status, 55), field(status, 326), field(status, 58)) == (
            "ACME",
            "2",
            "news pending",
        )
