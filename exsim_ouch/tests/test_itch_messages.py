"""ITCH 5.0 and MoldUDP64 messages against the byte-exact vectors of PROTOCOLS.md 4.6.

The vectors use Stock Locate 7 and Tracking Number 3; exsim always publishes Tracking
Number 0, so the builders' output is compared with the vector's tracking bytes zeroed.
"""

from __future__ import annotations

import pytest

from exsim_ouch import itch, mold
from exsim_ouch.errors import DecodeError

TS = 34_200_000_000_123
AAPL = b"AAPL    "


def vector(text: str) -> bytes:
    """A spec vector with its Tracking Number (bytes 3-4) set to 0."""
    data = bytearray(bytes.fromhex(text))
    data[3:5] = b"\x00\x00"
    return bytes(data)


def test_system_event_vector() -> None:
    assert itch.system_event(TS, b"O") == vector("53 00 00 00 03 1f 1a ce d9 f0 7b 4f")


def test_add_order_vector() -> None:
    assert itch.add_order(7, TS, 1001, b"B", 300, AAPL, 1_891_234) == vector(
        "41 00 07 00 03 1f 1a ce d9 f0 7b 00 00 00 00 00"
        "00 03 e9 42 00 00 01 2c 41 41 50 4c 20 20 20 20"
        "00 1c db a2"
    )


def test_add_order_with_mpid_vector() -> None:
    assert itch.add_order_mpid(7, TS, 1002, b"S", 200, AAPL, 1_892_500, b"GSCO") == vector(
        "46 00 07 00 03 1f 1a ce d9 f0 7b 00 00 00 00 00"
        "00 03 ea 53 00 00 00 c8 41 41 50 4c 20 20 20 20"
        "00 1c e0 94 47 53 43 4f"
    )


def test_order_executed_vector() -> None:
    assert itch.order_executed(7, TS, 1001, 100, 5001) == vector(
        "45 00 07 00 03 1f 1a ce d9 f0 7b 00 00 00 00 00"
        "00 03 e9 00 00 00 64 00 00 00 00 00 00 13 89"
    )


def test_order_executed_with_price_vector() -> None:
    assert itch.order_executed_with_price(7, TS, 1002, 50, 5002, b"Y", 1_892_400) == vector(
        "43 00 07 00 03 1f 1a ce d9 f0 7b 00 00 00 00 00"
        "00 03 ea 00 00 00 32 00 00 00 00 00 00 13 8a 59"
        "00 1c e0 30"
    )


def test_order_cancel_vector() -> None:
    assert itch.order_cancel(7, TS, 1001, 25) == vector(
        "58 00 07 00 03 1f 1a ce d9 f0 7b 00 00 00 00 00 00 03 e9 00 00 00 19"
    )


def test_order_delete_vector() -> None:
    assert itch.order_delete(7, TS, 1002) == vector(
        "44 00 07 00 03 1f 1a ce d9 f0 7b 00 00 00 00 00 00 03 ea"
    )


def test_order_replace_vector() -> None:
    assert itch.order_replace(7, TS, 1001, 1003, 400, 1_891_000) == vector(
        "55 00 07 00 03 1f 1a ce d9 f0 7b 00 00 00 00 00"
        "00 03 e9 00 00 00 00 00 00 03 eb 00 00 01 90 00"
        "1c da b8"
    )


def test_trade_vector() -> None:
    assert itch.trade(7, TS, 0, b"B", 10, AAPL, 1_891_500, 5003) == vector(
        "50 00 07 00 03 1f 1a ce d9 f0 7b 00 00 00 00 00"
        "00 00 00 42 00 00 00 0a 41 41 50 4c 20 20 20 20"
        "00 1c dc ac 00 00 00 00 00 00 13 8b"
    )


def test_cross_trade_vector() -> None:
    assert itch.cross_trade(7, TS, 123456, AAPL, 1_892_000, 5004, b"O") == vector(
        "51 00 07 00 03 1f 1a ce d9 f0 7b 00 00 00 00 00"
        "01 e2 40 41 41 50 4c 20 20 20 20 00 1c de a0 00"
        "00 00 00 00 00 13 8c 4f"
    )


def test_stock_trading_action_vector() -> None:
    assert itch.trading_action(7, TS, AAPL, b"T") == vector(
        "48 00 07 00 03 1f 1a ce d9 f0 7b 41 41 50 4c 20 20 20 20 54 20 20 20 20 20"
    )


def test_stock_directory_vector() -> None:
    assert itch.stock_directory(7, TS, AAPL, 100) == vector(
        "52 00 07 00 03 1f 1a ce d9 f0 7b 41 41 50 4c 20"
        "20 20 20 51 4e 00 00 00 64 4e 43 5a 20 50 4e 4e"
        "31 4e 00 00 00 00 4e"
    )


def test_broken_trade_is_19_bytes_field_by_field() -> None:
    expected = b"B" + (7).to_bytes(2, "big") + b"\x00\x00" + TS.to_bytes(6, "big")
    expected += (5001).to_bytes(8, "big")
    assert itch.broken_trade(7, TS, 5001) == expected


def test_every_message_has_the_spec_length() -> None:
    assert itch.SIZES == {
        b"S": 12, b"R": 39, b"H": 25, b"A": 36, b"F": 40, b"E": 31, b"C": 36, b"X": 23,
        b"D": 19, b"U": 35, b"P": 44, b"Q": 40, b"B": 19,
    }  # fmt: skip


def test_moldudp64_packet_vector() -> None:
    assert mold.pack(b"SESSION001", 5, [b"abc", b""]) == bytes.fromhex(
        "53 45 53 53 49 4f 4e 30 30 31 00 00 00 00 00 00 00 05 00 02 00 03 61 62 63 00 00"
    )


def test_moldudp64_heartbeat_vector() -> None:
    assert mold.heartbeat(b"SESSION001", 7) == bytes.fromhex(
        "53 45 53 53 49 4f 4e 30 30 31 00 00 00 00 00 00 00 07 00 00"
    )


def test_moldudp64_end_of_session_vector() -> None:
    assert mold.end_of_session(b"SESSION001", 7) == bytes.fromhex(
        "53 45 53 53 49 4f 4e 30 30 31 00 00 00 00 00 00 00 07 ff ff"
    )


def test_moldudp64_rerequest_vector_decodes() -> None:
    data = bytes.fromhex("53 45 53 53 49 4f 4e 30 30 31 00 00 00 00 00 00 00 03 00 04")
    assert mold.parse_request(data) == (b"SESSION001", 3, 4)


def test_a_moldudp64_rerequest_of_another_length_is_refused() -> None:
    with pytest.raises(DecodeError, match="20 bytes"):
        mold.parse_request(b"SESSION001")
