"""What a venue says happened: the events, their fields, their batches, and their
determinism (the same inputs give the identical event stream, IDs included)."""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
from enum import Enum

from exsim_core import (
    BUY,
    SELL,
    Cancel,
    Equity,
    Liquidity,
    ManualClock,
    MassCancel,
    Order,
    PegType,
    RejectReason,
    Replace,
    Simulator,
    TimeInForce,
)
from exsim_core.events import (
    ACCEPTED,
    ADDED,
    BOOK,
    FIELDS,
    FILL,
    KIND_NAMES,
    REJECTED,
    TRADE,
    as_dict,
)


def test_rejected_event_carries_the_reason_and_its_text(venue, events):
    order = venue.submit(Order("ACME", BUY, 0, price=1000))

    rejected = events.one(REJECTED)
    assert rejected["order"] is order
    assert rejected["reason"] == RejectReason.BAD_QTY
    assert rejected["text"] == "quantity must be positive"


def test_accepted_event_carries_the_order(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1000))

    assert events.one(ACCEPTED)["order"] is order


def test_added_event_says_where_the_order_rests_and_what_shows(venue, events):
    order = venue.submit(Order("ACME", SELL, 100, price=1001, display=30))

    added = events.one(ADDED)
    assert (added["order"], added["price"], added["shown"]) == (order, 1001, 30)


def test_every_fill_has_its_own_exec_id(venue, events):
    for price in (1000, 1001, 1002):
        venue.submit(Order("ACME", SELL, 10, price=price))
    venue.submit(Order("ACME", BUY, 30, price=1002))
    venue.submit(Order("ACME", SELL, 5, price=990))
    venue.submit(Order("ACME", BUY, 5, price=990))

    exec_ids = [f["exec_id"] for f in events.of(FILL)]
    assert len(exec_ids) == 8
    assert len(set(exec_ids)) == 8


def test_both_fills_of_a_trade_share_its_trade_id(venue, events):
    venue.submit(Order("ACME", SELL, 10, price=1000))
    venue.submit(Order("ACME", BUY, 10, price=1000))

    taker, maker = events.of(FILL)
    assert taker["trade_id"] == maker["trade_id"] == events.one(TRADE)["trade_id"]


def test_fills_say_who_made_and_who_took_liquidity(venue, events):
    maker = venue.submit(Order("ACME", SELL, 10, price=1000))
    taker = venue.submit(Order("ACME", BUY, 10, price=1000))

    flags = {f["order"].order_id: f["liquidity"] for f in events.of(FILL)}
    assert flags == {maker.order_id: Liquidity.MAKER, taker.order_id: Liquidity.TAKER}


def test_fill_names_the_contra_order(venue, events):
    maker = venue.submit(Order("ACME", SELL, 10, price=1000))
    taker = venue.submit(Order("ACME", BUY, 10, price=1000))

    assert events.for_order(taker.order_id, FILL)[0]["contra"] is maker
    assert events.for_order(maker.order_id, FILL)[0]["contra"] is taker


def test_partial_then_full_fill_report_last_cumulative_and_leaves(venue, events):
    order = venue.submit(Order("ACME", BUY, 100, price=1001))
    venue.submit(Order("ACME", SELL, 40, price=1000))
    venue.submit(Order("ACME", SELL, 60, price=1001))

    reported = [
        (f["last_qty"], f["last_px"], f["cum_qty"], f["leaves"])
        for f in events.for_order(order.order_id, FILL)
    ]
    assert reported == [(40, 1001, 40, 60), (60, 1001, 100, 0)]


def test_fill_numbers_describe_the_moment_of_the_fill(venue, events):
    order = venue.submit(Order("ACME", SELL, 100, price=1000))
    venue.submit(Order("ACME", BUY, 30, price=1000))
    venue.submit(Order("ACME", BUY, 70, price=1000))

    first = events.for_order(order.order_id, FILL)[0]
    assert (first["cum_qty"], first["leaves"]) == (30, 70)
    assert order.leaves == 0


def test_fill_carries_the_cumulative_cost_for_the_average_price(venue, events):
    venue.submit(Order("ACME", SELL, 10, price=1000))
    venue.submit(Order("ACME", SELL, 30, price=1004))
    taker = venue.submit(Order("ACME", BUY, 40, price=1004))

    last = events.for_order(taker.order_id, FILL)[-1]
    assert last["cum_cost"] == 10 * 1000 + 30 * 1004
    assert last["cum_cost"] / last["cum_qty"] == 1003
    assert taker.avg_px_units == 1003


def test_trade_print_names_price_quantity_aggressor_buyer_and_seller(venue, events):
    seller = venue.submit(Order("ACME", SELL, 10, price=1000))
    buyer = venue.submit(Order("ACME", BUY, 10, price=1000))

    trade = events.one(TRADE)
    assert (trade["symbol"], trade["price"], trade["qty"]) == ("ACME", 1000, 10)
    assert trade["aggressor"] == BUY
    assert (trade["buy"], trade["sell"]) == (buyer, seller)


def test_book_events_give_each_changed_level_after_the_change(venue, events):
    maker = venue.submit(Order("ACME", SELL, 100, price=1000))
    venue.submit(Order("ACME", SELL, 50, price=1000))
    venue.submit(Order("ACME", BUY, 30, price=1000))
    venue.cancel(Cancel(maker.order_id))
    venue.mass_cancel(MassCancel(symbol="ACME"))

    levels = [(b["side"], b["price"], b["qty"], b["count"]) for b in events.of(BOOK)]
    assert levels == [
        (SELL, 1000, 100, 1),
        (SELL, 1000, 150, 2),
        (SELL, 1000, 120, 2),
        (SELL, 1000, 50, 1),
        (SELL, 1000, 0, 0),
    ]


def test_each_command_gives_one_batch(venue, events):
    venue.submit(Order("ACME", SELL, 10, price=1000))
    venue.submit(Order("ACME", BUY, 10, price=1000))
    venue.cancel(Cancel(99))

    assert len(events.batches) == 3


def test_a_session_receives_the_events_of_its_own_orders_only(venue, events):
    mine = []
    venue.attach_session("a", lambda event, now: mine.append(event))
    own = venue.submit(Order("ACME", SELL, 10, price=1000, session="a"))
    venue.submit(Order("ACME", BUY, 10, price=1000, session="b"))
    venue.cancel(Cancel(own.order_id, session="a"))

    assert [KIND_NAMES[e[0]] for e in mine] == ["accepted", "fill", "cancel_rejected"]
    assert all(e[1].session == "a" for e in mine)


def test_order_ids_count_up_from_one_per_venue(venue, sim):
    other = sim.create_venue("XTWO")
    other.add_instrument(Equity(symbol="ACME"))

    ids = [venue.submit(Order("ACME", BUY, 1, price=1000)).order_id for _ in range(3)]
    assert ids == [1, 2, 3]
    assert other.submit(Order("ACME", BUY, 1, price=1000)).order_id == 1


def test_as_dict_names_every_field_of_every_kind():
    for kind, names in FIELDS.items():
        values = [f"value {i}" for i in range(len(names))]
        expected = {"kind": KIND_NAMES[kind], **dict(zip(names, values, strict=True))}
        assert as_dict((kind, *values)) == expected


# ---------------------------------------------------------------------------------- determinism


def canonical(value):
    """A value of an event, with live objects replaced by what identifies them."""
    if isinstance(value, Order):
        return ("order", value.order_id, value.cl_ord_id, value.session)
    if isinstance(value, Cancel | Replace | MassCancel):
        return (type(value).__name__, getattr(value, "order_id", None), value.cl_ord_id)
    if isinstance(value, Enum):
        return value.value
    return value


def digest_of_a_run(seed):
    """Run a seeded stream of mixed commands on a fresh simulator; hash its events."""
    rng = random.Random(seed)
    clock = ManualClock()
    venue = Simulator(clock, autoload=False).create_venue("XSIM", stp_mode="decrement")
    venue.add_instrument(Equity(symbol="ACME"))
    sha = hashlib.sha256()

    def listen(batch, now):
        for event in batch:
            sha.update(repr((now, tuple(canonical(v) for v in event))).encode())

    venue.subscribe(listen)
    venue.submit(Order("ACME", BUY, 100, price=995, session="mm"))
    venue.submit(Order("ACME", SELL, 100, price=1005, session="mm"))
    for n in range(400):
        roll = rng.random()
        side = rng.choice((BUY, SELL))
        session = rng.choice("abc")
        qty = rng.randint(1, 20) * 10
        price = rng.randint(990, 1010)
        if roll < 0.45:
            tif = rng.choice((TimeInForce.DAY, TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK))
            display = rng.choice((0, 0, 10))
            venue.submit(
                Order("ACME", side, qty, price=price, tif=tif, display=display, session=session)
            )
        elif roll < 0.55:
            venue.submit(Order("ACME", side, qty, ord_type="market", session=session))
        elif roll < 0.6:
            venue.submit(
                Order("ACME", side, qty, ord_type="stop", stop_price=price, session=session)
            )
        elif roll < 0.65:
            peg = rng.choice((PegType.PRIMARY, PegType.MIDPOINT))
            venue.submit(Order("ACME", side, qty, ord_type="peg", peg=peg, session=session))
        elif roll < 0.8:
            venue.cancel(Cancel(rng.randint(1, n + 2), session=session))
        elif roll < 0.95:
            venue.replace(Replace(rng.randint(1, n + 2), qty=qty, price=price))
        else:
            clock.advance(seconds=rng.randint(1, 3600))
    return sha.hexdigest()


def test_same_inputs_give_the_identical_event_stream():
    assert digest_of_a_run(7) == digest_of_a_run(7)


def test_different_inputs_give_a_different_event_stream():
    assert digest_of_a_run(7) != digest_of_a_run(8)


def test_event_stream_does_not_depend_on_the_process_or_its_hash_seed():
    script = "import runpy, sys; print(runpy.run_path(sys.argv[1])['digest_of_a_run'](7))"
    digests = set()
    for hash_seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", script, __file__],
            env=os.environ | {"PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        digests.add(done.stdout.strip())

    assert digests == {digest_of_a_run(7)}
