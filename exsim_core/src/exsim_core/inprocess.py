"""A daemon served in this process, in a background thread: no subprocess, no HTTP
socket (clients reach the app through the thread's event loop), but real endpoints on
127.0.0.1. What the ``exsim_server`` fixture and :class:`exsim_core.testing.Simulator`
run by default.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from pathlib import Path
from types import TracebackType
from typing import Any

from anyio.from_thread import BlockingPortal, start_blocking_portal

from .client import Client, PortalTransport

__all__ = ["InProcessServer", "as_config"]


def as_config(config: Any) -> Any:
    """A :class:`~exsim_core.config.ConfigFile` from a path, a mapping, or one already."""
    from .config import ConfigFile, load_config, parse_config

    if config is None:
        return ConfigFile()
    if isinstance(config, ConfigFile):
        return config
    if isinstance(config, str | Path):
        return load_config(config)
    return parse_config(config)


class InProcessServer:
    """Serve a configuration in a background event loop (see the module notes).

    :param config: a configuration file path, a mapping or a ``ConfigFile``.
    :param plugins: plugin modules to load besides the configuration's.
    :param token: the management token (clients made by :meth:`client` carry it).
    """

    url = "http://exsim.in-process"

    def __init__(
        self, config: Any = None, *, plugins: tuple[str, ...] = (), token: str | None = None
    ) -> None:
        self.config = as_config(config)
        self.plugins = plugins
        self.token = token
        self.info: dict[str, Any] = {}
        self.endpoints: dict[str, dict[str, Any]] = {}
        self._portal_cm: Any = None
        self._portal: BlockingPortal | None = None
        self._future: Future[Any] | None = None
        self._collector: logging.Handler | None = None
        self.daemon: Any = None
        self.app: Any = None

    def start(self) -> InProcessServer:
        from .api import create_app
        from .config import build_daemon
        from .daemon import ServeOptions, serve
        from .daemon.logs import ErrorCollector

        self._portal_cm = start_blocking_portal()
        portal = self._portal = self._portal_cm.__enter__()
        try:
            self.daemon = build_daemon(self.config, plugins=self.plugins)
            thread = portal.call(_thread_id)
            self._collector = ErrorCollector(self.daemon.record_error, thread)
            logging.getLogger().addHandler(self._collector)
            options = ServeOptions(http=False, signals=False, token=self.token)
            self._future, self.info = portal.start_task(serve, self.daemon, options)
            self.endpoints = self.info["endpoints"]
            self.app = create_app(self.daemon, self.token)
        except BaseException:
            self._close_portal()
            raise
        return self

    def client(self, **kwargs: Any) -> Client:
        """A client of this daemon (no socket: requests run in its event loop)."""
        assert self._portal is not None, "start() the server first"
        kwargs.setdefault("token", self.token)
        return Client(self.url, transport=PortalTransport(self.app, self._portal), **kwargs)

    def port(self, endpoint: str) -> int:
        """The bound port of ``endpoint`` (it may change when an endpoint is recreated)."""
        return int(self.daemon.simulator.endpoint(endpoint).port)

    def stop(self) -> None:
        portal, future = self._portal, self._future
        if portal is not None and future is not None and not future.done():
            portal.call(self._request_stop)
            future.result(timeout=15)
        self._close_portal()

    def _request_stop(self) -> None:
        runtime = self.daemon.runtime
        if runtime is not None:
            runtime.stop()

    def _close_portal(self) -> None:
        if self._collector is not None:
            logging.getLogger().removeHandler(self._collector)
            self._collector = None
        if self._portal_cm is not None:
            cm, self._portal_cm, self._portal = self._portal_cm, None, None
            cm.__exit__(None, None, None)

    def __enter__(self) -> InProcessServer:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()


def _thread_id() -> int:
    return threading.get_ident()
