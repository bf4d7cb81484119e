"""exsim-ouch installed from its wheel next to exsim-core alone, in a fresh virtual
environment: ``exsim plugins`` lists its four protocols, and the OUCH example checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from wheels import ROOT, run, venv_with

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return venv_with(tmp_path_factory.mktemp("ouch"), ROOT / "exsim_core", ROOT / "exsim_ouch")


def test_exsim_plugins_lists_the_ouch_and_itch_protocols(venv: Path) -> None:
    listed = json.loads(run([str(venv / "bin" / "exsim"), "plugins", "--json"]))
    by_name = {p["name"]: p for p in listed}
    assert sorted(by_name) == ["exsim.builtin", "ouch"]
    ouch = by_name["ouch"]
    assert (ouch["distribution"], ouch["source"]) == ("exsim-ouch", "entry point")
    assert ouch["registered"] == {"protocols": ["itch50", "itch50_mold", "ouch42", "ouch50"]}


def test_the_ouch_example_checks_with_exsim_core_and_exsim_ouch_alone(venv: Path) -> None:
    example = ROOT / "examples" / "ouch.toml"
    out = run([str(venv / "bin" / "exsim"), "config", "check", str(example)])
    assert "valid (1 venues, 2 instruments, 4 endpoints, 5 sessions, 0 bots)" in out
