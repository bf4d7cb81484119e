"""``spawn()``: run ``exsim serve`` as a subprocess owned by this process.

The daemon gets its own process group, port 0 and a ready file; :func:`spawn` waits for
the ready file (failing fast, with the daemon's log, if the process exits first) and
returns a :class:`DaemonProcess` that holds the daemon's lease from a background thread.
If this process dies, the lease lapses and the daemon stops by itself; stopping the
handle (or leaving its ``with`` block) stops the whole process group.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import tomli_w

from .errors import SpawnError
from .sync import Client

__all__ = ["DaemonProcess", "config_text", "spawn"]

LOG_TAIL = 8000


def config_text(config: Any) -> str:
    """A configuration (a mapping, a :class:`~exsim_core.config.ConfigFile`) as TOML."""
    from pydantic import BaseModel

    if isinstance(config, BaseModel):
        config = config.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    return tomli_w.dumps(dict(config))


class DaemonProcess:
    """A spawned daemon: its URL, token, ports and process (see :func:`spawn`)."""

    def __init__(
        self,
        *,
        proc: subprocess.Popen[bytes],
        info: dict[str, Any],
        log_path: Path,
        workdir: Path,
        lease: float | None,
        own_workdir: bool,
    ) -> None:
        self.proc = proc
        self.info = info
        self.url: str = info["url"]
        self.token: str | None = info.get("token")
        self.pid = proc.pid
        self.endpoints: dict[str, dict[str, Any]] = info.get("endpoints", {})
        self.log_path = log_path
        self.workdir = workdir
        self._own_workdir = own_workdir
        self._stop = threading.Event()
        self._lease_thread: threading.Thread | None = None
        if lease:
            self._lease_thread = threading.Thread(
                target=self._hold_lease, args=(lease,), daemon=True, name=f"exsim-lease-{proc.pid}"
            )
            self._lease_thread.start()

    def _hold_lease(self, lease: float) -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        with httpx.Client(base_url=self.url, headers=headers, timeout=max(1.0, lease / 3)) as http:
            while True:
                try:
                    http.post("/v1/lease")
                except httpx.HTTPError:
                    if self.proc.poll() is not None:
                        return
                if self._stop.wait(lease / 3):
                    return

    def client(self, **kwargs: Any) -> Client:
        """A new client of this daemon."""
        return Client(self.url, token=self.token, **kwargs)

    def port(self, endpoint: str) -> int:
        """The bound port of ``endpoint``."""
        return int(self.endpoints[endpoint]["port"])

    def log(self) -> str:
        """The end of the daemon's log."""
        try:
            return self.log_path.read_text(errors="replace")[-LOG_TAIL:]
        except OSError:
            return ""

    def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM the daemon's process group, wait, SIGKILL if it lingers; returns the
        daemon's exit code."""
        self._stop.set()
        if self.proc.poll() is None:
            _signal_group(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout)
        _signal_group(self.proc.pid, signal.SIGKILL)  # anything the daemon left behind
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
        return int(self.proc.returncode)

    def kill(self) -> None:
        """SIGKILL the daemon at once (a crash, for recovery tests)."""
        self._stop.set()
        _signal_group(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def __enter__(self) -> DaemonProcess:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def spawn(
    config: Any = None,
    *,
    plugins: Iterable[str] = (),
    db: str | Path | None = None,
    token: str | None = None,
    lease: float | None = 10.0,
    env: Mapping[str, str] | None = None,
    args: Iterable[str] = (),
    workdir: str | Path | None = None,
    ready_timeout: float = 30.0,
    log_format: str = "json",
) -> DaemonProcess:
    """Start ``exsim serve`` in the background and wait until it is ready.

    :param config: a configuration file path, a mapping or a ``ConfigFile``.
    :param plugins: plugin modules to load (``-p``).
    :param db: SQLite file (journal and protocol state); default: in memory.
    :param token: the management token (default: generated by the daemon).
    :param lease: seconds after which the daemon stops unless this process renews its
        lease (a background thread does); None: the daemon outlives this process.
    :param env: extra environment variables.
    :param args: extra ``exsim serve`` arguments.
    :param workdir: where the ready file, log and written configuration go (default: a
        temporary directory, removed at stop).
    :raises SpawnError: the daemon exited or was not ready within ``ready_timeout``.
    """
    own = workdir is None
    work = Path(tempfile.mkdtemp(prefix="exsim-")) if workdir is None else Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    ready = work / f"ready-{os.getpid()}-{time.monotonic_ns()}.json"
    log_path = work / f"{ready.stem}.log"
    cmd = [
        sys.executable,
        "-m",
        "exsim_core",
        "serve",
        "--port",
        "0",
        "--ready-file",
        str(ready),
        "--log-format",
        log_format,
    ]
    if config is not None:
        if isinstance(config, str | Path):
            path = Path(config)
        else:
            path = work / f"{ready.stem}.toml"
            path.write_text(config_text(config))
        cmd += ["--config", str(path)]
    for module in plugins:
        cmd += ["-p", module]
    if db is not None:
        cmd += ["--db", str(db)]
    if token is not None:
        cmd += ["--token", token]
    if lease:
        cmd += ["--owner-lease", str(lease)]
    cmd += list(args)
    environ = dict(os.environ) | dict(env or {})
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=environ,
            start_new_session=True,
        )
    deadline = time.monotonic() + ready_timeout
    while True:
        code = proc.poll()
        if code is not None:
            text = log_path.read_text(errors="replace")[-LOG_TAIL:]
            raise SpawnError(f"exsim serve exited with code {code} during start-up", text)
        if ready.exists():
            info = json.loads(ready.read_text())
            return DaemonProcess(
                proc=proc, info=info, log_path=log_path, workdir=work, lease=lease, own_workdir=own
            )
        if time.monotonic() > deadline:
            _signal_group(proc.pid, signal.SIGKILL)
            proc.wait(10)
            text = log_path.read_text(errors="replace")[-LOG_TAIL:]
            raise SpawnError(f"exsim serve was not ready within {ready_timeout} s", text)
        # the ready file is the handshake; its directory has no portable change event
        time.sleep(0.01)
