"""OUCH 4.2 messages, byte-exact: the vectors of PROTOCOLS.md 2.6, and every other
message type laid out field by field from the tables of 2.2 and 2.3."""

from __future__ import annotations

import pytest

from exsim_ouch import ouch42
from exsim_ouch.errors import DecodeError

TS = 34_200_000_000_456
TOKEN1 = b"fm000100000001"
TOKEN2 = b"fm000100000002"
TOKEN3 = b"fm000100000003"


def h(text: str) -> bytes:
    return bytes.fromhex(text)


def u32(n: int) -> bytes:
    return n.to_bytes(4, "big")


def u64(n: int) -> bytes:
    return n.to_bytes(8, "big")


ENTER = h(
    "4f 66 6d 30 30 30 31 30 30 30 30 30 30 30 31 42"
    "00 00 00 64 41 41 50 4c 20 20 20 20 00 1c db a2"
    "00 01 86 9f 20 20 20 20 59 50 4e 00 00 00 00 4e"
    "20"
)


def test_enter_order_vector_decodes_field_by_field() -> None:
    assert ouch42.decode(ENTER) == ouch42.EnterOrder(
        b"O", TOKEN1, b"B", 100, b"AAPL    ", 1_891_234, 99999, b"    ", b"Y", b"P", b"N", 0,
        b"N", b" ",
    )  # fmt: skip


def test_cancel_order_vector_decodes() -> None:
    data = h("58 66 6d 30 30 30 31 30 30 30 30 30 30 30 33 00 00 00 00")
    assert ouch42.decode(data) == ouch42.CancelOrder(b"X", TOKEN3, 0)


def test_replace_order_decodes_field_by_field() -> None:
    data = b"U" + TOKEN1 + TOKEN2 + u32(300) + u32(1_891_200) + u32(0) + b"A" + b"Y" + u32(100)
    assert len(data) == 47
    assert ouch42.decode(data) == ouch42.ReplaceOrder(
        b"U", TOKEN1, TOKEN2, 300, 1_891_200, 0, b"A", b"Y", 100
    )


def test_modify_order_decodes_field_by_field() -> None:
    data = b"M" + TOKEN1 + b"T" + u32(50)
    assert len(data) == 20
    assert ouch42.decode(data) == ouch42.ModifyOrder(b"M", TOKEN1, b"T", 50)


def test_accepted_vector() -> None:
    assert ouch42.accepted(
        TS, TOKEN1, b"B", 100, b"AAPL    ", 1_891_234, 99999, b"    ", b"Y", 7777, b"P", b"N",
        0, b"N", b"L",
    ) == h(
        "41 00 00 1f 1a ce d9 f1 c8 66 6d 30 30 30 31 30"
        "30 30 30 30 30 30 31 42 00 00 00 64 41 41 50 4c"
        "20 20 20 20 00 1c db a2 00 01 86 9f 20 20 20 20"
        "59 00 00 00 00 00 00 1e 61 50 4e 00 00 00 00 4e"
        "4c 20"
    )  # fmt: skip


def test_executed_vector() -> None:
    assert ouch42.executed(TS, TOKEN3, 40, 1_892_000, b"A", 9001) == h(
        "45 00 00 1f 1a ce d9 f1 c8 66 6d 30 30 30 31 30"
        "30 30 30 30 30 30 33 00 00 00 28 00 1c de a0 41"
        "00 00 00 00 00 00 23 29"
    )


def test_canceled_vector() -> None:
    assert ouch42.canceled(TS, TOKEN3, 110, b"U") == h(
        "43 00 00 1f 1a ce d9 f1 c8 66 6d 30 30 30 31 3030 30 30 30 30 30 33 00 00 00 6e 55"
    )


def test_rejected_vector() -> None:
    assert ouch42.rejected(TS, TOKEN2, b"X") == h(
        "4a 00 00 1f 1a ce d9 f1 c8 66 6d 30 30 30 31 3030 30 30 30 30 30 32 58"
    )


def test_system_event_vector() -> None:
    assert ouch42.system_event(TS, b"S") == h("53 00 00 1f 1a ce d9 f1 c8 53")


def test_replaced_is_80_bytes_field_by_field() -> None:
    expected = (
        b"U" + u64(TS) + TOKEN2 + b"S" + u32(300) + b"ACME    " + u32(101_000) + u32(99998)
        + b"GSCO" + b"A" + u64(42) + b"A" + b"N" + u32(0) + b"N" + b"L" + TOKEN1 + b" "
    )  # fmt: skip
    got = ouch42.replaced(
        TS, TOKEN2, b"S", 300, b"ACME    ", 101_000, 99998, b"GSCO", b"A", 42, b"A", b"N", 0,
        b"N", b"L", TOKEN1,
    )  # fmt: skip
    assert len(got) == 80
    assert got == expected


def test_aiq_canceled_is_38_bytes_field_by_field() -> None:
    expected = b"D" + u64(TS) + TOKEN1 + u32(100) + b"Q" + u32(100) + u32(101_000) + b"A" + b" "
    assert ouch42.aiq_canceled(TS, TOKEN1, 100, 100, 101_000, b"A") == expected
    assert len(expected) == 38


def test_broken_trade_is_32_bytes_field_by_field() -> None:
    expected = b"B" + u64(TS) + TOKEN1 + u64(9001) + b"E"
    assert ouch42.broken_trade(TS, TOKEN1, 9001, b"E") == expected
    assert len(expected) == 32


@pytest.mark.parametrize(
    ("build", "letter"), [(ouch42.cancel_pending, b"P"), (ouch42.cancel_reject, b"I")]
)
def test_token_only_messages_are_23_bytes(build: object, letter: bytes) -> None:
    assert callable(build)
    expected = letter + u64(TS) + TOKEN1
    assert build(TS, TOKEN1) == expected
    assert len(expected) == 23


def test_priority_update_is_36_bytes_field_by_field() -> None:
    expected = b"T" + u64(TS) + TOKEN1 + u32(100_500) + b"M" + u64(1 << 40)
    assert ouch42.priority_update(TS, TOKEN1, 100_500, b"M", 1 << 40) == expected
    assert len(expected) == 36


def test_order_modified_is_28_bytes_field_by_field() -> None:
    expected = b"M" + u64(TS) + TOKEN1 + b"E" + u32(75)
    assert ouch42.order_modified(TS, TOKEN1, b"E", 75) == expected
    assert len(expected) == 28


@pytest.mark.parametrize("size", [0, 1, 48, 50])
def test_enter_order_of_the_wrong_length_is_refused(size: int) -> None:
    with pytest.raises(DecodeError):
        ouch42.decode((ENTER + b"  ")[:size])


def test_unknown_message_type_is_refused_with_the_known_ones_named() -> None:
    with pytest.raises(DecodeError, match=r"unknown OUCH 4\.2 message type b'Z'"):
        ouch42.decode(b"Z" + b"\x00" * 18)
