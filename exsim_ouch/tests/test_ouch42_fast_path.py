"""The fast path of OUCH 4.2 order entry (plain Enter Orders) answers exactly as the
general path: the same messages, byte for byte, the same orders at the venue, and the
same answers to the Replace and Modify Orders that follow.

Two venues, identical and on identical manual clocks, each get the same messages: one
through the account as it runs, the other through an account whose fast path is off.
"""

from __future__ import annotations

import struct
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import exsim_ouch.plugin
from exsim_core import Equity, ManualClock, Order, Simulator
from exsim_core.store import MemoryStore
from exsim_core.testing import register_plugin
from exsim_ouch.entry42 import Account42
from exsim_ouch.ouch42 import EnterOrder

START_NS = ManualClock.DEFAULT_START_NS + 456
ENTER = struct.Struct(">c14scI8sII4scccIcc")
REPLACE = struct.Struct(">c14s14sIIIccI")
MODIFY = struct.Struct(">c14scI")

BUDGET = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


class GeneralAccount42(Account42):
    """The account with its fast path off: every Enter Order takes the general path."""

    def _plain_order(self, msg: Any) -> Order | None:
        return None


def account(cls: type[Account42], firm: str) -> Account42:
    sim = Simulator(ManualClock(START_NS), autoload=False)
    register_plugin(sim, exsim_ouch.plugin, name="ouch")
    venue = sim.create_venue("XNAS", timezone="UTC")
    venue.add_instrument(Equity(symbol="ACME", tick_size="0.01"))
    # finer than the wire's 4 decimals: prices scale up
    venue.add_instrument(Equity(symbol="FINE", tick_size="0.000001"))
    sim.create_endpoint("OUCH", "ouch42", "XNAS")
    session = sim.create_session("OUCH", "client", {"username": "CLIENT"}, params={"firm": firm})
    return cls(session, venue, MemoryStore(), firm=firm)


def state(acct: Account42) -> tuple[list[bytes], list[tuple[Any, ...]]]:
    """What a client and the venue see: the log, and each order as the venue keeps it."""
    orders = [
        (
            o.order_id, o.symbol, o.side, o.qty, o.price, o.ord_type, o.tif, o.cl_ord_id,
            o.session, o.account, o.min_qty, o.post_only, o.peg, o.expire_ns, o.status,
            o.leaves, o.tag.key, o.tag.mpid, o.tag.prev_key, o.tag.fields,
        )
        for o in acct.venue.orders.values()
    ]  # fmt: skip
    return acct.log.read(1, 1000), orders


tokens = st.sampled_from(
    [b"T1" + b" " * 12, b"ABCDEFGHIJKLMN", b" LEADING      ", b"IN SIDE       ",
     b"dash-ok       ", b" " * 14, b"BAD\x00          ", b"\xff" + b" " * 13]
)  # fmt: skip
#: limit prices on and off the tick, the largest, market prices
PRICES = [0, 1, 100, 101_000, 101_050, 1_999_999_900, 1_999_999_901, 0x7FFFFFFF, 2_000_000_000]
#: each field of Enter Order: plain values and values that are not
FIELDS = [
    tokens,
    st.sampled_from([b"B", b"S", b"T", b"E", b"X"]),
    st.one_of(st.sampled_from([0, 1, 100, 999_999, 1_000_000]), st.integers(0, 2**32 - 1)),
    st.sampled_from([b"ACME    ", b"  ACME  ", b"FINE    ", b"NOPE    ", b"acme    "]),
    st.one_of(st.sampled_from(PRICES), st.integers(0, 2**32 - 1)),
    st.one_of(st.sampled_from([0, 1, 60, 99_997, 99_998, 99_999]), st.integers(0, 2**32 - 1)),
    st.sampled_from([b"    ", b"GSCO", b"gs  ", b"AB!D"]),
    st.sampled_from([b"Y", b"A", b"P", b"L", b"M", b"W", b"N", b"I", b"x"]),
    st.sampled_from([b"A", b"P", b"R", b"O", b"x"]),
    st.sampled_from([b"Y", b"N", b"y", b"x"]),
    st.one_of(st.sampled_from([0, 1, 100]), st.integers(0, 2**32 - 1)),
    st.sampled_from([b"N", b"O", b"C"]),
    st.sampled_from([b"R", b"N", b" ", b"x"]),
]
#: a plain order (the fast path's), of which each example changes up to three fields
PLAIN = (b"T1" + b" " * 12, b"B", 100, b"ACME    ", 101_000, 99_998, b"    ", b"Y", b"A",
         b"N", 0, b"N", b" ")  # fmt: skip


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
    st.sampled_from([b"Y", b"A", b"P"]),
    st.sampled_from([b"B", b"S", b"T"]),
)
def test_an_enter_order_is_answered_as_the_general_path_answers_it(
    fields: tuple[Any, ...], firm: str, replace_display: bytes, modify_side: bytes
) -> None:
    token = fields[0]
    messages = [
        ENTER.pack(b"O", *fields),
        ENTER.pack(b"O", *fields),  # a duplicate: ignored
        MODIFY.pack(b"M", token, modify_side, 50),
        REPLACE.pack(b"U", token, b"R1" + b" " * 12, 200, fields[5], 99_999, replace_display,
                     b"N", 0),
    ]  # fmt: skip
    fast, general = account(Account42, firm), account(GeneralAccount42, firm)
    for message in messages:
        fast.handle(message)
        general.handle(message)
        assert state(fast) == state(general)


def test_a_plain_enter_order_takes_the_fast_path() -> None:
    acct = account(Account42, "GSCO")
    msg = ENTER.unpack(
        ENTER.pack(b"O", b"T1" + b" " * 12, b"B", 100, b"ACME    ", 101_000, 99_998, b"    ",
                   b"Y", b"A", b"N", 0, b"N", b" ")
    )  # fmt: skip
    order = acct._plain_order(EnterOrder._make(msg))
    assert order is not None
    assert (order.price, order.account, order.tag.mpid) == (1010, "GSCO", None)
