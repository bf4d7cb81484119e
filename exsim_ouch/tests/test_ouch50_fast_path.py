"""The fast path of OUCH 5.0 order entry (plain Enter Orders, without options) answers
exactly as the general path: the same messages, byte for byte, the same orders at the
venue, and the same answers to the Replace and Modify Orders that follow.

Two venues, identical and on identical manual clocks, each get the same messages: one
through the account as it runs, the other through an account whose fast path is off.
"""

from __future__ import annotations

import struct
from typing import Any

import ouch50wire as w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import exsim_ouch.plugin
from exsim_core import Equity, ManualClock, Order, Simulator
from exsim_core.store import MemoryStore
from exsim_core.testing import register_plugin
from exsim_ouch import appendage as ap
from exsim_ouch.entry50 import Account50
from exsim_ouch.orders50 import OrderBuilder50
from exsim_ouch.ouch50 import EnterOrder

START_NS = ManualClock.DEFAULT_START_NS + 456
#: Enter Order up to its Appendage Length
ENTER = struct.Struct(">cIcI8sQccccc14s")

BUDGET = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


class GeneralBuilder50(OrderBuilder50):
    """The order builder with its fast path off."""

    def plain_order(self, msg: Any, key: tuple[int, int]) -> Order | None:
        return None


class GeneralAccount50(Account50):
    """The account with its fast path off: every Enter Order takes the general path."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.builder = GeneralBuilder50(self)


def account(cls: type[Account50], firm: str) -> Account50:
    sim = Simulator(ManualClock(START_NS), autoload=False)
    register_plugin(sim, exsim_ouch.plugin, name="ouch")
    venue = sim.create_venue("XNAS", timezone="UTC")
    venue.add_instrument(Equity(symbol="ACME", tick_size="0.01"))
    # finer than the wire's 4 decimals: prices scale up
    venue.add_instrument(Equity(symbol="FINE", tick_size="0.000001"))
    sim.create_endpoint("OUCH", "ouch50", "XNAS")
    session = sim.create_session("OUCH", "client", {"username": "CLIENT"}, params={"firm": firm})
    return cls(session, venue, MemoryStore(), firm=firm)


def state(acct: Account50) -> tuple[list[bytes], list[tuple[Any, ...]]]:
    """What a client and the venue see: the log, and each order as the venue keeps it."""
    orders = [
        (
            o.order_id, o.symbol, o.side, o.qty, o.price, o.ord_type, o.tif, o.cl_ord_id,
            o.session, o.account, o.display, o.min_qty, o.post_only, o.peg, o.expire_ns,
            o.status, o.leaves, o.tag.key, o.tag.mpid, o.tag.prev_key, o.tag.fields,
        )
        for o in acct.venue.orders.values()
    ]  # fmt: skip
    return acct.log.read(1, 1000), orders


PRICES = [0, 1, 100, 101_000, 101_050, 1_999_999_900, 1_999_999_901, 0x7FFFFFFF, 2_000_000_000]
#: each field of Enter Order after the UserRefNum, then its appendage: plain values and
#: values that are not
FIELDS = [
    st.sampled_from([b"B", b"S", b"T", b"E", b"X"]),
    st.one_of(st.sampled_from([0, 1, 100, 999_999, 1_000_000]), st.integers(0, 2**32 - 1)),
    st.sampled_from([b"ACME    ", b"  ACME  ", b"FINE    ", b"NOPE    ", b"acme    "]),
    st.one_of(st.sampled_from(PRICES), st.integers(0, 2**64 - 1)),
    st.sampled_from([b"0", b"3", b"5", b"6", b"E", b"x"]),
    st.sampled_from([b"Y", b"A", b"N", b"x"]),
    st.sampled_from([b"A", b"P", b"R", b"O", b"x"]),
    st.sampled_from([b"Y", b"N", b"x"]),
    st.sampled_from([b"N", b"O", b"C"]),
    st.sampled_from([b"C1" + b" " * 12, b" SPACED  ID   ", b"\xff" + b" " * 13]),
    st.sampled_from(
        [
            w.appendage(),
            w.appendage(w.option(ap.MIN_QTY, struct.pack(">I", 50))),
            w.appendage(w.option(ap.FIRM, b"GSCO")),
            w.appendage(w.option(ap.USER_REF_IDX, b"\x01")),
            w.appendage(w.option(ap.EXPIRE_TIME, struct.pack(">I", 60))),
        ]
    ),
]
#: a plain order (the fast path's), of which each example changes up to three fields
PLAIN = (b"B", 100, b"ACME    ", 101_000, b"0", b"Y", b"A", b"N", b"N", b"C1" + b" " * 12,
         w.appendage())  # fmt: skip


@st.composite
def enter_fields(draw: st.DrawFn) -> tuple[Any, ...]:
    fields = list(PLAIN)
    for i in draw(st.lists(st.integers(0, len(FIELDS) - 1), max_size=3)):
        fields[i] = draw(FIELDS[i])
    return tuple(fields)


@BUDGET
@given(
    enter_fields(),
    st.sampled_from(["", "GSCO", "B1"]),
    st.sampled_from(["Y", "A", "N"]),
    st.sampled_from(["B", "S", "T"]),
)
def test_an_enter_order_is_answered_as_the_general_path_answers_it(
    fields: tuple[Any, ...], firm: str, replace_display: str, modify_side: str
) -> None:
    enter = ENTER.pack(b"O", 7, *fields[:-1]) + fields[-1]
    messages = [
        enter,
        enter,  # a retransmission: ignored
        w.modify(7, modify_side, 50),
        w.replace(7, 8, 200, fields[3] % 2**32, display=replace_display),
    ]
    fast, general = account(Account50, firm), account(GeneralAccount50, firm)
    for message in messages:
        fast.handle(message)
        general.handle(message)
        assert state(fast) == state(general)


def test_a_plain_enter_order_takes_the_fast_path() -> None:
    acct = account(Account50, "GSCO")
    fields = ENTER.unpack(ENTER.pack(b"O", 7, *PLAIN[:-1]))
    order = acct.builder.plain_order(EnterOrder._make((*fields, {})), (0, 7))
    assert order is not None
    assert (order.price, order.account, order.tag.mpid) == (1010, "GSCO", None)
