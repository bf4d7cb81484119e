"""Distributions of this workspace built into wheels and installed into a fresh virtual
environment, as a user installs them from an index: the environment holds nothing of
the workspace but those wheels (and what they depend on)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 300


def _uv() -> str:
    uv = os.environ.get("UV") or shutil.which("uv")
    if uv is None:
        pytest.fail("this test builds wheels with uv: run the suite with ./uvw run pytest")
    return uv


def clean_env() -> dict[str, str]:
    """This environment without the workspace's virtual environment and plugin switch."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env.pop("EXSIM_DISABLE_PLUGIN_AUTOLOAD", None)
    return env


def run(args: list[str], cwd: Path | None = None) -> str:
    """Run a command in :func:`clean_env`; its standard output (it must succeed)."""
    done = subprocess.run(
        args,
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def venv_with(tmp: Path, *projects: Path) -> Path:
    """A virtual environment in ``tmp`` with the wheels of ``projects`` installed."""
    uv = _uv()
    dist = tmp / "dist"
    for project in projects:
        run([uv, "build", "--wheel", "--out-dir", str(dist), str(project)], cwd=ROOT)
    wheels = sorted(str(p) for p in dist.glob("*.whl"))
    assert len(wheels) == len(projects), wheels
    env = tmp / "venv"
    run([uv, "venv", "--python", sys.executable, str(env)], cwd=tmp)
    run([uv, "pip", "install", "--python", str(env / "bin" / "python"), *wheels], cwd=tmp)
    return env
