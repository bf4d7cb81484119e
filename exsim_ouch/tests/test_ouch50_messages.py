"""OUCH 5.0 messages, byte-exact: the vectors of PROTOCOLS.md 3.8, and every other
message type laid out field by field from the tables of 3.4 and 3.5."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from exsim_ouch import appendage as ap
from exsim_ouch import ouch50
from exsim_ouch.errors import DecodeError

TS = 34_200_000_000_456
CLORDID1 = b"fm000100000001"


def h(text: str) -> bytes:
    return bytes.fromhex(text)


def u16(n: int) -> bytes:
    return n.to_bytes(2, "big")


def u32(n: int) -> bytes:
    return n.to_bytes(4, "big")


def u64(n: int) -> bytes:
    return n.to_bytes(8, "big")


ENTER = h(
    "4f 00 00 00 01 42 00 00 00 64 41 41 50 4c 20 20"
    "20 20 00 00 00 00 00 1c db a2 30 59 50 4e 4e 66"
    "6d 30 30 30 31 30 30 30 30 30 30 30 31 00 00"
)
ENTER_WITH_OPTIONS = h(
    "4f 00 00 00 02 53 00 00 00 32 41 41 50 4c 20 20"
    "20 20 00 00 00 00 00 1c e0 94 33 59 50 4e 4e 66"
    "6d 30 30 30 31 30 30 30 30 30 30 30 32 00 09 05"
    "03 00 00 00 32 02 0c 50"
)


def test_enter_order_vector_decodes() -> None:
    assert ouch50.decode(ENTER) == ouch50.EnterOrder(
        b"O", 1, b"B", 100, b"AAPL    ", 1_891_234, b"0", b"Y", b"P", b"N", b"N", CLORDID1, {}
    )


def test_enter_order_with_min_qty_and_post_only_options_decodes() -> None:
    msg = ouch50.decode(ENTER_WITH_OPTIONS)
    assert isinstance(msg, ouch50.EnterOrder)
    assert (msg.urn, msg.side, msg.quantity, msg.price, msg.tif) == (2, b"S", 50, 1_892_500, b"3")
    assert msg.options == {ap.MIN_QTY: u32(50), ap.POST_ONLY: b"P"}


def test_tag_value_examples_of_the_spec() -> None:
    assert ap.element(ap.USER_REF_IDX, b"\x05") == h("02 1c 05")
    assert ap.element(ap.MIN_QTY, u32(50)) == h("05 03 00 00 00 32")


def test_order_accepted_vector() -> None:
    assert ouch50.accepted(
        TS, 1, b"B", 100, b"AAPL    ", 1_891_234, b"0", b"Y", 7777, b"P", b"N", b"N", b"L",
        CLORDID1,
    ) == h(
        "41 00 00 1f 1a ce d9 f1 c8 00 00 00 01 42 00 00"
        "00 64 41 41 50 4c 20 20 20 20 00 00 00 00 00 1c"
        "db a2 30 59 00 00 00 00 00 00 1e 61 50 4e 4e 4c"
        "66 6d 30 30 30 31 30 30 30 30 30 30 30 31 00 00"
    )  # fmt: skip


def test_order_executed_vector() -> None:
    assert ouch50.executed(TS, 1, 40, 1_892_000, b"R", 9001) == h(
        "45 00 00 1f 1a ce d9 f1 c8 00 00 00 01 00 00 00"
        "28 00 00 00 00 00 1c de a0 52 00 00 00 00 00 00"
        "23 29 00 00"
    )


def test_rejected_vector_has_no_appendage() -> None:
    assert ouch50.rejected(TS, 4, 0x001D, b"fm000100000004") == h(
        "4a 00 00 1f 1a ce d9 f1 c8 00 00 00 04 00 1d 666d 30 30 30 31 30 30 30 30 30 30 30 34"
    )


def test_rejected_with_an_appendage_carries_its_length() -> None:
    echo = ap.element(ap.USER_REF_IDX, b"\x05")
    got = ouch50.rejected(TS, 4, 0x001D, CLORDID1, echo)
    assert got == b"J" + u64(TS) + u32(4) + u16(0x1D) + CLORDID1 + u16(3) + echo
    assert len(got) == 34


def test_replace_order_decodes_field_by_field() -> None:
    data = (
        b"U" + u32(1) + u32(2) + u32(300) + u64(1_891_200) + b"0" + b"A" + b"N" + CLORDID1
        + u16(0)
    )  # fmt: skip
    assert len(data) == 40
    assert ouch50.decode(data) == ouch50.ReplaceOrder(
        b"U", 1, 2, 300, 1_891_200, b"0", b"A", b"N", CLORDID1, {}
    )


@pytest.mark.parametrize("with_appendage", [False, True])
def test_cancel_order_decodes_with_or_without_appendage(with_appendage: bool) -> None:
    data = b"X" + u32(7) + u32(0) + (u16(0) if with_appendage else b"")
    assert ouch50.decode(data) == ouch50.CancelOrder(b"X", 7, 0, {})


def test_modify_order_decodes_with_a_user_ref_idx() -> None:
    data = b"M" + u32(7) + b"T" + u32(50) + u16(3) + h("02 1c 05")
    assert ouch50.decode(data) == ouch50.ModifyOrder(b"M", 7, b"T", 50, {ap.USER_REF_IDX: b"\x05"})


def test_mass_cancel_request_decodes() -> None:
    data = b"C" + u32(9) + b"GSCO" + b"        " + u16(3) + h("02 1b 53")
    assert ouch50.decode(data) == ouch50.MassCancel(b"C", 9, b"GSCO", b"        ", {ap.SIDE: b"S"})


@pytest.mark.parametrize("kind", [b"D", b"E"])
def test_order_entry_control_decodes(kind: bytes) -> None:
    data = kind + u32(9) + b"GSCO" + u16(0)
    assert ouch50.decode(data) == ouch50.OrderEntryControl(kind, 9, b"GSCO", {})


@pytest.mark.parametrize("data", [b"Q", b"Q\x00\x00"])
def test_account_query_decodes_with_or_without_appendage(data: bytes) -> None:
    assert ouch50.decode(data) == ouch50.AccountQuery(b"Q", {})


def test_system_event_is_10_bytes() -> None:
    assert ouch50.system_event(TS, b"E") == b"S" + u64(TS) + b"E"


def test_order_replaced_is_68_bytes_field_by_field() -> None:
    expected = (
        b"U" + u64(TS) + u32(1) + u32(2) + b"S" + u32(300) + b"ACME    " + u64(101_000) + b"0"
        + b"A" + u64(1 << 40) + b"A" + b"N" + b"N" + b"L" + CLORDID1 + u16(0)
    )  # fmt: skip
    got = ouch50.replaced(
        TS, 1, 2, b"S", 300, b"ACME    ", 101_000, b"0", b"A", 1 << 40, b"A", b"N", b"N", b"L",
        CLORDID1,
    )  # fmt: skip
    assert (got, len(got)) == (expected, 68)


def test_order_canceled_is_18_bytes_without_appendage() -> None:
    expected = b"C" + u64(TS) + u32(1) + u32(110) + b"U"
    assert (ouch50.canceled(TS, 1, 110, b"U"), len(expected)) == (expected, 18)


def test_aiq_canceled_is_32_bytes_without_appendage() -> None:
    expected = b"D" + u64(TS) + u32(1) + u32(100) + b"Q" + u32(100) + u64(101_000) + b"A" + b" "
    assert (ouch50.aiq_canceled(TS, 1, 100, 100, 101_000, b"A"), len(expected)) == (expected, 32)


def test_broken_trade_is_36_bytes_without_appendage() -> None:
    expected = b"B" + u64(TS) + u32(1) + u64(9001) + b"E" + CLORDID1
    assert (ouch50.broken_trade(TS, 1, 9001, b"E", CLORDID1), len(expected)) == (expected, 36)


@pytest.mark.parametrize(
    ("build", "letter"), [(ouch50.cancel_pending, b"P"), (ouch50.cancel_reject, b"I")]
)
def test_urn_only_messages_are_13_bytes(build: Callable[..., bytes], letter: bytes) -> None:
    expected = letter + u64(TS) + u32(1)
    assert (build(TS, 1), len(expected)) == (expected, 13)


def test_priority_update_is_30_bytes_without_appendage() -> None:
    expected = b"T" + u64(TS) + u32(1) + u64(100_500) + b"Y" + u64(1 << 40)
    assert (ouch50.priority_update(TS, 1, 100_500, b"Y", 1 << 40), len(expected)) == (expected, 30)


def test_order_modified_is_18_bytes_without_appendage() -> None:
    expected = b"M" + u64(TS) + u32(1) + b"T" + u32(75)
    assert (ouch50.order_modified(TS, 1, b"T", 75), len(expected)) == (expected, 18)


def test_order_restated_carries_its_options() -> None:
    options = ap.element(ap.DISPLAY_QUANTITY, u32(100)) + ap.element(
        ap.SECONDARY_ORD_REF_NUM, u64(1 << 40)
    )
    expected = b"R" + u64(TS) + u32(1) + b"R" + u16(len(options)) + options
    assert ouch50.restated(TS, 1, b"R", options) == expected
    assert len(expected) == 16 + 6 + 10


def test_mass_cancel_response_is_27_bytes() -> None:
    expected = b"X" + u64(TS) + u32(9) + b"GSCO" + b"ACME    " + u16(0)
    assert (ouch50.mass_cancel_response(TS, 9, b"GSCO", b"ACME    "), len(expected)) == (
        expected,
        27,
    )


@pytest.mark.parametrize("kind", [b"G", b"K"])
def test_entry_control_responses_are_19_bytes(kind: bytes) -> None:
    expected = kind + u64(TS) + u32(9) + b"GSCO" + u16(0)
    assert (ouch50.entry_control_response(TS, kind, 9, b"GSCO"), len(expected)) == (expected, 19)


def test_account_query_response_is_13_bytes() -> None:
    expected = b"Q" + u64(TS) + u32(12)
    assert (ouch50.account_query_response(TS, 12), len(expected)) == (expected, 13)


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (ENTER[:-2], "at least 47"),
        (ENTER[:-2] + u16(3) + h("02 1c"), "with Appendage Length 3"),
        (ENTER[:-2] + u16(3) + h("02 63 05"), "tag 99 is not assigned"),
        (ENTER[:-2] + u16(3) + h("02 1b 53"), "tag 27 is not allowed"),
        (ENTER[:-2] + u16(4) + h("03 0c 50 50"), "length 3"),
        (ENTER[:-2] + u16(6) + h("02 0c 50 02 0c 4e"), "given twice"),
        (b"Z", "unknown OUCH 5.0 message type"),
        (b"X" + u32(1), "9 or at least 11"),
    ],
)
def test_malformed_messages_are_refused_saying_why(data: bytes, needle: str) -> None:
    with pytest.raises(DecodeError, match=needle):
        ouch50.decode(data)
