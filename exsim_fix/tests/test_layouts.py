"""Layouts, the one-pass parser for messages a client repeats, against the field-by-field
path and simplefix on the same inputs: a layout answers exactly when the field-by-field
path finds a valid message, and then with the same fields."""

from __future__ import annotations

import simplefix
from hypothesis import given, settings
from hypothesis import strategies as st

from exsim_fix.codec import FixMessage, FrameReader, frame, parse
from exsim_fix.layouts import Layouts
from exsim_fix.validate import check
from exsim_fix.versions import version_of

V44 = version_of("FIX.4.4")

#: (tag, a valid value) of the messages the tests vary: a NewOrderSingle with header,
#: optional header and body fields, a user-defined tag and a Parties group
HEADER = [(34, b"7"), (49, b"CLIENT"), (52, b"20260105-09:30:00.123"), (56, b"EXSIM")]
OPTIONAL_HEADER = [(43, b"Y"), (97, b"N"), (122, b"20260105-09:29:59")]
BODY = [
    (11, b"O1"),
    (21, b"1"),
    (55, b"ACME"),
    (167, b"CS"),
    (54, b"1"),
    (38, b"100"),
    (40, b"2"),
    (44, b"10.25"),
    (59, b"0"),
    (60, b"20260105-09:30:00"),
    (110, b"10"),
    (5001, b"x=y"),
]
PARTIES = [
    (453, b"2"),
    (448, b"P1"),
    (447, b"D"),
    (452, b"3"),
    (448, b"P2"),
    (447, b"D"),
    (452, b"1"),
]

#: values that break one check or another, and values that pass them in a new way
ODD_VALUES = [
    b"",
    b"0",
    b"007",
    b"-1.5",
    b".5",
    b"1.",
    b"-",
    b".",
    b"abc",
    b"Y",
    b"N",
    b"y",
    b"CS",
    b"CSX",
    b"20260105-09:30:00",
    b"20260105-09:30:00.123456789",
    b"2026010-09:30:00",
    b"20260105-09:30:00.",
    b"a=b",
    b"\xb2",
    b"3",
]


def raw_message(
    fields: list[tuple[int, bytes]], msg_type: bytes = b"D", begin: bytes = b"FIX.4.4"
) -> bytes:
    body = b"35=%s\x01" % msg_type + b"".join(b"%d=%s\x01" % f for f in fields)
    (framed,) = FrameReader().feed(frame(begin, body))
    assert isinstance(framed, bytes)
    return framed


def checked(msg: FixMessage | object) -> bool:
    """Does the field-by-field path find a valid message?"""
    return isinstance(msg, FixMessage) and (
        check(msg.fields, msg.values, msg.bad_tag, msg.msg_type, V44) is None
    )


def learnt(fields: list[tuple[int, bytes]]) -> Layouts:
    layouts = Layouts(V44)
    msg = parse(raw_message(fields))
    assert checked(msg), "the layout is learnt from a valid message"
    assert isinstance(msg, FixMessage)
    layouts.learn(msg)
    assert len(layouts) == 1
    return layouts


@st.composite
def layouts_and_variants(
    draw: st.DrawFn,
) -> tuple[list[tuple[int, bytes]], list[tuple[int, bytes]]]:
    """A valid message's fields, and the same tags with some values changed."""
    fields = list(HEADER)
    fields += [f for f in OPTIONAL_HEADER if draw(st.booleans())]
    fields += [f for f in BODY if f[0] in (11, 55, 54, 40, 60) or draw(st.booleans())]
    if draw(st.booleans()):
        fields += PARTIES
    changed = list(fields)
    for i in draw(st.lists(st.integers(0, len(fields) - 1), max_size=4)):
        changed[i] = (fields[i][0], draw(st.sampled_from(ODD_VALUES)))
    return fields, changed


@settings(max_examples=400, deadline=None)
@given(layouts_and_variants())
def test_a_layout_answers_exactly_when_the_message_is_valid_and_with_the_same_fields(case):
    fields, changed = case
    layouts = learnt(fields)
    raw = raw_message(changed)
    fast = layouts.parse(raw)
    slow = parse(raw)
    if fast is None:
        assert not checked(slow)
        return
    assert checked(slow)
    assert isinstance(slow, FixMessage)
    assert fast.checked
    assert fast.fields == slow.fields
    assert fast.values == slow.values
    assert (fast.msg_type, fast.begin_string, fast.bad_tag) == (
        slow.msg_type,
        slow.begin_string,
        slow.bad_tag,
    )
    assert fast.repeats == slow.repeats


@settings(max_examples=200, deadline=None)
@given(layouts_and_variants())
def test_fields_found_by_a_layout_are_those_simplefix_finds(case):
    fields, changed = case
    raw = raw_message(changed)
    fast = learnt(fields).parse(raw)
    if fast is None:
        return
    parser = simplefix.FixParser()
    parser.append_buffer(raw)
    decoded = parser.get_message()
    pairs = [(bytes(t), bytes(v)) for t, v in decoded.pairs if t not in (b"8", b"9", b"10")]
    assert fast.fields == pairs


def test_another_begin_string_msg_type_or_tag_order_is_not_matched():
    layouts = learnt(HEADER + BODY[:10])
    assert layouts.parse(raw_message(HEADER + BODY[:10])) is not None
    assert layouts.parse(raw_message(HEADER + BODY[:10], begin=b"FIX.4.2")) is None
    assert layouts.parse(raw_message(HEADER + BODY[:10], msg_type=b"G")) is None
    swapped = [*HEADER, BODY[2], BODY[0], *BODY[3:10]]
    assert layouts.parse(raw_message(swapped)) is None
    assert layouts.parse(raw_message([*HEADER, *BODY[:10], (58, b"extra")])) is None


def test_a_group_layout_accepts_the_counts_the_group_check_accepts():
    layouts = learnt(HEADER + BODY[:10] + PARTIES)
    assert layouts.parse(raw_message(HEADER + BODY[:10] + PARTIES)) is not None
    recount = [(453, b"02"), *PARTIES[1:]]
    assert layouts.parse(raw_message(HEADER + BODY[:10] + recount)) is not None
    miscount = [(453, b"3"), *PARTIES[1:]]
    assert layouts.parse(raw_message(HEADER + BODY[:10] + miscount)) is None
    # the group check lets a count of 0 stand whatever follows, and so does the layout
    uncounted = [(453, b"0"), *PARTIES[1:]]
    assert layouts.parse(raw_message(HEADER + BODY[:10] + uncounted)) is not None


def test_messages_with_data_fields_are_never_learnt():
    layouts = Layouts(V44)
    msg = parse(raw_message([*HEADER, (95, b"3"), (96, b"a\x01b"), *BODY[:10]]))
    assert checked(msg)
    assert isinstance(msg, FixMessage)
    layouts.learn(msg)
    assert len(layouts) == 0


def test_layouts_are_bounded():
    layouts = Layouts(V44, limit=3)
    for n in range(10):
        msg = parse(raw_message([*HEADER, *BODY[:10], *[(5000 + i, b"v") for i in range(n)]]))
        assert isinstance(msg, FixMessage)
        layouts.learn(msg)
    assert len(layouts) == 3
