"""UTCTimestamp formatting: the texts kept from one call to the next (the hot path stamps
many messages in the same millisecond) never leak into a call for another time."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from exsim_fix.timefmt import format_timestamp, parse_timestamp

NS = 1_000_000_000
# 2000-01-01 .. 2100-01-01, and instants close together (same second, same millisecond)
instants = st.integers(946_684_800 * NS, 4_102_444_800 * NS)
nearby = st.lists(st.integers(0, 3 * NS // 2), min_size=1, max_size=30)


def expected(now_ns: int, millis: bool) -> bytes:
    text = dt.datetime.fromtimestamp(now_ns // NS, dt.UTC).strftime("%Y%m%d-%H:%M:%S")
    if millis:
        text += f".{now_ns // 1_000_000 % 1000:03d}"
    return text.encode()


@settings(max_examples=200, deadline=None)
@given(instants, nearby, st.lists(st.booleans(), min_size=30, max_size=30))
def test_every_call_formats_its_own_instant(start, offsets, millis):
    for offset, with_millis in zip(offsets, millis, strict=False):
        now = start + offset
        assert format_timestamp(now, with_millis) == expected(now, with_millis)


@settings(max_examples=100, deadline=None)
@given(st.lists(instants, min_size=1, max_size=10))
def test_instants_out_of_order_are_formatted_each_for_itself(times):
    for now in times:
        assert format_timestamp(now) == expected(now, True)
        assert format_timestamp(now, millis=False) == expected(now, False)


def test_a_formatted_timestamp_parses_back_to_its_millisecond():
    now = 1_767_605_400 * NS + 123_456_789
    assert parse_timestamp(format_timestamp(now)) == now // 1_000_000 * 1_000_000
