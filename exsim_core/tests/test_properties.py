"""Matching invariants over random order streams (hypothesis).

Each example is a stream of commands from several sessions on one book (ACME, tick 0.01):

* *plain* streams mix limit (DAY, GTC), market, IOC, FOK and iceberg orders with cancels and
  replaces; they are checked against :class:`ReferenceBook`, a slow and obvious model of
  price-time priority (with self-trade prevention) written for these tests;
* *rich* streams add stops, stop-limits, pegs, post-only, market-to-limit, minimum
  quantities, GTD orders, mass cancels and the passing of time (DAY and GTD expiry).

Every invariant is checked after every command (one command, one batch of events).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    Replace,
    Simulator,
    TimeInForce,
)
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

SESSIONS = ("a", "b", "c")
STP_MODES = ("off", "cancel_newest", "cancel_oldest", "cancel_both", "decrement")
SECOND = 1_000_000_000
TAKER = int(Liquidity.TAKER)
L3_KINDS = frozenset({ADDED, FILL, CANCELED, REPLACED, RESTATED})


# ---------------------------------------------------------------------------------- streams
#
# A command is decoded from one drawn integer (a "word"): drawing one primitive per command
# keeps generation cheap enough for long streams, and hypothesis still shrinks a failing
# stream by dropping commands and by moving words toward 0, which decodes to the simplest
# command (a limit buy of 1 at 9.95 from session a).


class Word:
    """Reads small choices off an integer, one ``divmod`` at a time."""

    def __init__(self, value: int) -> None:
        self.value = value

    def take(self, n: int) -> int:
        """A choice in ``range(n)``."""
        self.value, choice = divmod(self.value, n)
        return choice

    def pick(self, options: tuple[Any, ...]) -> Any:
        return options[self.take(len(options))]

    def price(self) -> int:
        return 995 + self.take(11)

    def maybe(self, value: Callable[[], int]) -> int | None:
        return None if self.take(3) == 0 else value()


def plain_order(w: Word) -> tuple[Any, ...]:
    """("new", fields) of a limit, market, IOC, FOK or iceberg order."""
    kind = w.pick(("limit", "limit", "market", "ioc", "fok", "iceberg"))
    qty = 1 + w.take(40)
    fields: dict[str, Any] = {"side": w.pick((BUY, SELL)), "qty": qty, "session": w.pick(SESSIONS)}
    if kind == "market":
        tif = w.pick((TimeInForce.DAY, TimeInForce.IOC, TimeInForce.FOK))
        return ("new", fields | {"ord_type": "market", "tif": tif})
    fields["price"] = w.price()
    if kind == "limit":
        fields["tif"] = w.pick((TimeInForce.DAY, TimeInForce.GTC))
    elif kind == "ioc":
        fields["tif"] = TimeInForce.IOC
    elif kind == "fok":
        fields["tif"] = TimeInForce.FOK
    else:
        fields["display"] = 1 + w.take(qty)
    return ("new", fields)


def rich_order(w: Word) -> tuple[Any, ...]:
    """("new", fields) of a stop, stop-limit, peg, post-only, market-to-limit, minimum
    quantity or GTD order."""
    kind = w.pick(("stop", "stop_limit", "peg", "post_only", "mtl", "min", "gtd"))
    qty = 1 + w.take(40)
    fields: dict[str, Any] = {"side": w.pick((BUY, SELL)), "qty": qty, "session": w.pick(SESSIONS)}
    if kind in ("stop", "stop_limit"):
        fields |= {"ord_type": kind, "stop_price": w.price()}
        if kind == "stop_limit":
            fields["price"] = w.price()
    elif kind == "peg":
        peg = w.pick((PegType.PRIMARY, PegType.MARKET, PegType.MIDPOINT))
        fields |= {"ord_type": "peg", "peg": peg, "peg_offset": w.take(7) - 3}
        fields["price"] = w.maybe(w.price)
        fields["display"] = w.pick((0, 0, min(5, qty)))
    elif kind == "post_only":
        fields |= {"price": w.price(), "post_only": True}
    elif kind == "mtl":
        fields["ord_type"] = "market_to_limit"
    elif kind == "min":
        fields |= {"price": w.price(), "min_qty": 1 + w.take(qty)}
        fields["tif"] = w.pick((TimeInForce.DAY, TimeInForce.IOC))
    else:
        fields |= {"price": w.price(), "tif": TimeInForce.GTD}
        fields["expire_in"] = (1 + w.take(3 * 3600)) * SECOND
    return ("new", fields)


def cancel(w: Word) -> tuple[Any, ...]:
    """("cancel", pick): cancel one of the orders sent so far."""
    return ("cancel", w.take(10_000))


def replace(w: Word) -> tuple[Any, ...]:
    """("replace", pick, qty or None, price or None)."""
    return ("replace", w.take(10_000), w.maybe(lambda: 1 + w.take(60)), w.maybe(w.price))


def plain_command(value: int) -> tuple[Any, ...]:
    w = Word(value)
    roll = w.take(10)
    if roll < 6:
        return plain_order(w)
    return cancel(w) if roll < 8 else replace(w)


def rich_command(value: int) -> tuple[Any, ...]:
    w = Word(value)
    roll = w.take(20)
    if roll < 8:
        return plain_order(w)
    if roll < 12:
        return rich_order(w)
    if roll < 14:
        return cancel(w)
    if roll < 16:
        return replace(w)
    if roll < 18:
        return ("mass_cancel", w.pick((None, *SESSIONS)), w.pick((None, BUY, SELL)))
    return ("advance", 1 + w.take(4 * 3600))


words = st.integers(min_value=0, max_value=2**64 - 1)
plain_streams = st.lists(words.map(plain_command), min_size=20, max_size=60)
rich_streams = st.lists(words.map(rich_command), min_size=20, max_size=60)


# ---------------------------------------------------------------------------------- runner


class Run:
    """A fresh venue trading ACME that applies a stream, one command (one batch) at a time."""

    def __init__(self, stp_mode: str = "off", post_only_mode: str = "reject") -> None:
        self.clock = ManualClock()
        sim = Simulator(self.clock, autoload=False)
        self.venue = sim.create_venue("XSIM", stp_mode=stp_mode, post_only_mode=post_only_mode)
        self.venue.add_instrument(Equity(symbol="ACME"))
        self.book = self.venue.book("ACME")
        #: every order sent, in order (the objects the senders hold)
        self.sent: list[Order] = []
        self.batch: list[tuple[Any, ...]] = []
        self.venue.subscribe(self._listen)

    def _listen(self, batch: list[tuple[Any, ...]], now: int) -> None:
        self.batch.extend(batch)

    def target(self, pick: int) -> Order | None:
        return self.sent[pick % len(self.sent)] if self.sent else None

    def apply(self, command: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """Run one command; return the events it produced."""
        self.batch = []
        kind = command[0]
        venue = self.venue
        if kind == "new":
            fields = dict(command[1])
            expire_in = fields.pop("expire_in", None)
            if expire_in is not None:
                fields["expire_ns"] = self.clock.now_ns() + expire_in
            order = Order("ACME", **fields)
            self.sent.append(order)
            venue.submit(order)
        elif kind == "cancel":
            order = self.target(command[1])
            if order is not None:
                venue.cancel(Cancel(order.order_id, session=order.session))
        elif kind == "replace":
            order = self.target(command[1])
            if order is not None:
                venue.replace(
                    Replace(order.order_id, session=order.session, qty=command[2], price=command[3])
                )
        elif kind == "mass_cancel":
            venue.mass_cancel(MassCancel(session=command[1], side=command[2]))
        elif kind == "advance":
            self.clock.advance(command[1] * SECOND)
        return self.batch

    def play(self, stream: list[tuple[Any, ...]], check: Callable[[Run, list[Any]], None]) -> None:
        for command in stream:
            check(self, self.apply(command))


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
                ordered[ev[1].order_id] = ev[1].qty
            elif kind == REPLACED:
                ordered[ev[1].order_id] = ev[1].qty
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


@pytest.mark.xfail(
    strict=True,
    reason="Book.reduce and the decrement branches of Book.match / Book._cut_maker (book.py) "
    "lower an order's leaves but not its qty, so a live order reports OrderQty > CumQty + "
    "LeavesQty after a reduce or a self-trade decrement",
)
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


@dataclass
class Resting:
    oid: int
    session: str
    side: int
    price: int | None
    qty: int
    leaves: int
    display: int = 0
    cum: int = 0
    shown: int = 0
    seq: int = 0


@dataclass
class ReferenceBook:
    """Price-time priority the slow, obvious way: sort the opposite side by price, then by
    arrival, and take from the front; self-trade prevention by session."""

    stp_mode: str
    resting: dict[int, Resting] = field(default_factory=dict)
    seqs: itertools.count[int] = field(default_factory=itertools.count)
    fills: list[tuple[int, int, int, int]] = field(default_factory=list)
    canceled: list[tuple[int, int]] = field(default_factory=list)

    def queue(self, side: int) -> list[Resting]:
        """Resting orders of ``side``, best price first, then oldest first."""
        orders = [o for o in self.resting.values() if o.side == side]
        return sorted(orders, key=lambda o: (-o.price if side == BUY else o.price, o.seq))

    def rest(self, order: Resting) -> None:
        order.shown = min(order.display or order.leaves, order.leaves)
        order.seq = next(self.seqs)
        self.resting[order.oid] = order

    def cancel(self, order: Resting, qty: int) -> None:
        """Cancel ``qty`` of ``order``; what is left keeps working, and its ordered quantity
        is again what has filled plus what is left (FIX: LeavesQty = OrderQty - CumQty)."""
        self.canceled.append((order.oid, qty))
        order.leaves -= qty
        if not order.leaves:
            self.resting.pop(order.oid, None)
            return
        order.qty -= qty
        order.shown = min(order.shown, order.leaves)

    def within(self, taker: Resting, limit: int | None, price: int | None) -> bool:
        assert price is not None
        return limit is None or (price <= limit if taker.side == BUY else price >= limit)

    def own(self, taker: Resting, maker: Resting) -> bool:
        return self.stp_mode != "off" and taker.session == maker.session

    def fillable(self, taker: Resting, limit: int | None) -> int:
        got = 0
        for maker in self.queue(SELL if taker.side == BUY else BUY):
            if not self.within(taker, limit, maker.price):
                break
            if self.own(taker, maker):
                if self.stp_mode == "cancel_oldest":
                    continue
                break
            got += maker.leaves
        return got

    def take(self, taker: Resting, limit: int | None, fok: bool) -> None:
        """Match ``taker`` (not resting) against the opposite side up to ``limit``."""
        if fok and self.fillable(taker, limit) < taker.leaves:
            self.cancel(taker, taker.leaves)
            return
        contra = SELL if taker.side == BUY else BUY
        while taker.leaves:
            queue = self.queue(contra)
            if not queue or not self.within(taker, limit, queue[0].price):
                return
            maker = queue[0]
            if self.own(taker, maker):
                mode = self.stp_mode
                if mode == "decrement":
                    cut = min(taker.leaves, maker.leaves)
                    self.cancel(taker, cut)
                    self.cancel(maker, cut)
                    continue
                if mode in ("cancel_oldest", "cancel_both"):
                    self.cancel(maker, maker.leaves)
                if mode in ("cancel_newest", "cancel_both"):
                    self.cancel(taker, taker.leaves)
                continue
            qty = min(taker.leaves, maker.shown)
            assert maker.price is not None
            self.fills.append((taker.oid, maker.oid, qty, maker.price))
            for order in (taker, maker):
                order.leaves -= qty
                order.cum += qty
            maker.shown -= qty
            if not maker.leaves:
                del self.resting[maker.oid]
            elif not maker.shown:
                self.rest(maker)

    def new(self, oid: int, fields: dict[str, Any]) -> None:
        order = Resting(
            oid,
            fields["session"],
            fields["side"],
            fields.get("price"),
            fields["qty"],
            fields["qty"],
            fields.get("display", 0),
        )
        tif = fields.get("tif", TimeInForce.DAY)
        immediate = order.price is None or tif in (TimeInForce.IOC, TimeInForce.FOK)
        self.take(order, order.price, fok=tif == TimeInForce.FOK)
        if order.leaves:
            if immediate:
                self.cancel(order, order.leaves)
            else:
                self.rest(order)

    def replace(self, oid: int, qty: int | None, price: int | None) -> None:
        order = self.resting.get(oid)
        if order is None:
            return
        new_qty = order.qty if qty is None else qty
        new_price = order.price if price is None else price
        if new_qty <= order.cum:
            return
        moves = new_price != order.price or new_qty > order.qty
        order.qty, order.leaves = new_qty, new_qty - order.cum
        if not moves:
            order.shown = min(order.shown, order.leaves)
            return
        del self.resting[oid]
        order.price = new_price
        self.take(order, new_price, fok=False)
        if order.leaves:
            self.rest(order)

    def apply(self, command: tuple[Any, ...], run: Run) -> None:
        self.fills, self.canceled = [], []
        kind = command[0]
        if kind == "new":
            self.new(run.sent[-1].order_id, command[1])
            return
        target = run.target(command[1])
        if target is None:
            return
        if kind == "cancel":
            order = self.resting.get(target.order_id)
            if order is not None:
                self.cancel(order, order.leaves)
        else:
            self.replace(target.order_id, command[2], command[3])


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


@pytest.mark.xfail(
    strict=True,
    reason="the decrement branches of Book.match / Book._cut_maker (book.py) lower leaves but "
    "not qty, and Book.replace then computes leaves = qty - cum_qty: a replace of a "
    "decremented order brings the decremented quantity back",
)
@given(stream=plain_streams)
def test_fills_follow_price_time_priority_like_the_reference_model_under_stp_decrement(stream):
    check_against_the_model(stream, "decrement")


def is_taker_fill(event: tuple[Any, ...]) -> bool:
    return event[0] == FILL and event[6] == TAKER
