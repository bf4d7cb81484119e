"""A daemon killed with SIGKILL and restarted on the same database (``--db``) carries
its FIX sessions on: sequence numbers continue, messages sent before the kill are
resent on request, and resting orders are canceled and replaced by their ClOrdIDs,
with ExecIDs that never repeat one sent before the restart."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest

from exsim_core.client import spawn
from exsim_fix.testing import FixClient, field

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "fix.toml"
GTC = (59, 1)  # resting across the venue's end of day, whenever the test runs


async def _before_the_kill(port: int) -> tuple[FixClient, list]:
    """CLIENT rests A1 and A2, A2 is partly filled by CLIENT2, A3 is canceled."""
    # no heartbeat falls due while the test runs: every message sent is a report
    client = await FixClient.connect(port, sender="CLIENT")
    await client.logon(600, reset=True)
    other = await FixClient.connect(port, sender="CLIENT2")
    await other.logon(600, reset=True)
    await client.new_order("A1", 1, 100, "9.00", "ACME", "2", GTC)
    await client.expect("8")
    await client.new_order("A2", 1, 50, "9.50", "ACME", "2", GTC)
    await client.expect("8")
    await other.new_order("S1", 2, 20, "9.50", "ACME", "2", GTC)
    assert field(await client.expect("8"), 32) == "20"
    await client.new_order("A3", 1, 10, "9.10", "ACME", "2", GTC)
    await client.expect("8")
    await client.send("F", (41, "A3"), (11, "A3-C"), (55, "ACME"), (54, 1), (60, client.now()))
    assert field(await client.expect("8"), 150) == "4"
    await other.close()
    return client, [m for m in client.received if field(m, 35) == "8"]


async def test_a_killed_daemon_restarted_on_its_database_carries_its_fix_sessions_on(
    tmp_path: Path,
) -> None:
    db = tmp_path / "exsim.db"
    daemon = spawn(EXAMPLE, db=db)
    try:
        client, before = await _before_the_kill(daemon.port("fix44"))
        daemon.kill()
    finally:
        daemon.stop()
    await client.close()
    last_out = int(field(before[-1], 34) or 0)
    sent_exec_ids = {field(m, 17) for m in before}

    daemon = spawn(EXAMPLE, db=db)
    try:
        again = await FixClient.connect(daemon.port("fix44"), sender="CLIENT")
        again.seq = client.seq
        answer = await again.logon(600)
        # sequence numbers continue in both directions
        assert field(answer, 34) == str(last_out + 1)
        await again.send("1", (112, "IN-SEQUENCE"))
        assert field(await again.expect("0"), 112) == "IN-SEQUENCE"

        # what was sent before the kill is resent, as possible duplicates
        await again.send("2", (7, 2), (16, last_out))
        resent = [await again.expect("8") for _ in before]
        assert [(field(m, 34), field(m, 17), field(m, 11)) for m in resent] == [
            (field(m, 34), field(m, 17), field(m, 11)) for m in before
        ]
        assert {field(m, 43) for m in resent} == {"Y"}
        assert [field(m, 122) for m in resent] == [field(m, 52) for m in before]

        # resting orders answer to their ClOrdIDs
        await again.send("F", (41, "A1"), (11, "A1-C"), (55, "ACME"), (54, 1), (60, again.now()))
        canceled = await again.expect("8")
        assert [field(canceled, t) for t in (150, 39, 11, 41, 151)] == ["4", "4", "A1-C", "A1", "0"]
        await again.send(
            "G",
            (41, "A2"),
            (11, "A2-R"),
            (55, "ACME"),
            (54, 1),
            (38, 80),
            (40, 2),
            (44, "9.40"),
            GTC,
            (60, again.now()),
        )
        replaced = await again.expect("8")
        assert [field(replaced, t) for t in (150, 39, 11, 41, 44)] == [
            "5",
            "1",
            "A2-R",
            "A2",
            "9.40",
        ]
        assert [field(replaced, t) for t in (38, 14, 151)] == ["80", "20", "60"]
        # a ClOrdID in use before the restart is still taken
        await again.new_order("A2-R", 1, 1, "9.00", "ACME", "2", GTC)
        duplicate = await again.expect("8")
        assert (field(duplicate, 150), field(duplicate, 103)) == ("8", "6")

        # ExecIDs after the restart are new
        after = {field(m, 17) for m in (canceled, replaced, duplicate)}
        assert after.isdisjoint(sent_exec_ids)
        with anyio.fail_after(5):
            await again.close()
    finally:
        daemon.stop()
