"""The codec against simplefix on the same inputs, and its framing rules: BodyLength and
CheckSum are checked, garbled input is reported and skipped, buffers stay bounded."""

from __future__ import annotations

import simplefix
from hypothesis import given, settings
from hypothesis import strategies as st

from exsim_fix.codec import DATA_TAGS, FixMessage, FrameReader, Garbled, checksum, frame, parse

_RESERVED = {8, 9, 10, 35} | set(DATA_TAGS) | set(DATA_TAGS.values())
tags = st.integers(1, 99999).filter(lambda t: t not in _RESERVED)
values = st.binary(min_size=1, max_size=30).filter(lambda v: b"\x01" not in v)
field_lists = st.lists(st.tuples(tags, values), max_size=25)
msg_types = st.sampled_from(["0", "D", "8", "AE", "x"])


def encode(msg_type: str, fields: list[tuple[int, bytes]], begin: str = "FIX.4.4") -> bytes:
    msg = simplefix.FixMessage()
    msg.append_pair(8, begin)
    msg.append_pair(35, msg_type)
    for tag, value in fields:
        msg.append_pair(tag, value)
    return bytes(msg.encode())


def simplefix_pairs(raw: bytes) -> list[tuple[bytes, bytes]]:
    parser = simplefix.FixParser()
    parser.append_buffer(raw)
    msg = parser.get_message()
    return [(bytes(t), bytes(v)) for t, v in msg.pairs if t not in (b"8", b"9", b"10")]


@settings(max_examples=150, deadline=None)
@given(msg_types, field_lists)
def test_parsed_fields_match_simplefix(msg_type, fields):
    raw = encode(msg_type, fields)
    (framed,) = FrameReader().feed(raw)
    msg = parse(framed)
    assert isinstance(msg, FixMessage)
    assert msg.fields == simplefix_pairs(raw)
    assert msg.msg_type == msg_type


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(msg_types, field_lists), min_size=1, max_size=5), st.data())
def test_messages_split_anywhere_in_the_stream_are_framed_the_same(messages, data):
    stream = b"".join(encode(t, f) for t, f in messages)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=8)))
    reader = FrameReader()
    out = []
    last = 0
    for cut in [*cuts, len(stream)]:
        out += reader.feed(stream[last:cut])
        last = cut
    assert out == [encode(t, f) for t, f in messages]
    assert reader.pending == 0


@settings(max_examples=100, deadline=None)
@given(msg_types, field_lists)
def test_frame_encodes_exactly_as_simplefix(msg_type, fields):
    raw = encode(msg_type, fields)
    body = raw[raw.index(b"\x0135=") + 1 : -7]
    assert frame(b"FIX.4.4", body) == raw


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_checksum_is_the_byte_sum_modulo_256(data):
    assert checksum(data) == sum(data) % 256
    assert checksum(bytearray(data)) == checksum(memoryview(data)) == sum(data) % 256


def test_checksum_is_exact_at_the_piece_boundaries_with_the_largest_bytes():
    for size in (255, 256, 257, 511, 512, 513, 65_536):
        data = b"\xff" * size
        assert checksum(data) == sum(data) % 256, size


def test_wrong_checksum_is_garbled_and_the_next_message_survives():
    good = encode("0", [(112, b"A")])
    bad = good[:-4] + b"%03d\x01" % ((int(good[-4:-1]) + 1) % 256)
    out = FrameReader().feed(bad + good)
    assert isinstance(out[0], Garbled)
    assert "CheckSum" in out[0].reason
    assert out[1:] == [good]


def test_body_length_too_short_or_too_long_is_garbled_and_the_next_message_survives():
    good = encode("0", [(112, b"A")])
    for delta in (-2, 2, 40):
        length = int(good.split(b"\x01")[1][2:])
        bad = good.replace(b"9=%d" % length, b"9=%d" % (length + delta), 1)
        out = FrameReader().feed(bad + good)
        assert isinstance(out[0], Garbled), delta
        assert out[-1] == good, delta


def test_first_three_fields_out_of_order_is_garbled():
    good = encode("0", [(112, b"A")])
    parts = good.split(b"\x01")
    swapped = b"\x01".join([parts[1], parts[0], *parts[2:]])
    out = FrameReader().feed(swapped + good)
    assert isinstance(out[0], Garbled)
    assert out[-1] == good


def test_data_fields_may_contain_soh():
    raw = encode("A", [(98, b"0"), (108, b"30"), (95, b"7"), (96, b"ab\x01cd\x01e")])
    (framed,) = FrameReader().feed(raw)
    msg = parse(framed)
    assert isinstance(msg, FixMessage)
    assert msg.values[b"96"] == b"ab\x01cd\x01e"


def test_tags_that_are_not_positive_integers_are_named():
    for bad in (b"0", b"-1", b"x1", b"007"):
        raw = encode("0", [(112, b"A")])
        body = raw[raw.index(b"\x0135=") + 1 : -7] + bad + b"=1\x01"
        msg = parse(frame(b"FIX.4.4", body))
        assert isinstance(msg, FixMessage)
        assert msg.bad_tag == bad


def test_checksum_not_last_is_garbled():
    raw = encode("0", [(112, b"A")])
    body = raw[raw.index(b"\x0135=") + 1 : -7] + b"10=000\x01112=B\x01"
    assert isinstance(parse(frame(b"FIX.4.4", body)), Garbled)


def test_garbage_without_messages_keeps_the_buffer_bounded():
    reader = FrameReader(max_message_size=4096)
    for _ in range(100):
        reader.feed(b"x" * 10_000)
        assert reader.pending <= 4096
    reader.feed(b"8=FIX.4.4\x019=99999999\x01")
    assert reader.pending <= 4096


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600), st.binary(max_size=200))
def test_arbitrary_bytes_never_raise_and_stay_bounded(noise, tail):
    reader = FrameReader(max_message_size=1024)
    for item in reader.feed(noise) + reader.feed(encode("0", [(112, b"A")]) + tail):
        if isinstance(item, bytes):
            parse(item)
    assert reader.pending <= 1024
