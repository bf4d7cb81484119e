"""The template bot plugin, built into a wheel and installed into a fresh virtual
environment together with exsim-core, is discovered and trades.

This is what a plugin author does with a copy of the template: build it, install it
next to exsim-core, see it in ``exsim plugins``, run it in a venue. The environment
holds nothing of this workspace but the two wheels.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
from wheels import ROOT, run, venv_with

TEMPLATE = ROOT / "plugins" / "exsim_bot_template"

pytestmark = pytest.mark.slow

TRADE_SCRIPT = textwrap.dedent(
    """
    import json
    from exsim_core import BUY, Equity, ManualClock, Order, Simulator, TimeInForce
    from exsim_core import events as ev

    clock = ManualClock()
    sim = Simulator(clock=clock)
    venue = sim.create_venue("XSIM")
    venue.add_instrument(Equity(symbol="ACME", reference_price="10.00"))
    trades = []
    venue.subscribe(lambda batch, now: trades.extend(
        (e[3], e[4], e[6].session, e[7].session) for e in batch if e[0] == ev.TRADE))
    bot = sim.create_bot("template_quoter", "XSIM", "ACME", {"qty_lots": 5}, seed=1)
    bot.start()
    venue.submit(Order("ACME", BUY, 5, None, "market", TimeInForce.IOC, session="client"))
    clock.advance(seconds=5)
    print(json.dumps({"trades": trades, "report": bot.report()}))
    """
)


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the exsim-core and template wheels installed."""
    env = venv_with(tmp_path_factory.mktemp("template"), ROOT / "exsim_core", TEMPLATE)
    wheels = sorted(p.name.split("-")[0] for p in (env.parent / "dist").glob("*.whl"))
    assert wheels == ["exsim_bot_template", "exsim_core"]
    return env


def test_installed_template_is_listed_by_exsim_plugins(venv: Path) -> None:
    listed = json.loads(run([str(venv / "bin" / "exsim"), "plugins", "--json"]))
    by_name = {p["name"]: p for p in listed}
    assert sorted(by_name) == ["bot_template", "exsim.builtin"]
    template = by_name["bot_template"]
    assert (template["distribution"], template["version"]) == ("exsim-bot-template", "0.1.0")
    assert template["registered"] == {"bots": ["template_quoter"]}


def test_installed_template_bot_trades_in_a_venue(venv: Path, tmp_path: Path) -> None:
    script = tmp_path / "trade.py"
    script.write_text(TRADE_SCRIPT)
    result = json.loads(run([str(venv / "bin" / "python"), str(script)], cwd=tmp_path))
    bot = result["report"]["name"]
    assert result["trades"][0] == [1002, 5, "client", bot]
    assert result["report"]["position"] == "-5"
    assert result["report"]["quotes_sent"] >= 5


def test_template_tests_pass_against_the_installed_wheel(venv: Path, tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    shutil.copytree(TEMPLATE / "tests", tests, ignore=shutil.ignore_patterns("__pycache__"))
    out = run(
        [str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=tmp_path,
    )
    assert " passed" in out
    assert "failed" not in out
