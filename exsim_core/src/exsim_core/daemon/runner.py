"""Serving a daemon: one anyio task group holding a listener task per endpoint, the
management API (Hypercorn on a pre-bound socket), the wall clock's timers, the journal's
group commit, the owner's lease and the signal handler.

Every part starts with ``TaskGroup.start()``, so by the time :func:`serve` reports
ready (and writes the ready file) every port is bound and known. SIGINT and SIGTERM stop
it cleanly: endpoints log their sessions out, the journal is committed.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import signal
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import anyio.abc

from exsim_core.errors import Conflict
from exsim_core.net import serve_endpoint
from exsim_core.ops import CreateEndpoint, DeleteEndpoint, OpBase

from .clocks import DaemonWallClock
from .endpoints import DaemonProtocolContext, flushing
from .logs import bind

if TYPE_CHECKING:
    from .state import Daemon

__all__ = ["Runtime", "ServeOptions", "serve", "write_ready_file"]

log = logging.getLogger("exsim.daemon")


@dataclass
class ServeOptions:
    """How :func:`serve` runs a daemon (see ``exsim serve --help``)."""

    host: str = "127.0.0.1"
    port: int = 0
    token: str | None = None
    ready_file: Path | None = None
    #: seconds without a lease renewal after which the daemon stops (None: never)
    owner_lease: float | None = None
    http: bool = True
    signals: bool = True


def write_ready_file(path: Path, info: dict[str, Any]) -> None:
    """Write ``info`` as JSON to ``path`` atomically (a reader sees all of it or none)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(info, indent=2))
    os.replace(tmp, path)


class Runtime:
    """The event-loop side of a served daemon."""

    def __init__(self, daemon: Daemon, tg: anyio.abc.TaskGroup, options: ServeOptions) -> None:
        self.daemon = daemon
        self.tg = tg
        self.options = options
        self.http_port = 0
        self.stopping = anyio.Event()
        self._scopes: dict[str, anyio.CancelScope] = {}
        self._done: dict[str, anyio.Event] = {}
        self._to_start: list[str] = []
        self._to_stop: list[str] = []
        self._http_stop = anyio.Event()
        self._http_done = anyio.Event()
        self._lease_ttl = options.owner_lease
        self._lease_until = time.monotonic() + (options.owner_lease or 0)

    # ------------------------------------------------------------------ operations
    async def execute(self, op: OpBase) -> dict[str, Any]:
        """Perform ``op``, then start and stop the listeners it asked for."""
        daemon = self.daemon
        try:
            if isinstance(op, CreateEndpoint):
                self.check_bind(op.host, op.port)
            result = daemon.execute(op)
        finally:
            await self.settle()
            daemon.flush()
        if isinstance(op, CreateEndpoint):
            result = daemon.simulator.endpoint(op.name).describe()
        return result

    def check_bind(self, host: str, port: int) -> None:
        """Fail now (409) when an endpoint could not listen on ``host:port``."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            with socket.socket(family, socket.SOCK_STREAM) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind((host, port))
        except OSError as exc:
            raise Conflict(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc

    def want_start(self, name: str) -> None:
        self._to_start.append(name)

    def want_stop(self, name: str) -> None:
        if name in self._to_start:
            self._to_start.remove(name)
        scope = self._scopes.pop(name, None)
        if scope is not None:
            scope.cancel()
            self._to_stop.append(name)

    async def settle(self) -> None:
        while self._to_stop:
            done = self._done.pop(self._to_stop.pop(0), None)
            if done is not None:
                with anyio.move_on_after(10):
                    await done.wait()
        while self._to_start:
            name = self._to_start.pop(0)
            if name in self.daemon.simulator.endpoints:
                try:
                    await self.start_endpoint(name)
                except Exception as exc:
                    # take the endpoint back (journaled too), so the state matches what
                    # the client is told: it does not exist
                    log.exception("endpoint %s could not start", name)
                    self.daemon.execute(DeleteEndpoint(name=name))
                    raise Conflict(
                        f"endpoint {name} could not start: {type(exc).__name__}: {exc}"
                    ) from exc

    # ------------------------------------------------------------------ endpoints
    async def start_endpoint(self, name: str) -> int:
        """Create the endpoint's protocol and serve it; returns the bound port."""
        daemon = self.daemon
        sim = daemon.simulator
        endpoint = sim.endpoint(name)
        cls = sim.protocol_class(endpoint.protocol)
        context = DaemonProtocolContext(
            sim,
            sim.venue(endpoint.venue),
            daemon.store,
            logging.getLogger(f"exsim.endpoint.{name}"),
            daemon.flush,
        )
        protocol = cls(endpoint, context)
        for session in endpoint.sessions.values():
            protocol.session_added(session)
        flushing(protocol, daemon.flush)
        daemon.protocols[name] = protocol
        done = self._done[name] = anyio.Event()
        scope = self._scopes[name] = anyio.CancelScope()

        async def run(task_status: anyio.abc.TaskStatus[int]) -> None:
            bind(endpoint=name, venue=endpoint.venue)
            try:
                with scope:
                    await serve_endpoint(protocol, task_status=task_status)
            except Exception as exc:
                # an endpoint's failure is that endpoint's alone: the daemon goes on
                log.exception("endpoint %s failed", name)
                daemon.record_error(f"endpoint {name}: {type(exc).__name__}: {exc}")
                if daemon.protocols.get(name) is protocol:
                    del daemon.protocols[name]
            finally:
                log.info("endpoint %s stopped", name)
                done.set()

        port: int = await self.tg.start(run)
        log.info(
            "endpoint %s (%s) listening on %s:%d", name, endpoint.protocol, endpoint.host, port
        )
        return port

    # ------------------------------------------------------------------ background
    async def run_clock(self, clock: DaemonWallClock) -> None:
        """Run the wall clock's timers; a failing timer is logged, the rest go on."""
        while True:
            try:
                await clock.run()
            except Exception as exc:
                log.exception("a timer failed")
                self.daemon.record_error(f"timer: {type(exc).__name__}: {exc}")

    async def group_commit(self, interval: float) -> None:
        while True:
            await anyio.sleep(interval)
            self.daemon.flush()

    async def serve_http(self, *, task_status: anyio.abc.TaskStatus[int]) -> None:
        from hypercorn.asyncio import serve as hypercorn_serve
        from hypercorn.config import Config

        from exsim_core.api import create_app

        host, port = self.options.host, self.options.port
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.create_server((host, port), family=family)
        self.http_port = int(sock.getsockname()[1])
        config = Config()
        config.bind = [f"fd://{sock.detach()}"]
        config.accesslog = None
        config.errorlog = logging.getLogger("exsim.http")
        config.graceful_timeout = 1.0
        app = create_app(self.daemon, self.options.token)
        task_status.started(self.http_port)
        try:
            await hypercorn_serve(app, config, shutdown_trigger=self._http_stop.wait)  # type: ignore[arg-type]
        finally:
            self._http_done.set()

    def renew_lease(self, ttl: float | None = None) -> float | None:
        """Push the owner's lease ``ttl`` (default: its length) seconds ahead."""
        if ttl is not None:
            self._lease_ttl = ttl
        if self._lease_ttl is None:
            return None
        self._lease_until = time.monotonic() + self._lease_ttl
        return self._lease_ttl

    async def watch_lease(self) -> None:
        while True:
            ttl = self._lease_ttl or 1.0
            await anyio.sleep(min(1.0, ttl / 4))
            if self._lease_ttl is not None and time.monotonic() > self._lease_until:
                log.warning("the owner's lease lapsed (%.1f s without renewal): stopping", ttl)
                self.stop()
                return

    async def watch_signals(self, *, task_status: anyio.abc.TaskStatus[None]) -> None:
        with anyio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
            task_status.started()
            async for signum in signals:
                log.info("received %s: stopping", signal.Signals(signum).name)
                self.stop()
                return

    def stop(self) -> None:
        self.stopping.set()

    # ------------------------------------------------------------------ report
    def ready_info(self) -> dict[str, Any]:
        options = self.options
        sim = self.daemon.simulator
        info: dict[str, Any] = {
            "pid": os.getpid(),
            "url": f"http://{_url_host(options.host)}:{self.http_port}" if options.http else None,
            "host": options.host,
            "port": self.http_port,
            "token": options.token,
            "endpoints": {
                n: {"protocol": e.protocol, "host": e.host, "port": e.port, "venue": e.venue}
                for n, e in sorted(sim.endpoints.items())
            },
        }
        return info

    async def shutdown_http(self) -> None:
        if not self.options.http:
            return
        self._http_stop.set()
        with anyio.move_on_after(3):
            await self._http_done.wait()


def _log_ready(sim: Any, info: dict[str, Any]) -> None:
    """Say where to connect: the management API (with its token: it is the user's own
    terminal, as with a notebook server) and every endpoint with its sessions."""
    if info["url"]:
        log.info(
            "ready: management API at %s (header 'Authorization: Bearer %s')",
            info["url"],
            info["token"],
        )
    for name, ep in info["endpoints"].items():
        sessions = sim.endpoints[name].sessions.values()
        who = ", ".join(
            "/".join(str(v) for v in s.identity.values())
            + (f" ({s.role})" if s.role != "order_entry" else "")
            for s in sessions
        )
        log.info(
            "ready: endpoint %s speaks %s on %s:%s for venue %s; sessions: %s",
            name,
            ep["protocol"],
            ep["host"],
            ep["port"],
            ep["venue"],
            who or "none",
        )


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


async def serve(
    daemon: Daemon,
    options: ServeOptions,
    *,
    task_status: anyio.abc.TaskStatus[dict[str, Any]] = anyio.TASK_STATUS_IGNORED,
) -> None:
    """Build the daemon's state, serve it until stopped, commit the journal. Reports the
    ready information (as written to the ready file) through ``task_status``."""
    if options.token is None and options.http:
        options.token = secrets.token_urlsafe(24)
    daemon.open()
    try:
        async with anyio.create_task_group() as tg:
            runtime = Runtime(daemon, tg, options)
            daemon.runtime = runtime
            try:
                for name in list(daemon.simulator.endpoints):
                    await runtime.start_endpoint(name)
                if isinstance(daemon.clock, DaemonWallClock):
                    tg.start_soon(runtime.run_clock, daemon.clock)
                from .journal import GROUP_INTERVAL

                tg.start_soon(runtime.group_commit, GROUP_INTERVAL)
                if options.http:
                    await tg.start(runtime.serve_http)
                if options.owner_lease:
                    # the owner learns of the daemon only now: its lease starts now
                    runtime.renew_lease()
                    tg.start_soon(runtime.watch_lease)
                if options.signals:
                    await tg.start(runtime.watch_signals)
                info = runtime.ready_info()
                if options.ready_file is not None:
                    write_ready_file(options.ready_file, info)
                _log_ready(runtime.daemon.simulator, info)
                task_status.started(info)
                await runtime.stopping.wait()
                await runtime.shutdown_http()
            finally:
                tg.cancel_scope.cancel()
    finally:
        daemon.runtime = None
        daemon.protocols.clear()
        daemon.flush()
        log.info("stopped")
