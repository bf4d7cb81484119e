"""exsim-ouch through a real ``exsim serve`` daemon: OUCH and ITCH clients over real
sockets, the management API over HTTP.

The wire clients are those of exsim-ouch's own tests, written from the specifications
alone (``soupwire``, ``ouchwire``, ``ouch50wire``, ``itchbook`` in exsim_ouch/tests),
so nothing here decodes with exsim-ouch's code.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "exsim_ouch" / "tests"))
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
