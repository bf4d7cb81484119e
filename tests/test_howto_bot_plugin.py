"""The ``exsim serve`` part of the bot-plugin how-to (docs/howto/bot-plugin.md, section
7) works as written: its configuration file, its commands and the answers it shows.

The how-to renames the template's kind ``template_quoter`` to ``acme_quoter``; the
workspace has the template installed under its own name, so the test reads the one as
the other. Everything else runs verbatim: ``exsim config check``, ``exsim serve`` with a
ready file, and the shell lines that read the ready file and call the management API
with curl.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

HOWTO = Path(__file__).resolve().parents[1] / "docs" / "howto" / "bot-plugin.md"
RENAMED = ("acme_quoter", "template_quoter")
READY_WITHIN_S = 60.0


def _section() -> str:
    text = HOWTO.read_text()
    start = text.index("## 7. See it trade in `exsim serve`")
    return text[start : text.index("\n## ", start + 1)]


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", _section(), re.DOTALL)


def _commands(block: str) -> list[str]:
    return [line[2:] for line in block.splitlines() if line.startswith("$ ")]


def _exsim(command: str) -> list[str]:
    """A documented ``exsim ...`` command line, run by this environment's Python."""
    words = command.split()
    assert words[0] == "exsim"
    return [sys.executable, "-m", "exsim_core", *words[1:]]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("howto")
    (toml,) = _blocks("toml")
    (path / "acme.toml").write_text(toml.replace(*RENAMED))
    return path


@pytest.fixture(scope="module")
def served(folder: Path) -> Iterator[Path]:
    _check, serve = _commands(_blocks("console")[0])
    log = folder / "serve.log"
    with log.open("wb") as stderr:
        proc = subprocess.Popen(_exsim(serve), cwd=folder, stderr=stderr, start_new_session=True)
    try:
        deadline = time.monotonic() + READY_WITHIN_S
        while not (folder / "ready.json").exists():
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "no ready file"
            time.sleep(0.05)
        yield folder
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        assert proc.wait(20) == 0, log.read_text()


def test_the_configuration_passes_the_documented_check(folder: Path) -> None:
    block = _blocks("console")[0]
    check = _commands(block)[0]
    shown = block.splitlines()[1]
    result = subprocess.run(
        _exsim(check), cwd=folder, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == shown


def test_the_documented_calls_report_reconfigure_stop_and_start_the_bot(served: Path) -> None:
    if shutil.which("curl") is None:
        pytest.fail("the how-to's calls use curl: install it (Debian: apt-get install curl)")
    lines = _commands(_blocks("console")[1])
    # python in the how-to is the reader's Python: here, the one running the tests
    script = f'python() {{ "{sys.executable}" "$@"; }}\n' + "\n".join(
        f"{line}\necho" for line in lines
    )
    result = subprocess.run(
        ["bash", "-euc", script], cwd=served, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    reports = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(reports) == 4
    first, changed, stopped, started = reports
    assert (first["name"], first["kind"], first["running"]) == ("quoter", RENAMED[1], True)
    assert first["params"]["spread_ticks"] == 6
    assert changed["params"]["spread_ticks"] == 8
    assert (stopped["running"], stopped["live_orders"]) == (False, 0)
    assert started["running"] is True


def test_the_example_report_has_the_fields_a_report_has(served: Path) -> None:
    (example,) = _blocks("json")
    shown = json.loads(example)
    ready = json.loads((served / "ready.json").read_text())
    real = httpx.get(
        f"{ready['url']}/v1/bots/quoter",
        headers={"Authorization": f"Bearer {ready['token']}"},
        timeout=10,
    ).json()
    assert list(shown) == list(real)
    assert list(shown["params"]) == list(real["params"])
