"""SoupBinTCP packets against the byte-exact vectors of PROTOCOLS.md 1.7."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exsim_ouch import soup
from exsim_ouch.errors import FramingError


def hexbytes(text: str) -> bytes:
    return bytes.fromhex(text)


LOGIN_300 = hexbytes(
    "00 2f 4c 46 4d 55 53 45 52 73 65 63 72 65 74 20"
    "20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20"
    "20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20"
    "31"
)
LOGIN_410 = hexbytes(
    "00 34 4c 46 4d 55 53 45 52 73 65 63 72 65 74 20"
    "20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20"
    "20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20"
    "31 31 35 30 30 30"
)


def test_login_request_vector_decodes() -> None:
    [(ptype, payload)] = soup.PacketReader().feed(LOGIN_300)
    assert ptype == soup.LOGIN_REQUEST
    assert soup.parse_login(payload) == soup.LoginRequest("FMUSER", "secret", "", 1)


def test_login_request_410_carries_the_heartbeat_timeout() -> None:
    [(_, payload)] = soup.PacketReader().feed(LOGIN_410)
    assert soup.parse_login(payload) == soup.LoginRequest("FMUSER", "secret", "", 1, 15000)


def test_login_request_accepts_left_justified_numbers() -> None:
    payload = b"FMUSERsecret    " + b" " * 10 + b"42".ljust(20)
    assert soup.parse_login(payload).sequence == 42


def test_login_request_accepts_leading_zeros_and_right_justified_alpha() -> None:
    payload = b" ALICE" + b"    secret" + b"  SESS0001" + b"0" * 18 + b"07"
    login = soup.parse_login(payload)
    assert (login.username, login.password, login.session, login.sequence) == (
        "ALICE",
        "secret",
        "SESS0001",
        7,
    )


def test_login_request_with_a_non_numeric_sequence_is_malformed() -> None:
    payload = b"FMUSERsecret    " + b" " * 10 + b"12x".rjust(20)
    with pytest.raises(FramingError, match="digits"):
        soup.parse_login(payload)


def test_login_request_of_another_length_is_malformed() -> None:
    with pytest.raises(FramingError, match="46"):
        soup.parse_login(b"x" * 45)


def test_login_accepted_vector() -> None:
    assert soup.login_accepted("SESS01", 42) == hexbytes(
        "00 1f 41 20 20 20 20 53 45 53 53 30 31 20 20 20"
        "20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 34"
        "32"
    )


def test_login_rejected_vectors() -> None:
    assert soup.login_rejected(soup.REJECT_NOT_AUTHORIZED) == hexbytes("00 02 4a 41")
    assert soup.login_rejected(soup.REJECT_SESSION_UNAVAILABLE) == hexbytes("00 02 4a 53")


def test_sequenced_and_unsequenced_data_vectors() -> None:
    assert soup.sequenced(b"hello") == hexbytes("00 06 53 68 65 6c 6c 6f")
    assert soup.unsequenced(b"world") == hexbytes("00 06 55 77 6f 72 6c 64")


def test_debug_vector() -> None:
    assert soup.debug("dbg") == hexbytes("00 04 2b 64 62 67")


@pytest.mark.parametrize(
    ("data", "ptype"),
    [
        ("00 01 48", soup.SERVER_HEARTBEAT),
        ("00 01 52", soup.CLIENT_HEARTBEAT),
        ("00 01 5a", soup.END_OF_SESSION),
        ("00 01 4f", soup.LOGOUT_REQUEST),
    ],
)
def test_header_only_packets_decode(data: str, ptype: int) -> None:
    assert soup.PacketReader().feed(hexbytes(data)) == [(ptype, b"")]


def test_reader_reassembles_packets_split_byte_by_byte() -> None:
    reader = soup.PacketReader()
    stream = LOGIN_300 + hexbytes("00 06 55 77 6f 72 6c 64 00 01 52")
    got = []
    for i in range(len(stream)):
        got += reader.feed(stream[i : i + 1])
    assert [p[0] for p in got] == [soup.LOGIN_REQUEST, soup.UNSEQUENCED_DATA, soup.CLIENT_HEARTBEAT]
    assert got[1][1] == b"world"
    assert reader.buffered == 0


def test_reader_returns_every_packet_of_one_read() -> None:
    reader = soup.PacketReader()
    got = reader.feed(hexbytes("00 01 52 00 04 2b 64 62 67 00 01 4f 00"))
    assert got == [(soup.CLIENT_HEARTBEAT, b""), (soup.DEBUG, b"dbg"), (soup.LOGOUT_REQUEST, b"")]
    assert reader.buffered == 1


def test_reader_refuses_a_zero_length_packet() -> None:
    with pytest.raises(FramingError, match="length 0"):
        soup.PacketReader().feed(hexbytes("00 00 52"))


def test_reader_refuses_a_zero_length_prefix_before_the_type_arrives() -> None:
    with pytest.raises(FramingError, match="length 0"):
        soup.PacketReader().feed(hexbytes("00 00"))


def test_reader_refuses_a_packet_longer_than_its_limit() -> None:
    with pytest.raises(FramingError, match="exceeds"):
        soup.PacketReader(max_length=100).feed(hexbytes("00 65 55"))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(st.tuples(st.sampled_from(b"SU+H"), st.binary(max_size=60)), max_size=8),
    st.lists(st.integers(1, 80), max_size=10),
)
def test_reader_gives_the_same_packets_however_the_stream_is_cut(
    packets: list[tuple[int, bytes]], cuts: list[int]
) -> None:
    stream = b"".join(struct.pack(">HB", len(p) + 1, t) + p for t, p in packets)
    reader = soup.PacketReader()
    got: list[tuple[int, bytes]] = []
    pos = 0
    for size in [*cuts, len(stream)]:
        got += reader.feed(bytearray(stream[pos : pos + size]))
        pos += size
    assert got == packets
    assert all(type(payload) is bytes for _, payload in got)
    assert reader.buffered == 0
