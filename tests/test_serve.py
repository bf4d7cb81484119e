"""``exsim serve`` as a user runs it: ready file, token, signals, lease."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from configs import with_free_ports
from lineclient import LineClient

from exsim_core import spawn
from exsim_core.client import SpawnError

DEMO = Path(__file__).parent.parent / "examples" / "demo.toml"


def _wait_for_file(
    path: Path, proc: subprocess.Popen[bytes], timeout: float = 60
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, f"exsim serve exited with {proc.returncode}"
        assert time.monotonic() < deadline, "no ready file"
        time.sleep(0.02)
    return dict(json.loads(path.read_text()))


@pytest.fixture
def served(tmp_path: Path) -> Any:
    ready = tmp_path / "ready.json"
    config = with_free_ports(DEMO, tmp_path)
    cmd = [sys.executable, "-m", "exsim_core", "serve", "--config", str(config), "--ready-file"]
    proc = subprocess.Popen(
        [*cmd, str(ready)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        yield proc, _wait_for_file(ready, proc)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def test_the_ready_file_lists_the_management_port_and_token(served: Any) -> None:
    proc, info = served
    assert info["pid"] == proc.pid
    assert info["host"] == "127.0.0.1"
    assert info["port"] > 0
    assert info["url"] == f"http://127.0.0.1:{info['port']}"
    assert len(info["token"]) >= 16
    assert sorted(info["endpoints"]) == ["fix44", "ouch42"]
    assert all(e["port"] > 0 and e["host"] == "127.0.0.1" for e in info["endpoints"].values())


def test_the_token_lists_the_demo_venue_and_no_token_gets_401(served: Any) -> None:
    _proc, info = served
    ok = httpx.get(f"{info['url']}/v1/venues", headers={"Authorization": f"Bearer {info['token']}"})
    assert [v["name"] for v in ok.json()] == ["XSIM"]
    refused = httpx.get(f"{info['url']}/v1/venues")
    assert refused.status_code == 401
    assert refused.json()["detail"][0]["loc"] == ["header", "Authorization"]
    wrong = httpx.get(f"{info['url']}/v1/venues", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert httpx.get(f"{info['url']}/v1/health").status_code == 200


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_daemon_cleanly(served: Any, sig: signal.Signals) -> None:
    proc, _info = served
    proc.send_signal(sig)
    assert proc.wait(20) == 0
    log = proc.stderr.read().decode()
    assert "stopped" in log


def test_logs_are_json_lines_with_the_endpoint_bound(tmp_path: Path) -> None:
    config = {
        "simulator": {"clock": "manual", "plugins": ["exsim_lineproto"]},
        "venues": [{"name": "XSIM", "instruments": [{"asset_class": "equity", "symbol": "ACME"}]}],
        "endpoints": [
            {
                "name": "lines",
                "protocol": "line",
                "venue": "XSIM",
                "sessions": [{"id": "a", "identity": {"username": "a"}}],
            }
        ],
    }
    with spawn(config, log_format="json") as daemon, daemon.client() as client:
        with LineClient(daemon.port("lines")) as line:
            line.logon("a")
            client.delete_endpoint("lines")
        text = daemon.log()
    records = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    logon = [r for r in records if "logged on" in r["event"]]
    assert logon, records
    assert (logon[0]["endpoint"], logon[0]["venue"], logon[0]["session"]) == ("lines", "XSIM", "a")
    assert any(r["event"] == "endpoint lines stopped" and r["endpoint"] == "lines" for r in records)


def test_spawn_fails_fast_with_the_daemon_log() -> None:
    with pytest.raises(SpawnError) as info:
        spawn({"simulator": {"plugins": ["no_such_plugin_module"]}})
    assert "no_such_plugin_module" in info.value.log


def test_a_daemon_whose_owner_was_killed_exits_by_itself(tmp_path: Path) -> None:
    owner = tmp_path / "owner.py"
    owner.write_text(
        textwrap.dedent(
            """
            import sys, time
            from exsim_core import spawn
            daemon = spawn({"simulator": {"clock": "manual"}}, lease=2.0)
            print(daemon.pid, flush=True)
            time.sleep(600)
            """
        )
    )
    proc = subprocess.Popen(
        [sys.executable, str(owner)], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert proc.stdout is not None
        daemon_pid = int(proc.stdout.readline())
        os.killpg(proc.pid, signal.SIGKILL)  # the test run dies; nobody stops the daemon
        proc.wait(10)
        deadline = time.monotonic() + 30
        while _alive(daemon_pid):
            assert time.monotonic() < deadline, "the orphan daemon is still running"
            time.sleep(0.1)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped by init) counts as gone
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


def _token_of(tmp_path: Path, env: dict[str, str], *args: str) -> str:
    config = tmp_path / "c.toml"
    config.write_text('[server]\ntoken = "from-file"\n')
    ready = tmp_path / "ready.json"
    ready.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "exsim_core", "serve", "--config", str(config), "--ready-file"]
    proc = subprocess.Popen(
        [*cmd, str(ready), *args],
        env=os.environ | env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        return str(_wait_for_file(ready, proc)["token"])
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def test_the_environment_overrides_the_file_and_the_command_line_overrides_both(
    tmp_path: Path,
) -> None:
    assert _token_of(tmp_path, {}) == "from-file"
    assert _token_of(tmp_path, {"EXSIM_TOKEN": "from-env"}) == "from-env"
    assert _token_of(tmp_path, {"EXSIM_TOKEN": "from-env"}, "--token", "from-cli") == "from-cli"
