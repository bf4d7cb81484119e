"""A daemon killed while a behaviour is under way, restarted on the same database,
rebuilds the same orders, fills and trades, and the steps still pending happen as they
would have: at their own times on a manual clock, at once when their time passed while
the daemon was down on the wall clock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scenario_daemon import ScenarioThroughDaemon, session_view

from exsim_behaviours.scenarios import SCENARIOS, Wait
from exsim_core import spawn

pytestmark = pytest.mark.slow

LINE = {
    "name": "orders",
    "protocol": "line",
    "venue": "XSIM",
    "sessions": [{"id": "client", "identity": {"username": "client"}}],
}
MANUAL: dict[str, Any] = {
    "simulator": {"clock": "manual", "plugins": ["exsim_lineproto"]},
    "venues": [{"name": "XSIM"}],
    "endpoints": [LINE],
}
#: ACCEPTED at 0, fills of 10 and 20 at 100 and 200 ms, the remaining 70 at 300 ms
(DELAYED_PARTIALS,) = [
    s for s in SCENARIOS if s.name.startswith("auto_partial: fills of configured sizes")
]


def test_partial_fills_pending_at_a_kill_happen_at_their_times_after_the_restart(
    tmp_path: Path,
) -> None:
    db = tmp_path / "exsim.db"
    first = spawn(MANUAL, db=db)
    with first, first.client() as client:
        run = ScenarioThroughDaemon(DELAYED_PARTIALS, client, first.port("orders"), "client")
        run.configure()
        try:
            run.play([DELAYED_PARTIALS.steps[0], Wait(150)])  # the order, its first fill
            before = (client.order("XSIM", 1), client.trades("XSIM"), client.clock())
            assert before[0]["leaves_qty"] == "90"
            first.kill()
        finally:
            run.close()
    second = spawn(MANUAL, db=db)
    with second, second.client() as client:
        try:
            replayed = run.reconnect(client, second.port("orders"))
            assert (client.order("XSIM", 1), client.trades("XSIM"), client.clock()) == before
            assert replayed == run.batches  # the replay repeated what happened, no more
            run.play([Wait(850)])
            assert tuple(run.batches) == DELAYED_PARTIALS.expected
            assert run.lines == session_view(DELAYED_PARTIALS.expected)
        finally:
            run.close()


WALL: dict[str, Any] = {
    "simulator": {"clock": "wall", "plugins": ["exsim_lineproto"]},
    "venues": [
        {
            "name": "XSIM",
            "instruments": [
                {
                    "asset_class": "equity",
                    "symbol": "ACME",
                    "engine": "auto_fill",
                    "engine_params": {"delay_ms": 3000},
                }
            ],
        }
    ],
    "endpoints": [LINE],
}


def test_a_fill_due_while_the_daemon_was_down_happens_once_at_the_restart(
    tmp_path: Path,
) -> None:
    db = tmp_path / "exsim.db"
    first = spawn(WALL, db=db)
    with first, first.client() as client:
        order = client.submit("XSIM", "ACME", "buy", "100", "10.00", session="client")
        submitted = order["order"]["entered_ns"]
        assert client.order("XSIM", 1)["status"] == "new"  # the fill is pending
        first.kill()
    second = spawn(WALL, db=db)
    with second, second.client() as client:
        fill = client.wait_for(lambda e: e["kind"] == "fill" and e["time_ns"] > submitted, 15)
        assert (fill["last_qty"], fill["last_px"], fill["leaves"]) == ("100", "10.00", "0")
        assert fill["time_ns"] >= submitted + 3_000_000_000
        trades = client.trades("XSIM")
        assert [(t["qty"], t["price"]) for t in trades] == [("100", "10.00")]
