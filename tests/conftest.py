"""End-to-end tests: real daemons (in-process and subprocess), real sockets.

The ``line`` protocol plugin (tests/support/exsim_lineproto) is importable here and in
every daemon these tests spawn (PYTHONPATH).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

SUPPORT = Path(__file__).parent / "support"
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
