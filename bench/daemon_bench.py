"""Daemon benchmarks: start-up to ready file, management round trip, journal cost.

    ./uvw run python bench/daemon_bench.py [--starts 5] [--round-trips 300] [--orders 20000]
        [--only start|round_trip|journal]

1. **start-up**: ``exsim serve --config examples/demo.toml`` from process start to the
   ready file (wall time, median and max of ``--starts`` runs; and the CPU time the
   daemon used), in three bytecode states:

   * ``no_bytecode``: ``PYTHONDONTWRITEBYTECODE=1`` and an empty
     ``PYTHONPYCACHEPREFIX``: every module is compiled from source at every start
     (a fresh clone whose installer compiled nothing);
   * ``as_installed``: ``PYTHONDONTWRITEBYTECODE=1``, with whatever bytecode is
     cached when the benchmark starts (``./uvw sync`` compiles the installed packages
     and the workspace's sources; an installation that compiled nothing compiles the
     workspace's sources at every start);
   * ``cached``: every module's bytecode is cached in ``__pycache__`` (one start
     without ``PYTHONDONTWRITEBYTECODE`` writes what is missing first).
2. **round trip**: create an order through the management API, then poll events until
   its ``accepted`` event arrives (p50/p99), over HTTP to a spawned daemon and
   in-process;
3. **journal**: orders per second through a venue (a seeded mix that rests and trades),
   without a journal, with the journal in memory, and on SQLite with group and sync
   durability (flushing after every order, as the daemon does before each reply).

Results are printed and written to ``bench/results/daemon.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.toml"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


#: environment of each bytecode state (see the module docstring); None: unset
#: (in this order: ``as_installed`` comes before ``cached`` writes what is missing)
BYTECODE_STATES: dict[str, dict[str, str | None]] = {
    "no_bytecode": {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": ""},
    "as_installed": {"PYTHONDONTWRITEBYTECODE": "1"},
    "cached": {"PYTHONDONTWRITEBYTECODE": None},
}


def start_once(env: dict[str, str]) -> tuple[float, float]:
    """One start to the ready file: (wall seconds, CPU seconds of the daemon)."""
    with tempfile.TemporaryDirectory() as tmp:
        ready = Path(tmp) / "ready.json"
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "exsim_core",
                "serve",
                "--config",
                str(DEMO),
                "--ready-file",
                str(ready),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        try:
            deadline = t0 + 60
            while not ready.exists() and time.perf_counter() < deadline:
                if proc.poll() is not None:
                    raise RuntimeError(f"exsim serve exited with {proc.returncode}")
                time.sleep(0.002)
            wall = time.perf_counter() - t0
            with open(f"/proc/{proc.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        finally:
            proc.terminate()
            proc.wait(20)
    return wall, cpu


def bench_start(runs: int) -> dict[str, dict[str, float]]:
    """Wall time to the ready file, and the CPU time the daemon spent getting there,
    in each bytecode state."""
    out = {}
    for state, overrides in BYTECODE_STATES.items():
        with tempfile.TemporaryDirectory() as prefix:
            env = dict(os.environ)
            for name, value in overrides.items():
                if value is None:
                    env.pop(name, None)
                else:
                    # an empty PYTHONPYCACHEPREFIX: a directory that holds no bytecode
                    env[name] = value or prefix
            if state == "cached":
                start_once(env)  # writes the bytecode that is missing
            times, cpu = zip(*(start_once(env) for _ in range(runs)), strict=True)
        out[state] = {
            "median_s": statistics.median(times),
            "max_s": max(times),
            "median_cpu_s": statistics.median(cpu),
            "min_cpu_s": min(cpu),
            "runs": runs,
        }
    return out


def round_trips(client: Any, n: int) -> dict[str, float]:
    client.create_venue("BENCH")
    client.create_instrument("BENCH", "ACME")
    client.cursor = client.poll(0)["last"]
    rng = random.Random(1)
    lat = []
    for _ in range(n):
        t0 = time.perf_counter()
        oid = client.submit("BENCH", "ACME", "buy", 1, f"{rng.randint(900, 999) / 100:.2f}")[
            "order"
        ]["order_id"]
        client.wait_for(
            lambda e, oid=oid: e["kind"] == "accepted" and e["order"]["order_id"] == oid, 10
        )
        lat.append((time.perf_counter() - t0) * 1e3)
    return {"p50_ms": pct(lat, 50), "p99_ms": pct(lat, 99), "n": n}


def bench_round_trip(n: int) -> dict[str, Any]:
    from exsim_core import spawn
    from exsim_core.inprocess import InProcessServer

    out: dict[str, Any] = {}
    with spawn({"simulator": {"clock": "wall"}}) as daemon, daemon.client() as client:
        out["http"] = round_trips(client, n)
    with InProcessServer({"simulator": {"clock": "wall"}}) as server, server.client() as client:
        out["in_process"] = round_trips(client, n)
    return out


def bench_journal(orders: int) -> dict[str, float]:
    """Orders per second through one venue with a seeded mix that rests and trades:
    without a journal, and journaled with a flush after every order (each order
    answered at once: the worst case) or after every 100 (a burst read at once)."""
    from exsim_core.daemon import Daemon
    from exsim_core.ops import CreateInstrument, CreateVenue
    from exsim_core.order import Order
    from exsim_core.store import MemoryStore, SqliteStore

    rng = random.Random(7)
    flow = [
        (rng.choice((1, 2)), rng.randint(1, 10) * 10, rng.randint(990, 1010)) for _ in range(orders)
    ]

    def run(store: Any, durability: str, journaled: bool, flush_every: int) -> float:
        d = Daemon(clock="manual", autoload=False, store=store, durability=durability, journal=True)
        d.execute(CreateVenue(name="X"))
        d.execute(
            CreateInstrument.model_validate(
                {"venue": "X", "instrument": {"asset_class": "equity", "symbol": "A"}}
            )
        )
        venue = d.simulator.venue("X")
        if not journaled:
            venue.recorder = None
        t0 = time.perf_counter()
        for i, (side, qty, price) in enumerate(flow):
            venue.submit(Order("A", side, qty, price, tif=1))
            if i % flush_every == 0:
                d.flush()
        d.flush()
        return orders / (time.perf_counter() - t0)

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp)
        return {
            "no_journal": run(MemoryStore(), "group", False, 1),
            "memory_flush_each": run(MemoryStore(), "group", True, 1),
            "sqlite_group_flush_each": run(SqliteStore(db / "a.db", "group"), "group", True, 1),
            "sqlite_group_flush_100": run(SqliteStore(db / "b.db", "group"), "group", True, 100),
            "sqlite_sync": run(SqliteStore(db / "c.db", "sync"), "sync", True, 1),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--round-trips", type=int, default=300)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument(
        "--only", choices=["start", "round_trip", "journal"], help="Run one benchmark."
    )
    args = parser.parse_args()
    benchmarks = {
        "start_to_ready": lambda: bench_start(args.starts),
        "round_trip": lambda: bench_round_trip(args.round_trips),
        "journal": lambda: bench_journal(args.orders),
    }
    results = {
        name: run()
        for name, run in benchmarks.items()
        if args.only is None or name.startswith(args.only)
    }
    results["load_average"] = os.getloadavg()[0]
    text = json.dumps(results, indent=2)
    print(text)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "daemon.json").write_text(text)


if __name__ == "__main__":
    main()
