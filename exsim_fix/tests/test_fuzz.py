"""Fuzzing the session state machine over real sockets (bounded budget): whatever a
client sends, nothing raises out of its session, and another session on the same
endpoint keeps working."""

from __future__ import annotations

import logging
import random

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import exsim_fix.plugin
from exsim_core import Equity, ManualClock, Simulator
from exsim_core.testing import register_plugin
from exsim_fix.testing import FixClient, field, serving

TEMPLATES: list[tuple[str, list[tuple[int, object]]]] = [
    ("0", []),
    ("1", [(112, "T")]),
    ("2", [(7, 1), (16, 0)]),
    ("4", [(123, "Y"), (36, 5)]),
    ("4", [(36, 3)]),
    ("5", []),
    ("3", [(45, 1)]),
    ("A", [(98, 0), (108, 30), (141, "Y")]),
    (
        "D",
        [
            (11, "O1"),
            (55, "ACME"),
            (54, 1),
            (38, 100),
            (40, 2),
            (44, "10.00"),
            (60, "20260105-09:30:00"),
        ],
    ),
    (
        "D",
        [(11, "O2"), (55, "ACME"), (54, 2), (38, 50), (40, 1), (59, 3), (60, "20260105-09:30:00")],
    ),
    ("F", [(41, "O1"), (11, "C1"), (55, "ACME"), (54, 1), (60, "20260105-09:30:00")]),
    (
        "G",
        [
            (41, "O1"),
            (11, "R1"),
            (55, "ACME"),
            (54, 1),
            (38, 200),
            (40, 2),
            (44, "9.99"),
            (60, "20260105-09:30:00"),
        ],
    ),
    ("H", [(11, "O1"), (55, "ACME"), (54, 1)]),
    ("q", [(11, "M1"), (530, 7), (60, "20260105-09:30:00")]),
    ("V", [(262, "R"), (263, 1), (264, 2), (267, 2), (269, 0), (269, 1), (146, 1), (55, "ACME")]),
    ("x", [(320, "L"), (559, 4)]),
    ("c", [(320, "S"), (321, 0), (55, "ACME")]),
    ("8", [(37, "X")]),
]
MUTATIONS = [
    "none",
    "drop_field",
    "dup_field",
    "value",
    "seq",
    "truncate",
    "flip",
    "length",
    "checksum",
    "tag",
    "empty",
    "noise",
]
ops = st.lists(
    st.tuples(
        st.integers(0, len(TEMPLATES) - 1), st.sampled_from(MUTATIONS), st.integers(0, 2**32)
    ),
    min_size=1,
    max_size=12,
)


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _mutate(client: FixClient, template: int, mutation: str, seed: int) -> bytes:
    rng = random.Random(seed)
    msg_type, fields = TEMPLATES[template]
    fields = list(fields)
    seq = None
    if mutation == "drop_field" and fields:
        fields.pop(rng.randrange(len(fields)))
    elif mutation == "dup_field" and fields:
        fields.append(rng.choice(fields))
    elif mutation == "value" and fields:
        i = rng.randrange(len(fields))
        fields[i] = (fields[i][0], rng.choice(["-1", "1e9", "+5", "abc", "999999999999", "Y"]))
    elif mutation == "seq":
        seq = rng.choice([0, 1, client.seq - 1, client.seq + rng.randint(1, 50), 10**9])
    elif mutation == "tag":
        fields.insert(rng.randrange(len(fields) + 1), (rng.choice([0, 5000, 99999, 10]), "X"))
    elif mutation == "empty" and fields:
        fields[rng.randrange(len(fields))] = (fields[0][0], "")
    raw = client.build(msg_type, *fields, seq=seq)
    if mutation == "truncate":
        raw = raw[: rng.randrange(1, len(raw))]
    elif mutation == "flip":
        i = rng.randrange(len(raw))
        raw = raw[:i] + bytes([rng.randrange(256)]) + raw[i + 1 :]
    elif mutation == "length":
        raw = raw.replace(b"\x019=", b"\x019=%d" % rng.randint(0, 9), 1)
    elif mutation == "checksum":
        raw = raw[:-4] + b"%03d\x01" % rng.randrange(256)
    elif mutation == "noise":
        raw = rng.randbytes(rng.randint(1, 80)) + raw
    return raw


async def _fuzz(actions: list[tuple[int, str, int]]) -> None:
    sim = Simulator(ManualClock(), autoload=False)
    register_plugin(sim, exsim_fix.plugin)
    sim.create_venue("XSIM").add_instrument(Equity(symbol="ACME", tick_size="0.01"))
    sim.create_endpoint("fix", "fix", "XSIM")
    for comp_id in ("CLIENT", "CLIENT2"):
        sim.create_session("fix", comp_id, {"sender_comp_id": comp_id, "target_comp_id": "EXSIM"})
    errors = _Errors()
    logger = logging.getLogger("exsim")
    logger.addHandler(errors)
    try:
        async with serving(sim, "fix") as (port, protocol):
            bystander = await FixClient.connect(port, sender="CLIENT2", clock=sim.clock)
            await bystander.logon()
            (bystander_conn,) = protocol.connections
            victim = await FixClient.connect(port, clock=sim.clock)
            await victim.logon()
            (victim_conn,) = protocol.connections - {bystander_conn}
            for template, mutation, seed in actions:
                try:
                    await victim.send_raw(_mutate(victim, template, mutation, seed))
                except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError):
                    break
            await victim.close()
            with anyio.fail_after(5):
                await victim_conn.closed.wait()
            await bystander.send("1", (112, "STILL-HERE"))
            with anyio.fail_after(5):
                while field(await bystander.receive(5), 112) != "STILL-HERE":
                    pass
            assert not sim.venue("XSIM").books["ACME"].is_crossed
    finally:
        logger.removeHandler(errors)
    assert not errors.records, [r.getMessage() for r in errors.records]


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_malformed_input_never_escapes_a_session_nor_disturbs_another(actions):
    anyio.run(_fuzz, actions)
