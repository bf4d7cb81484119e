"""A daemon rebuilt from its journal carries every behaviour on exactly as if it had
never stopped: the delayed steps that ran before the restart are repeated by the
replay (journal entries of kind ``engine``), the ones still pending run when they fall
due, and the events after the restart are the documented ones.

Each scenario is cut after every one of its steps (waits are cut where delayed steps
fall due, so that restarts fall while one is pending and right after it ran), the
daemon is rebuilt from the SQLite journal, and the rest of the scenario is played on
the rebuilt venue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from exsim_behaviours.scenarios import SCENARIOS, Scenario, Step, Wait
from exsim_behaviours.testing import Player, describe, scenario_instrument
from exsim_core.daemon import Daemon
from exsim_core.ops import AdvanceClock, CreateInstrument, CreateVenue
from exsim_core.store import SqliteStore

NS_PER_MS = 1_000_000

Batches = list[tuple[int | float, tuple[tuple[Any, ...], ...]]]


def _sliced(scenario: Scenario) -> list[Step]:
    """The scenario's steps, with each wait cut just before and at every time a batch
    is due: a restart then falls while a delayed step is pending, and right after it
    ran."""
    due = sorted({t for t, _ in scenario.expected})
    out: list[Step] = []
    elapsed = 0
    for step in scenario.steps:
        if not isinstance(step, Wait):
            out.append(step)
            continue
        end = elapsed + step.ms
        cuts = sorted({c for t in due for c in (t - 1, t) if elapsed < c < end})
        for cut in [*cuts, end]:
            out.append(Wait(int(cut - elapsed)))
            elapsed = cut
    return out


def _daemon(db: Path) -> Daemon:
    return Daemon(
        clock="manual", autoload=False, plugins=["exsim_behaviours.plugin"], store=SqliteStore(db)
    )


class _Run:
    """Plays a scenario on a journaling daemon that can be restarted at any step."""

    def __init__(self, scenario: Scenario, db: Path) -> None:
        self.db = db
        self.daemon = _daemon(db)
        self.daemon.open()
        inst = scenario_instrument(scenario).model_dump(mode="json", exclude_none=True)
        inst.update(engine=scenario.engine, engine_params=scenario.params)
        self.daemon.execute(CreateVenue.model_validate({"name": "XSIM"}))
        self.daemon.execute(CreateInstrument.model_validate({"venue": "XSIM", "instrument": inst}))
        self.start = self.daemon.clock.now_ns()
        self.batches: Batches = []
        venue = self.daemon.simulator.venue("XSIM")
        self.player = Player(
            venue, venue.instruments["ACME"], {}, self.daemon.simulator.clock, self.advance
        )
        venue.subscribe(self.record)

    def advance(self, ns: int) -> None:
        self.daemon.execute(AdvanceClock(ns=ns))

    def record(self, batch: list[tuple[Any, ...]], now: int) -> None:
        ms = (now - self.start) / NS_PER_MS
        when = int(ms) if ms.is_integer() else ms
        inst = self.player.inst
        self.batches.append((when, tuple(describe(e, self.player.refs, inst) for e in batch)))

    def restart(self) -> None:
        """Stop (the journal is flushed as before any reply) and rebuild from the file."""
        self.daemon.flush()
        self.daemon.store.close()
        self.daemon = _daemon(self.db)
        self.daemon.open()
        venue = self.daemon.simulator.venue("XSIM")
        self.player.venue = venue
        self.player.inst = venue.instruments["ACME"]
        self.player.clock = self.daemon.simulator.clock  # type: ignore[assignment]
        venue.subscribe(self.record)  # after the replay: replayed events are not new


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_a_restart_after_any_step_leaves_the_documented_events_unchanged(
    scenario: Scenario, tmp_path: Path
) -> None:
    steps = _sliced(scenario)
    for cut in range(1, len(steps)):
        run = _Run(scenario, tmp_path / f"journal-{cut}.db")
        for step in steps[:cut]:
            run.player.play(step)
        run.restart()
        for step in steps[cut:]:
            run.player.play(step)
        assert tuple(run.batches) == scenario.expected, f"restarted after step {cut}"


def test_a_delayed_step_that_ran_before_the_restart_is_journaled_as_an_engine_entry(
    tmp_path: Path,
) -> None:
    (scenario,) = [s for s in SCENARIOS if s.name.startswith("auto_partial: fills of configured")]
    run = _Run(scenario, tmp_path / "journal.db")
    for step in _sliced(scenario)[:5]:  # the order, then 200 ms: two fills
        run.player.play(step)
    run.daemon.flush()
    kinds = [(e["k"], e["p"]) for e in run.daemon.journal.entries() if e["k"] != "op"]
    assert kinds == [("new", kinds[0][1]), ("engine", ["ACME", 1]), ("engine", ["ACME", 1])]
