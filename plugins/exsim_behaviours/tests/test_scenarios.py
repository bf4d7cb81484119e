"""Each behaviour produces exactly its documented sequence of events (in-process).

The sequences are data (:mod:`exsim_behaviours.scenarios`); the same data drives the
end-to-end tests through a daemon and a client.
"""

from __future__ import annotations

import pytest

from exsim_behaviours.scenarios import SCENARIOS, Scenario, by_engine
from exsim_behaviours.testing import run_in_process


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_behaviour_produces_its_documented_events(scenario: Scenario) -> None:
    assert run_in_process(scenario) == scenario.expected


@pytest.mark.parametrize("engine", ["auto_fill", "auto_partial", "auto_cancel"])
def test_behaviour_configured_for_the_venue_behaves_as_configured_for_the_instrument(
    engine: str,
) -> None:
    for scenario in by_engine(engine):
        assert run_in_process(scenario, configure="venue") == scenario.expected


@pytest.mark.parametrize("engine", ["auto_reject", "partial_then_cancel"])
def test_behaviour_switched_on_with_set_engine_behaves_as_configured(engine: str) -> None:
    for scenario in by_engine(engine):
        assert run_in_process(scenario, configure="switch") == scenario.expected


def test_every_behaviour_has_documented_scenarios_with_cancels_and_replaces() -> None:
    from exsim_behaviours import ENGINES
    from exsim_behaviours.scenarios import Cancel, Replace

    for engine in ENGINES:
        steps = [type(step) for s in by_engine(engine.name) for step in s.steps]
        assert Cancel in steps, engine.name
        if engine.name != "auto_reject":  # a rejected order cannot be replaced
            assert Replace in steps, engine.name


def test_every_behaviour_documents_a_cancel_refused_as_too_late() -> None:
    from exsim_behaviours import ENGINES

    for engine in ENGINES:
        events = [e for s in by_engine(engine.name) for _, batch in s.expected for e in batch]
        assert any(e[0] == "cancel_rejected" and e[2] == "too_late" for e in events), engine.name
