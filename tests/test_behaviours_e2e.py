"""Every behaviour, end to end: a spawned ``exsim serve``, orders over a wire session,
the manual clock advanced through the management API, and exactly the documented
events back (:mod:`exsim_behaviours.scenarios`, the data the in-process tests play),
both in the venue's event stream and in what the client session is told."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from scenario_daemon import ScenarioThroughDaemon, session_view

from exsim_behaviours.scenarios import SCENARIOS, Scenario
from exsim_core import Client, spawn
from exsim_core.client import DaemonProcess

CONFIG: dict[str, Any] = {
    "simulator": {"clock": "manual", "plugins": ["exsim_lineproto"]},
    "venues": [{"name": "XSIM"}],
    "endpoints": [
        {
            "name": "orders",
            "protocol": "line",
            "venue": "XSIM",
            "sessions": [{"id": "client", "identity": {"username": "client"}}],
        }
    ],
}


@pytest.fixture(scope="module")
def daemon() -> Iterator[tuple[DaemonProcess, Client]]:
    with spawn(CONFIG) as process, process.client() as client:
        yield process, client


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_behaviour_sends_its_documented_events_through_the_daemon(
    scenario: Scenario, daemon: tuple[DaemonProcess, Client]
) -> None:
    process, client = daemon
    run = ScenarioThroughDaemon(scenario, client, process.port("orders"), "client")
    run.configure()
    try:
        run.play(scenario.steps)
    finally:
        run.close()
    assert tuple(run.batches) == scenario.expected
    assert run.lines == session_view(scenario.expected)
    assert client.check()["errors"] == []
