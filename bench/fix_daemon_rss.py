"""Resident memory of an ``exsim serve`` daemon holding many idle logged-on FIX sessions.

Spawns ``exsim serve`` (``exsim_core.spawn``) with one FIX 4.4 endpoint of N sessions
(SenderCompIDs ``B0``..``B<N-1>``, TargetCompID ``EXSIM``) on a venue trading ACME,
logs every session on from here, waits until the daemon reports them all connected,
and reads the daemon process's RSS (Linux ``/proc``) before and after.

Usage: ``python bench/fix_daemon_rss.py --sessions 1000 [--db]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from fix_bench import Client

from exsim_core import spawn


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def config(sessions: int) -> dict[str, Any]:
    return {
        "venues": [
            {
                "name": "EXSIM",
                "instruments": [{"asset_class": "equity", "symbol": "ACME", "tick_size": "0.01"}],
            }
        ],
        "endpoints": [
            {
                "name": "fix",
                "protocol": "fix",
                "venue": "EXSIM",
                "sessions": [
                    {
                        "id": f"b{i}",
                        "identity": {"sender_comp_id": f"B{i}", "target_comp_id": "EXSIM"},
                    }
                    for i in range(sessions)
                ],
            }
        ],
    }


async def log_on(port: int, sessions: int) -> list[Client]:
    return [await Client.connect(port, f"B{i}", seed=i) for i in range(sessions)]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--db", action="store_true", help="serve with --db (a SQLite store)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "exsim.db" if args.db else None
        with spawn(config(args.sessions), db=db, ready_timeout=120) as daemon:
            time.sleep(1)
            before = rss_kib(daemon.pid)

            async def run() -> int:
                clients = await log_on(daemon.port("fix"), args.sessions)
                with daemon.client() as api:
                    deadline = time.monotonic() + 60
                    while sum(s["connected"] for s in api.sessions()) < args.sessions:
                        if time.monotonic() > deadline:
                            raise SystemExit("not every session logged on within 60 s")
                        await asyncio.sleep(0.2)
                await asyncio.sleep(1)
                after = rss_kib(daemon.pid)
                for client in clients:
                    client.writer.close()
                return after

            after = asyncio.run(run())
    print(
        json.dumps(
            {
                "sessions": args.sessions,
                "store": "sqlite" if args.db else "memory",
                "rss_configured_mib": round(before / 1024, 1),
                "rss_logged_on_mib": round(after / 1024, 1),
                "per_session_kib": round((after - before) / args.sessions, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
