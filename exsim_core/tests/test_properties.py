"""Matching invariants over random order streams (hypothesis).

The streams are described in :mod:`orderflow`: *plain* ones are also matched by
:class:`~reference.ReferenceBook`, a slow and obvious model of price-time priority, and
must agree with it fill by fill; *rich* ones exercise every order type and option. Every
invariant is checked after every command (one command, one batch of events).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from exsim_core import BUY, SELL, Liquidity, Order, TimeInForce
from exsim_core.events import (
    ACCEPTED,
    ADDED,
    BOOK,
    CANCELED,
    FILL,
    REJECTED,
    REPLACED,
    RESTATED,
)

from .orderflow import STP_MODES, Run, plain_streams, rich_streams
from .reference import ReferenceBook

TAKER = int(Liquidity.TAKER)
L3_KINDS = frozenset({ADDED, FILL, CANCELED, REPLACED, RESTATED})


# ---------------------------------------------------------------------------------- invariants


def test_hypothesis_profile_runs_at_least_200_examples():
    assert settings().max_examples >= 200


@given(
    stream=rich_streams, stp=st.sampled_from(STP_MODES), po=st.sampled_from(("reject", "reprice"))
)
def test_book_is_never_crossed_nor_locked(stream, stp, po):
    def check(run: Run, _: list[Any]) -> None:
        bid, ask = run.book.best_bid, run.book.best_ask
        assert bid is None or ask is None or bid < ask, (bid, ask)

    Run(stp, po).play(stream, check)


@given(stream=rich_streams, stp=st.sampled_from(STP_MODES))
def test_quantity_is_conserved_per_order(stream, stp):
    """filled + canceled + leaves = ordered, per order, from the events.

    A replace sets a new ordered quantity that includes what has filled (FIX OrderQty on a
    cancel/replace): from then on the order is accounted for against it afresh.
    """
    ordered: dict[int, int] = {}
    filled: dict[int, int] = defaultdict(int)
    canceled: dict[int, int] = defaultdict(int)

    def check(run: Run, batch: list[Any]) -> None:
        for ev in batch:
            kind = ev[0]
            if kind == ACCEPTED:
                ordered[ev[1].order_id] = ev[2]
            elif kind == REPLACED:
                ordered[ev[1].order_id] = ev[6]
                canceled[ev[1].order_id] = 0
            elif kind == FILL:
                oid = ev[1].order_id
                filled[oid] += ev[2]
                assert ev[7] == filled[oid], "cum_qty is the sum of the fills"
                assert ev[8] == ordered[oid] - filled[oid] - canceled[oid], "leaves"
            elif kind == CANCELED:
                oid = ev[1].order_id
                canceled[oid] += ev[3]
                assert ev[4] == ordered[oid] - filled[oid] - canceled[oid], "leaves"
        for oid, qty in ordered.items():
            live = run.venue.order(oid)
            leaves = live.leaves if live is not None else 0
            assert filled[oid] + canceled[oid] + leaves == qty, oid

    Run(stp).play(stream, check)


@given(stream=rich_streams, stp=st.sampled_from(STP_MODES))
def test_live_orders_keep_order_qty_equal_to_cum_qty_plus_leaves(stream, stp):
    """FIX's invariant of an active order: LeavesQty = OrderQty - CumQty."""

    def check(run: Run, _: list[Any]) -> None:
        for order in run.venue.orders.values():
            assert order.qty == order.cum_qty + order.leaves, order

    Run(stp).play(stream, check)


@given(stream=rich_streams)
def test_fok_is_all_or_nothing(stream):
    def check(run: Run, batch: list[Any]) -> None:
        for ev in batch:
            if ev[0] == FILL and ev[1].tif == TimeInForce.FOK and ev[6] == TAKER:
                fok = ev[1]
                fills = [e for e in batch if e[0] == FILL and e[1] is fok]
                assert sum(f[2] for f in fills) == fok.qty
        for order in run.sent:
            if order.tif == TimeInForce.FOK:
                assert order.cum_qty in (0, order.qty)

    Run().play(stream, check)


@given(stream=rich_streams)
def test_ioc_fok_and_market_orders_never_rest(stream):
    def immediate(order: Order) -> bool:
        return order.tif in (TimeInForce.IOC, TimeInForce.FOK) or order.ord_type == "market"

    def check(run: Run, batch: list[Any]) -> None:
        assert not [ev for ev in batch if ev[0] == ADDED and immediate(ev[1])]
        for side in (BUY, SELL):
            assert not [o for o in run.book.resting(side) if immediate(o)]

    Run().play(stream, check)


@given(stream=rich_streams)
def test_iceberg_never_shows_more_than_its_peak(stream):
    def check(run: Run, batch: list[Any]) -> None:
        for ev in batch:
            if ev[0] == ADDED and ev[1].display:
                assert 0 < ev[3] <= ev[1].display
        for side in (BUY, SELL):
            for order in run.book.resting(side):
                if order.display:
                    assert 0 < order.shown <= order.display
        for side in (BUY, SELL):
            for level in run.book.levels(side):
                assert level.qty == sum(o.shown for o in level.live())

    Run().play(stream, check)


@given(stream=rich_streams, stp=st.sampled_from(STP_MODES))
def test_l2_replayed_from_book_events_equals_depth(stream, stp):
    levels: dict[int, dict[int, tuple[int, int]]] = {BUY: {}, SELL: {}}

    def check(run: Run, batch: list[Any]) -> None:
        for ev in batch:
            if ev[0] == BOOK:
                _, _, side, price, qty, count = ev
                if count:
                    levels[side][price] = (qty, count)
                else:
                    assert qty == 0
                    levels[side].pop(price, None)
        for side in (BUY, SELL):
            replayed = sorted(levels[side].items(), reverse=side == BUY)
            assert [(p, q, c) for p, (q, c) in replayed] == run.book.depth(side)

    Run(stp).play(stream, check)


@given(stream=rich_streams, stp=st.sampled_from(STP_MODES))
def test_l3_rebuilt_from_order_events_equals_resting(stream, stp):
    queues: dict[tuple[int, int], list[int]] = defaultdict(list)
    where: dict[int, tuple[int, int]] = {}
    shown: dict[int, int] = {}

    def remove(oid: int) -> None:
        key = where.pop(oid, None)
        if key is not None:
            queues[key].remove(oid)
            shown.pop(oid)

    def check(run: Run, batch: list[Any]) -> None:
        for ev in batch:
            kind, order = ev[0], ev[1]
            if kind not in L3_KINDS:
                continue
            oid = order.order_id
            if kind == ADDED:
                remove(oid)
                where[oid] = (order.side, ev[2])
                queues[order.side, ev[2]].append(oid)
                shown[oid] = ev[3]
            elif kind == FILL and oid in where and ev[6] != TAKER:
                shown[oid] -= ev[2]
                if not ev[8]:
                    remove(oid)
            elif kind == CANCELED and oid in where:
                if ev[4]:
                    shown[oid] = ev[5]
                else:
                    remove(oid)
            elif kind == REPLACED and oid in where:
                if ev[2] is not order:
                    remove(oid)
                else:
                    shown[oid] = ev[5]
            elif kind == RESTATED and ev[2] is not order:
                remove(oid)
        for side in (BUY, SELL):
            rebuilt = [
                (oid, price, shown[oid])
                for (s, price), oids in sorted(queues.items(), reverse=side == BUY)
                if s == side
                for oid in oids
            ]
            actual = [(o.order_id, o.level.price, o.shown) for o in run.book.resting(side)]
            assert rebuilt == actual

    Run(stp).play(stream, check)


# ---------------------------------------------------------------------------------- reference


def check_against_the_model(stream: list[tuple[Any, ...]], stp: str) -> None:
    """Play ``stream`` on the engine and on :class:`ReferenceBook`: every fill is against
    the best-priced, then oldest, eligible resting order, and what is canceled, what rests,
    where, with what quantity and what showing, all agree."""
    run = Run(stp)
    model = ReferenceBook(stp)
    for command in stream:
        batch = run.apply(command)
        model.apply(command, run)
        fills = [(e[1].order_id, e[10].order_id, e[2], e[3]) for e in batch if is_taker_fill(e)]
        assert fills == model.fills
        canceled = sorted((e[1].order_id, e[3]) for e in batch if e[0] == CANCELED)
        assert canceled == sorted(model.canceled)
        assert not [e for e in batch if e[0] == REJECTED]
        for side in (BUY, SELL):
            actual = [
                (o.order_id, o.level.price, o.qty, o.leaves, o.shown)
                for o in run.book.resting(side)
            ]
            expected = [(o.oid, o.price, o.qty, o.leaves, o.shown) for o in model.queue(side)]
            assert actual == expected


@given(
    stream=plain_streams,
    stp=st.sampled_from(("off", "cancel_newest", "cancel_oldest", "cancel_both")),
)
def test_fills_follow_price_time_priority_like_the_reference_model(stream, stp):
    check_against_the_model(stream, stp)


@given(stream=plain_streams)
def test_fills_follow_price_time_priority_like_the_reference_model_under_stp_decrement(stream):
    check_against_the_model(stream, "decrement")


def is_taker_fill(event: tuple[Any, ...]) -> bool:
    return event[0] == FILL and event[6] == TAKER
