"""Fixtures for exsim's FIX interoperability tests against QuickFIX.

QuickFIX is a test requirement, not an optional extra: CI installs it with
``tests/interop/quickfix/install.sh``, so when it is missing these fixtures fail (with that
instruction) rather than skip.
"""

from __future__ import annotations

import concurrent.futures
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "quickfix"))

import harness  # found through the path entry above


@pytest.fixture(scope="session")
def quickfix() -> harness.QuickFix:
    """The QuickFIX toolkit, with every program and ordermatch built (cached across runs)."""
    try:
        kit = harness.QuickFix.locate()
    except harness.QuickFixMissing as error:
        missing = str(error)
    else:
        missing = ""
    if missing:
        pytest.fail(missing, pytrace=False)
    # Two compilers at once: a fresh checkout spends most of its first run here.
    builds: list[Callable[[], Path]] = [
        lambda: kit.program("qf_client"),
        lambda: kit.ordermatch_binary("file"),
        lambda: kit.program("qf_load"),
        lambda: kit.program("ack_acceptor"),
    ]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(build) for build in builds]:
            future.result()
    return kit


@pytest.fixture
def make_ordermatch(
    quickfix: harness.QuickFix, tmp_path: Path
) -> Iterator[Callable[..., harness.Ordermatch]]:
    """Factory: start a fresh ordermatch (options as ``QuickFix.ordermatch``); all are
    stopped after the test."""
    started: list[harness.Ordermatch] = []

    def start(**options: Any) -> harness.Ordermatch:
        process = quickfix.ordermatch(tmp_path / f"ordermatch{len(started)}", **options)
        started.append(process)
        return process

    yield start
    for process in started:
        process.close()


@pytest.fixture
def ordermatch(make_ordermatch: Callable[..., harness.Ordermatch]) -> harness.Ordermatch:
    """ordermatch with a FileStore, accepting CLIENT1 and CLIENT2 (ResetOnLogon=Y)."""
    return make_ordermatch()


@pytest.fixture
def make_client(
    quickfix: harness.QuickFix, tmp_path: Path
) -> Iterator[Callable[[], harness.QfClient]]:
    """Factory: start a qf_client (its output is also logged under tmp_path); all are
    closed after the test."""
    started: list[harness.QfClient] = []

    def start() -> harness.QfClient:
        client = quickfix.client(log=tmp_path / f"qf_client{len(started)}.jsonl")
        started.append(client)
        return client

    yield start
    for client in started:
        client.close()
