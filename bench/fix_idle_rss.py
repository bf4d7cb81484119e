"""Resident memory of a FIX venue holding many idle logged-on sessions.

Starts the venue of ``fix_bench.py`` in its own process with N sessions, logs all of
them on from here, and reports the venue process's RSS before and after (Linux
``/proc``). Usage: ``python bench/fix_idle_rss.py --sessions 1000``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from fix_bench import Client


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def log_on(port: int, sessions: int) -> list[Client]:
    clients = []
    for i in range(sessions):
        clients.append(await Client.connect(port, f"B{i}", seed=i))
    return clients


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=1000)
    args = parser.parse_args()
    bench = Path(__file__).with_name("fix_bench.py")
    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "ports.json"
        server = subprocess.Popen(
            [
                sys.executable,
                str(bench),
                "--serve",
                str(port_file),
                "--sessions",
                str(args.sessions),
            ],
            env=os.environ | {"EXSIM_DISABLE_PLUGIN_AUTOLOAD": ""},
        )
        try:
            deadline = time.time() + 60
            while not port_file.exists() or not port_file.read_text():
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit("the venue did not start")
                time.sleep(0.05)
            before = rss_kib(server.pid)
            port = json.loads(port_file.read_text())["fix"]

            async def run() -> int:
                clients = await log_on(port, args.sessions)
                await asyncio.sleep(1)
                after = rss_kib(server.pid)
                for c in clients:
                    c.writer.close()
                return after

            after = asyncio.run(run())
        finally:
            server.terminate()
            server.wait(10)
    print(
        json.dumps(
            {
                "sessions": args.sessions,
                "rss_before_mib": round(before / 1024, 1),
                "rss_logged_on_mib": round(after / 1024, 1),
                "per_session_kib": round((after - before) / args.sessions, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
