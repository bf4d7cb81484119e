"""Configuration files: validated with the path of every bad key, applied as the same
operations a client sends, exported back to a file that reloads to the same state."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from exsim_core.config import (
    build_daemon,
    daemon_sections,
    export_operations,
    export_toml,
    load_config,
)
from exsim_core.errors import ConfigError

ROOT = Path(__file__).parent.parent
DEMO = ROOT / "examples" / "demo.toml"

WITH_ENDPOINT = """
[simulator]
clock = "manual"
start = 2026-03-02T14:30:00Z
plugins = ["exsim_lineproto"]

[[venues]]
name = "XSIM"
stp_mode = "cancel_oldest"
tifs = ["DAY", "GTC"]

[[venues.instruments]]
asset_class = "equity"
symbol = "ACME"
tick_size = "0.01"

[[venues.instruments]]
asset_class = "future"
symbol = "ESZ6"
expiry = 2026-12-18
tick_size = "0.25"
engine = "managed"

[[endpoints]]
name = "lines"
protocol = "line"
venue = "XSIM"
port = 0

[[endpoints.sessions]]
id = "alice"
identity = { username = "alice" }
password = "secret"
"""


def _export(path: Path) -> str:
    daemon = build_daemon(load_config(path))
    daemon.open()
    simulator, sections = daemon_sections(daemon)
    return export_toml(export_operations(daemon), simulator, sections)


@pytest.mark.parametrize("source", ["demo", "with_endpoint"])
def test_load_export_load_gives_the_same_state(source: str, tmp_path: Path) -> None:
    path = DEMO
    if source == "with_endpoint":
        path = tmp_path / "in.toml"
        path.write_text(WITH_ENDPOINT)
    first = _export(path)
    again = tmp_path / "exported.toml"
    again.write_text(first)
    assert _export(again) == first


def test_an_exported_file_keeps_every_venue_and_instrument(tmp_path: Path) -> None:
    path = tmp_path / "in.toml"
    path.write_text(WITH_ENDPOINT)
    exported = load_config(_write(tmp_path / "out.toml", _export(path)))
    venue = exported.venues[0]
    assert (venue.name, venue.stp_mode, venue.tifs) == ("XSIM", "cancel_oldest", ["DAY", "GTC"])
    assert [(i.symbol, i.asset_class, i.engine) for i in venue.instruments] == [
        ("ACME", "equity", None),
        ("ESZ6", "future", "managed"),
    ]
    assert exported.endpoints[0].sessions[0].password == "secret"
    assert exported.simulator.start_ns == load_config(path).simulator.start_ns


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_a_bad_key_names_its_path(tmp_path: Path) -> None:
    bad = WITH_ENDPOINT.replace('tick_size = "0.25"', 'tick_sise = "0.25"')
    with pytest.raises(ConfigError) as info:
        load_config(_write(tmp_path / "bad.toml", bad))
    assert "venues[0].instruments[1].tick_sise: unknown key" in str(info.value)


def test_a_bad_value_names_its_path(tmp_path: Path) -> None:
    bad = WITH_ENDPOINT.replace('tick_size = "0.01"', 'tick_size = "-1"')
    with pytest.raises(ConfigError) as info:
        load_config(_write(tmp_path / "bad.toml", bad))
    assert "venues[0].instruments[0].tick_size: Input should be greater than 0" in str(info.value)


def _exsim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "exsim_core", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_config_check_accepts_the_demo() -> None:
    result = _exsim("config", "check", str(DEMO))
    assert result.returncode == 0, result.stderr
    assert "valid (1 venues, 3 instruments" in result.stdout


def test_config_check_names_the_operation_that_fails(tmp_path: Path) -> None:
    bad = WITH_ENDPOINT.replace('protocol = "line"', 'protocol = "fix44"')
    result = _exsim("config", "check", str(_write(tmp_path / "bad.toml", bad)))
    assert result.returncode == 1
    assert "create_endpoint lines" in result.stderr
    assert "unknown protocol 'fix44'" in result.stderr


def test_config_export_writes_a_file_that_checks(tmp_path: Path) -> None:
    out = tmp_path / "out.toml"
    result = _exsim("config", "export", "--config", str(DEMO), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert _exsim("config", "check", str(out)).returncode == 0
