"""End-to-end tests: real daemons (in-process and subprocess), real sockets.

The ``line`` protocol plugin (tests/support/exsim_lineproto) is importable here and in
every daemon these tests spawn (PYTHONPATH).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from exsim_core.client import DaemonProcess, spawn

SUPPORT = Path(__file__).parent / "support"
FIX_EXAMPLE = Path(__file__).parent.parent / "examples" / "fix.toml"
sys.path.insert(0, str(SUPPORT))
os.environ["PYTHONPATH"] = os.pathsep.join(
    filter(None, [str(SUPPORT), os.environ.get("PYTHONPATH")])
)

pytest_plugins = ["pytester"]


BASE_CONFIG: dict[str, Any] = {
    "simulator": {"clock": "manual", "plugins": ["exsim_lineproto"]},
    "venues": [
        {
            "name": "XSIM",
            "instruments": [{"asset_class": "equity", "symbol": "ACME", "tick_size": "0.01"}],
        },
        {
            "name": "MGD",
            "engine": "managed",
            "instruments": [{"asset_class": "equity", "symbol": "ACME", "tick_size": "0.01"}],
        },
    ],
    "endpoints": [
        {
            "name": "lines",
            "protocol": "line",
            "venue": "XSIM",
            "sessions": [
                {"id": "alice", "identity": {"username": "alice"}},
                {"id": "bob", "identity": {"username": "bob"}},
            ],
        },
        {
            "name": "managed-lines",
            "protocol": "line",
            "venue": "MGD",
            "sessions": [{"id": "carol", "identity": {"username": "carol"}}],
        },
    ],
}


@pytest.fixture(scope="session")
def exsim_config() -> dict[str, Any]:
    return BASE_CONFIG


@pytest.fixture(scope="session")
def fix_example_daemon() -> Iterator[DaemonProcess]:
    """``exsim serve --config examples/fix.toml`` (a subprocess), shared by the FIX
    end-to-end and interoperability tests; each of them resets it first."""
    with spawn(FIX_EXAMPLE) as daemon:
        yield daemon


@pytest.fixture
def fix_example(fix_example_daemon: DaemonProcess) -> DaemonProcess:
    """The example FIX daemon, reset to its configuration (FIX sessions start again at
    sequence number 1)."""
    with fix_example_daemon.client() as client:
        client.reset()
    return fix_example_daemon
