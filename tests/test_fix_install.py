"""exsim-fix installed on top of exsim-core alone adds the ``fix`` protocol.

Both distributions are built into wheels (what ``pip install ./exsim_fix`` builds) and
installed into a fresh virtual environment holding nothing of this workspace: first
exsim-core, whose ``exsim plugins`` lists no protocol, then exsim-fix, after which
``exsim plugins`` lists ``fix`` from the exsim-fix distribution and the FIX example
configuration checks out.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 300

pytestmark = pytest.mark.slow


def _uv() -> str:
    uv = os.environ.get("UV") or shutil.which("uv")
    if uv is None:
        pytest.fail("this test builds wheels with uv: run the suite with ./uvw run pytest")
    return uv


def _run(args: list[str], cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env.pop("EXSIM_DISABLE_PLUGIN_AUTOLOAD", None)
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
    )
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _plugins(env: Path, cwd: Path) -> dict[str, dict[str, object]]:
    listed = json.loads(_run([str(env / "bin" / "exsim"), "plugins", "--json"], cwd))
    return {p["name"]: p for p in listed}


def test_installing_exsim_fix_on_exsim_core_alone_adds_the_fix_protocol(tmp_path: Path) -> None:
    uv = _uv()
    dist = tmp_path / "dist"
    for project in ("exsim_core", "exsim_fix"):
        _run([uv, "build", "--wheel", "--out-dir", str(dist), str(ROOT / project)], ROOT)
    (core,) = dist.glob("exsim_core-*.whl")
    (fix,) = dist.glob("exsim_fix-*.whl")
    env = tmp_path / "venv"
    python = str(env / "bin" / "python")
    _run([uv, "venv", "--python", sys.executable, str(env)], tmp_path)
    _run([uv, "pip", "install", "--python", python, str(core)], tmp_path)
    core_only = _plugins(env, tmp_path)
    assert sorted(core_only) == ["exsim.builtin"]
    assert "protocols" not in core_only["exsim.builtin"]["registered"]

    _run([uv, "pip", "install", "--python", python, str(fix)], tmp_path)
    plugins = _plugins(env, tmp_path)
    assert sorted(plugins) == ["exsim.builtin", "fix"]
    assert (plugins["fix"]["distribution"], plugins["fix"]["version"]) == ("exsim-fix", "0.1.0")
    assert plugins["fix"]["registered"] == {"protocols": ["fix"]}
    # the installed protocol loads and validates the FIX example's sessions
    example = ROOT / "examples" / "fix.toml"
    out = _run([str(env / "bin" / "exsim"), "config", "check", str(example)], tmp_path)
    assert "2 endpoints, 6 sessions" in out
