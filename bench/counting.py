"""What the instruction-counting benchmarks share (``fix_instructions.py``,
``ouch_instructions.py``): running a script under callgrind with counting switched on
only around the measured part, reading the count back, a cProfile of the same part,
and a watchdog for runs that callgrind slows about fifty times.

The script being counted calls :func:`measurer` once and wraps its measured run in the
coroutine it returns; :func:`count_instructions` runs the script (with the arguments
it is given) under callgrind and returns the instructions counted.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import ctypes
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

#: seconds without an answer before the run fails (callgrind slows everything ~50 times)
STALL_TIMEOUT = 120
#: where the counted script finds the helper library
HELPER_ENV = "EXSIM_CALLGRIND_HELPER"
#: the helper that switches callgrind's counting on and off (client requests)
CALLGRIND_HELPER = """
#include <valgrind/callgrind.h>
void count_start(void) { CALLGRIND_START_INSTRUMENTATION; CALLGRIND_ZERO_STATS; }
void count_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; }
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every counting benchmark takes."""
    parser.add_argument("--profile", type=int, default=0, help="print the top N of a cProfile")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key")
    parser.add_argument("--callgrind", action="store_true", help="count instructions per order")
    parser.add_argument("--keep", metavar="FILE", help="keep callgrind's output in FILE")


def measurer(args: argparse.Namespace) -> Callable[[Awaitable[None]], Awaitable[float]]:
    """A coroutine function that runs the measured part, counted (under callgrind) and
    profiled (with ``--profile``), and returns its wall time."""
    helper = os.environ.get(HELPER_ENV)
    counter = ctypes.CDLL(helper) if helper else None
    profile = cProfile.Profile() if args.profile else None

    async def measured(run: Awaitable[None]) -> float:
        start = time.perf_counter()
        if counter is not None:
            counter.count_start()
        if profile is not None:
            profile.enable()
        await run
        if profile is not None:
            profile.disable()
        if counter is not None:
            counter.count_stop()
        elapsed = time.perf_counter() - start
        if profile is not None:
            pstats.Stats(profile).sort_stats(args.sort).print_stats(args.profile)
        return elapsed

    return measured


async def watchdog(progress: Callable[[], int]) -> None:
    """Fail the run when ``progress()`` stands still for STALL_TIMEOUT seconds."""
    last = -1
    while True:
        await asyncio.sleep(STALL_TIMEOUT)
        now = progress()
        if now == last:
            raise TimeoutError(f"no answer from the venue for {STALL_TIMEOUT} s")
        last = now


def total_instructions(path: str) -> int:
    """The instructions counted in a callgrind output file (its ``totals:`` line; the
    ``summary:`` line stays 0 when counting was started by a client request)."""
    text = Path(path).read_text()
    counts = [int(n) for n in re.findall(r"^(?:summary|totals): (\d+)", text, re.M)]
    if not counts:
        raise SystemExit(f"{path} is not a callgrind output file")
    return max(counts)


def count_instructions(script: str, argv: list[str], keep: str | None = None) -> int:
    """Run ``script argv...`` under callgrind, counting only what it measures; return
    the instructions counted."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "count.c"
        source.write_text(CALLGRIND_HELPER)
        helper = Path(tmp) / "count.so"
        subprocess.run(["cc", "-shared", "-fPIC", "-O1", "-o", helper, source], check=True)
        out = Path(keep) if keep else Path(tmp) / "callgrind.out"
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}",
            sys.executable,
            script,
            *argv,
        ]
        env = os.environ | {
            "PYTHONHASHSEED": "0",
            "EXSIM_DISABLE_PLUGIN_AUTOLOAD": "",
            HELPER_ENV: str(helper),
        }
        subprocess.run(command, env=env, check=True, capture_output=True)
        return total_instructions(str(out))
