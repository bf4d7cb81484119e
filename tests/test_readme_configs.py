"""Every configuration example in the plugin READMEs is a valid configuration file: it
loads (unknown keys are refused) and applies (engines, bots and their parameters are
validated) exactly as ``exsim serve`` would apply it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exsim_core.config import build_daemon, load_config

ROOT = Path(__file__).resolve().parents[1]
READMES = sorted(ROOT.glob("plugins/*/README.md"))
#: what a fragment that only shows bots trades on
VENUE = """
[[venues]]
name = "XSIM"

[[venues.instruments]]
asset_class = "equity"
symbol = "ACME"
reference_price = "10.00"
"""


def _examples() -> list[tuple[str, str]]:
    return [
        (f"{path.parent.name} example {i + 1}", block)
        for path in READMES
        for i, block in enumerate(re.findall(r"```toml\n(.*?)```", path.read_text(), re.DOTALL))
    ]


def test_the_plugin_readmes_have_configuration_examples() -> None:
    names = {name.split()[0] for name, _ in _examples()}
    assert {"exsim_behaviours", "exsim_bots"} <= names


@pytest.mark.parametrize(("name", "block"), _examples(), ids=[n for n, _ in _examples()])
def test_a_readme_configuration_example_loads_and_applies(
    name: str, block: str, tmp_path: Path
) -> None:
    text = block if "[[venues]]" in block else VENUE + block
    path = tmp_path / "example.toml"
    path.write_text(text)
    daemon = build_daemon(load_config(path))
    daemon.open()
    assert daemon.simulator.venues
