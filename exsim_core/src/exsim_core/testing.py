"""Helpers for testing exsim plugins and code that uses exsim.

* :func:`register_plugin` — add a plugin object to a simulator in-process;
* :func:`make_distribution` — write a throw-away installed distribution with entry
  points into a directory (put the directory on ``sys.path`` or ``PYTHONPATH``);
* :func:`running_endpoint` — serve one endpoint of a simulator on 127.0.0.1 inside a
  test's event loop, as the daemon does;
* :class:`Simulator` — a daemon for a :mod:`unittest` test case
  (``cls.exsim = cls.enterClassContext(Simulator(config))``).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import textwrap
from collections.abc import AsyncIterator, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any

import anyio

from .clock import WallClock
from .net import serve_endpoint
from .plugins import PluginInfo
from .protocol import ProtocolContext
from .sim import Simulator as _Simulator
from .store import MemoryStore, Store

__all__ = [
    "Simulator",
    "make_distribution",
    "on_sys_path",
    "register_plugin",
    "running_endpoint",
]


def register_plugin(sim: _Simulator, plugin: Any, name: str | None = None) -> PluginInfo:
    """Register ``plugin`` (a module or an object with ``@hookimpl`` functions) into
    ``sim``'s plugin host, running its factory hooks. Venues created afterwards see what
    it registered."""
    info = sim.host.register(plugin, name=name)
    sim.host.check()
    return info


def make_distribution(
    directory: Path,
    name: str,
    modules: Mapping[str, str],
    entry_points: Mapping[str, str] | None = None,
    version: str = "0.0.1",
) -> Path:
    """Write an installed distribution into ``directory`` (as pip would into
    site-packages): the ``modules`` (``{"pkg/mod.py": source}``), a ``.dist-info`` with
    ``METADATA``, ``RECORD`` and the ``exsim`` entry points (``{entry name:
    "module"}``). Returns ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    files = []
    for rel, source in modules.items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
        files.append(rel)
    normalized = name.replace("-", "_")
    info = directory / f"{normalized}-{version}.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    if entry_points:
        lines = ["[exsim]"] + [f"{k} = {v}" for k, v in entry_points.items()]
        (info / "entry_points.txt").write_text("\n".join(lines) + "\n")
    (info / "RECORD").write_text("".join(f"{f},,\n" for f in files))
    return directory


@contextlib.contextmanager
def on_sys_path(directory: Path) -> Iterator[None]:
    """Put ``directory`` first on ``sys.path`` for the duration (and forget the modules
    imported from it afterwards)."""
    before = set(sys.modules)
    sys.path.insert(0, str(directory))
    try:
        yield
    finally:
        sys.path.remove(str(directory))
        for mod in set(sys.modules) - before:
            file = getattr(sys.modules[mod], "__file__", None) or ""
            if file.startswith(str(directory)):
                del sys.modules[mod]


@contextlib.asynccontextmanager
async def running_endpoint(
    sim: _Simulator, endpoint: str, store: Store | None = None
) -> AsyncIterator[int]:
    """Serve ``endpoint`` of ``sim`` on its host (port 0: any free port) for the
    duration; yields the bound port. With a wall clock, its timers run too (a manual
    clock's timers run when the test advances it)."""
    ep = sim.endpoint(endpoint)
    cls = sim.protocol_class(ep.protocol)
    context = ProtocolContext(
        sim, sim.venue(ep.venue), store or MemoryStore(), logging.getLogger(f"exsim.{endpoint}")
    )
    protocol = cls(ep, context)
    for session in ep.sessions.values():
        protocol.session_added(session)
    stop = anyio.Event()
    async with anyio.create_task_group() as clock_tasks:
        if isinstance(sim.clock, WallClock):
            clock_tasks.start_soon(sim.clock.run)
        async with anyio.create_task_group() as tg:
            port: int = await tg.start(partial(serve_endpoint, protocol, stop=stop))
            try:
                yield port
            finally:
                # a graceful stop: the protocol logs its sessions out while they are
                # still connected; leaving this block waits for it
                stop.set()
        clock_tasks.cancel_scope.cancel()


class Simulator:
    """A daemon for unittest: ``cls.exsim = cls.enterClassContext(Simulator(config))``.

    :param config: a configuration file path, a mapping or a ``ConfigFile``.
    :param process: spawn an ``exsim serve`` subprocess instead of serving in-process.
    :param plugins: plugin modules to load.

    Inside the context, :attr:`client` is a :class:`~exsim_core.Client` of the daemon;
    :meth:`reset` returns it to its start configuration (call it in ``setUp``) and
    :meth:`assert_clean` fails on server-side errors and unused expectations (call it
    in ``tearDown``).
    """

    def __init__(
        self, config: Any = None, *, process: bool = False, plugins: tuple[str, ...] = ()
    ) -> None:
        self.config = config if config is not None else {"simulator": {"clock": "manual"}}
        self.process = process
        self.plugins = plugins
        self.server: Any = None
        self.client: Any = None

    def __enter__(self) -> Simulator:
        if self.process:
            from .client import spawn

            self.server = spawn(self.config, plugins=self.plugins)
        else:
            from .inprocess import InProcessServer

            self.server = InProcessServer(self.config, plugins=self.plugins).start()
        self.client = self.server.client()
        self.client.server = self.server
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.server is not None:
            self.server.stop()

    def port(self, endpoint: str) -> int:
        """The bound port of ``endpoint``."""
        return int(self.server.port(endpoint))

    def reset(self) -> None:
        """Back to the start configuration; :attr:`client` then sees only new events."""
        self.client.reset()
        self.client.cursor = self.client.status()["events"]

    def assert_clean(self) -> None:
        """Raise AssertionError on server-side errors, unused expectations or failed
        scripted steps since the last reset."""
        report = self.client.check()
        problems = report["errors"] + report["unused_expectations"] + report["problems"]
        if problems:
            raise AssertionError(f"exsim reported problems: {problems}")
