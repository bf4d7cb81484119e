"""Fuzzing (bounded budget): no input makes a decoder raise anything but its documented
error, and nothing a client sends escapes its session or disturbs the venue."""

from __future__ import annotations

import contextlib
import random
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from soupwire import SoupClient, login_request, packet

from exsim_core import ManualClock, Simulator, Venue
from exsim_core.testing import running_endpoint
from exsim_ouch import itch, mold, ouch42, ouch50, soup
from exsim_ouch.errors import DecodeError, FramingError

BUDGET = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: payloads that start like real messages, so fuzzing reaches past the type check
ouch42_like = st.one_of(
    st.binary(max_size=80),
    st.sampled_from([b"O", b"U", b"X", b"M"]).flatmap(
        lambda t: st.binary(min_size=0, max_size=60).map(lambda rest: t + rest)
    ),
)
ouch50_like = st.one_of(
    st.binary(max_size=120),
    st.sampled_from([b"O", b"U", b"X", b"M", b"C", b"D", b"E", b"Q"]).flatmap(
        lambda t: st.binary(max_size=100).map(lambda rest: t + rest)
    ),
)


@BUDGET
@given(ouch42_like)
def test_ouch42_decoder_raises_only_decode_error(payload: bytes) -> None:
    with contextlib.suppress(DecodeError):
        ouch42.decode(payload)


@BUDGET
@given(ouch50_like)
def test_ouch50_decoder_raises_only_decode_error(payload: bytes) -> None:
    with contextlib.suppress(DecodeError):
        ouch50.decode(payload)


@BUDGET
@given(st.lists(st.binary(max_size=40), max_size=8))
def test_soup_reader_raises_only_framing_error(chunks: list[bytes]) -> None:
    reader = soup.PacketReader(max_length=256)
    try:
        for chunk in chunks:
            for ptype, payload in reader.feed(chunk):
                if ptype == soup.LOGIN_REQUEST:
                    soup.parse_login(payload)
    except FramingError:
        pass


@BUDGET
@given(st.binary(max_size=40))
def test_mold_rerequest_parser_raises_only_decode_error(data: bytes) -> None:
    with contextlib.suppress(DecodeError):
        mold.parse_request(data)


@pytest.fixture
def endpoints(sim: Simulator, venue: Venue) -> Simulator:
    sim.create_endpoint("OUCH", "ouch42", "XNAS")
    sim.create_session("OUCH", "c42", {"username": "C42"}, password="secret")
    sim.create_endpoint("OUCH5", "ouch50", "XNAS")
    sim.create_session("OUCH5", "c50", {"username": "C50"}, password="secret")
    sim.create_endpoint("ITCH", "itch50", "XNAS")
    sim.create_session("ITCH", "feed", {"username": "FEED"}, password="secret")
    return sim


@pytest.mark.anyio
async def test_random_messages_never_escape_a_session(
    endpoints: Simulator, venue: Venue, caplog: pytest.LogCaptureFixture
) -> None:
    """Random and mutated OUCH messages over real sessions: every one is answered or
    refused, the session stays up, and the venue's books stay consistent."""
    payloads42 = _draw(b"OUXM", 150, seed=1) + _mutations(_valid42(), 150, seed=2)
    payloads50 = _draw(b"OUXMCDEQ", 150, seed=3, max_size=120) + _mutations(_valid50(), 150, seed=4)
    async with (
        running_endpoint(endpoints, "OUCH") as p42,
        running_endpoint(endpoints, "OUCH5") as p50,
    ):
        for port, user, payloads in ((p42, "C42", payloads42), (p50, "C50", payloads50)):
            client = await SoupClient.connect(port)
            await client.login(user, "secret", sequence=0)
            for payload in payloads:
                await client.send_unsequenced(payload)
            assert await client.login_still_open()
    for book in venue.books.values():
        assert not book.is_crossed
    # every message was handled as designed: no internal error was logged
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == []


def _draw(types: bytes, n: int, seed: int, max_size: int = 80) -> list[bytes]:
    """``n`` seeded random payloads: half start with one of ``types``."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        body = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, max_size)))
        out.append(bytes((rng.choice(types),)) + body if types and k % 2 else body or b"\x00")
    return out


def _valid42() -> list[bytes]:
    enter = (
        b"O" + b"TOKEN".ljust(14) + b"B" + struct.pack(">I", 100) + b"ACME    "
        + struct.pack(">II", 100000, 99998) + b"    YAN" + struct.pack(">I", 0) + b"N "
    )  # fmt: skip
    cancel = b"X" + b"TOKEN".ljust(14) + struct.pack(">I", 0)
    return [enter, cancel]


def _valid50() -> list[bytes]:
    enter = (
        struct.pack(">cIcI", b"O", 1, b"B", 100) + b"ACME    " + struct.pack(">Q", 100000)
        + b"0YANN" + b" " * 14 + struct.pack(">H", 3) + bytes((2, 28, 5))
    )  # fmt: skip
    return [enter, struct.pack(">cII", b"X", 1, 0)]


def _mutations(seeds: list[bytes], n: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        data = bytearray(seeds[i % len(seeds)])
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.getrandbits(8)
        if i % 3 == 0:
            # a fresh token / UserRefNum so that mutated orders reach the venue
            if data[:1] == b"O" and len(data) == 49:
                data[1:15] = f"T{i:013d}".encode()
            elif data[:1] == b"O":
                data[1:5] = struct.pack(">I", 10 + i)
        out.append(bytes(data))
    return out


@pytest.mark.anyio
async def test_random_bytes_before_or_after_login_close_only_that_connection(
    endpoints: Simulator, clock: ManualClock
) -> None:
    garbage = _draw(b"LUROS+", 40, seed=5, max_size=64)
    async with running_endpoint(endpoints, "OUCH") as port:
        for i, junk in enumerate(garbage):
            client = await SoupClient.connect(port)
            if i % 2:
                await client.send(login_request("C42", "secret", sequence=0))
                assert (await client.receive())[0] == b"A"
            await client.send(junk + packet(b"O"))
            # junk may open a packet that never completes: the idle timeout ends it
            clock.advance(seconds=16)
            await client.closed()
        survivor = await SoupClient.connect(port)
        assert (await survivor.login("C42", "secret", sequence=0))[0] == "2026010501"


def test_itch_builders_accept_the_full_field_ranges() -> None:
    top = (1 << 48) - 1
    assert len(itch.order_executed(65535, top, (1 << 64) - 1, (1 << 32) - 1, (1 << 64) - 1)) == 31
