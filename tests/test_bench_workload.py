"""The engine benchmark's workload does what docs/benchmarks.md says it does: its
cancels and replaces name orders that rest at the venue, so the benchmark measures
cancels and replaces rather than refusals."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import engine_bench  # found through the path entry above
from workload import generate

from exsim_core.events import CANCEL_REJECTED, CANCELED, REPLACED


@pytest.mark.parametrize("instruments", [1, 8])
def test_every_cancel_and_replace_of_the_workload_finds_its_order_resting(
    instruments: int,
) -> None:
    workload = generate(20_000, instruments, seed=42)
    venue, _ = engine_bench.make_venue(workload.symbols)
    kinds: Counter[int] = Counter()

    def count(batch: list[tuple[Any, ...]], now: int) -> None:
        kinds.update(ev[0] for ev in batch)

    venue.subscribe(count)
    for fn, arg in engine_bench.build(venue, workload):
        fn(arg)
    mix = workload.counts()
    assert kinds[CANCEL_REJECTED] == 0
    assert kinds[REPLACED] == mix["R"]
    assert kinds[CANCELED] >= mix["C"]


def test_the_workload_mix_is_the_documented_one() -> None:
    mix = generate(20_000, 1, seed=42).counts()
    shares = {kind: n / 20_000 for kind, n in mix.items()}
    assert shares["N"] == pytest.approx(0.60, abs=0.02)
    assert shares["C"] == pytest.approx(0.25, abs=0.02)
    assert shares["M"] == pytest.approx(0.10, abs=0.02)
    assert shares["R"] == pytest.approx(0.05, abs=0.02)
