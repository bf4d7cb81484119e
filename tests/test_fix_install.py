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


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, dict]]:
    """A fresh environment with exsim-core, then exsim-fix, installed from wheels; and
    what ``exsim plugins`` listed in between."""
    tmp = tmp_path_factory.mktemp("fix-install")
    uv = _uv()
    dist = tmp / "dist"
    for project in ("exsim_core", "exsim_fix"):
        _run([uv, "build", "--wheel", "--out-dir", str(dist), str(ROOT / project)], ROOT)
    (core,) = dist.glob("exsim_core-*.whl")
    (fix,) = dist.glob("exsim_fix-*.whl")
    env = tmp / "venv"
    python = str(env / "bin" / "python")
    _run([uv, "venv", "--python", sys.executable, str(env)], tmp)
    _run([uv, "pip", "install", "--python", python, str(core)], tmp)
    core_only = _plugins(env, tmp)
    _run([uv, "pip", "install", "--python", python, str(fix)], tmp)
    return env, tmp, core_only


def test_exsim_core_alone_has_no_fix_protocol(installed: tuple[Path, Path, dict]) -> None:
    _env, _tmp, core_only = installed
    assert sorted(core_only) == ["exsim.builtin"]
    assert "protocols" not in core_only["exsim.builtin"]["registered"]


def test_installing_exsim_fix_adds_fix_to_exsim_plugins(installed: tuple[Path, Path, dict]) -> None:
    env, tmp, _core_only = installed
    plugins = _plugins(env, tmp)
    assert sorted(plugins) == ["exsim.builtin", "fix"]
    fix = plugins["fix"]
    assert (fix["distribution"], fix["version"]) == ("exsim-fix", "0.1.0")
    assert fix["registered"] == {"protocols": ["fix"]}


def test_installed_exsim_fix_accepts_the_fix_example(installed: tuple[Path, Path, dict]) -> None:
    env, tmp, _core_only = installed
    example = ROOT / "examples" / "fix.toml"
    out = _run([str(env / "bin" / "exsim"), "config", "check", str(example)], tmp)
    assert "2 endpoints, 6 sessions" in out
