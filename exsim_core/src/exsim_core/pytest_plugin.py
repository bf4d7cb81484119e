"""The exsim pytest plugin (entry point ``pytest11``): fixtures to test against a venue.

Import-light (exsim loads when a fixture is first used) and without autouse fixtures.

=================  ========  =========================================================
fixture            scope     what it gives
=================  ========  =========================================================
``exsim_config``   session   the configuration served (override it in a conftest.py:
                             a mapping, a ``ConfigFile`` or a TOML path); default
                             empty, manual clock
``exsim_server``   session   the daemon serving ``exsim_config``: in-process by
                             default; ``--exsim-proc`` spawns a subprocess,
                             ``--exsim-url`` uses a running daemon
``exsim_proc``     session   a spawned ``exsim serve`` subprocess
``exsim_noproc``   session   a running daemon at ``--exsim-url`` (``--exsim-token``)
``exsim``          function  a client on a freshly reset daemon; at teardown the test
                             fails on server-side errors and unused expectations
``make_exsim``     function  a factory of extra daemons (``make_exsim(config,
                             process=False)``), stopped after the test
=================  ========  =========================================================

Every server handle has ``client()``, ``port(endpoint)`` and ``stop()``. Each distinct
configuration gets its own daemon for the session, so directories whose conftest.py
override ``exsim_config`` differently never share one. Under pytest-xdist each worker
runs its own daemons, on ports of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

__all__ = [
    "exsim",
    "exsim_config",
    "exsim_noproc",
    "exsim_proc",
    "exsim_server",
    "make_exsim",
    "pytest_addoption",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("exsim", "exsim exchange simulator")
    group.addoption(
        "--exsim-proc", action="store_true", help="exsim_server spawns an exsim serve subprocess."
    )
    group.addoption(
        "--exsim-url", metavar="URL", help="exsim_server uses the daemon running at URL."
    )
    group.addoption("--exsim-token", metavar="TOKEN", help="Token of the daemon at --exsim-url.")


class RemoteServer:
    """A daemon this test run did not start (``--exsim-url``)."""

    def __init__(self, url: str, token: str | None) -> None:
        self.url = url
        self.token = token

    def client(self, **kwargs: Any) -> Any:
        from .client import Client

        return Client(self.url, token=self.token, **kwargs)

    def port(self, endpoint: str) -> int:
        with self.client() as client:
            for ep in client.endpoints():
                if ep["name"] == endpoint:
                    return int(ep["port"])
        raise KeyError(endpoint)

    def stop(self) -> None:
        """Not ours to stop."""


def _start(config: Any, process: bool) -> Any:
    if process:
        from .client import spawn

        return spawn(config)
    from .inprocess import InProcessServer

    return InProcessServer(config).start()


@pytest.fixture(scope="session")
def exsim_config() -> Any:
    """The configuration the session's daemon serves (override in conftest.py)."""
    return {"simulator": {"clock": "manual"}}


@pytest.fixture(scope="session")
def exsim_proc(exsim_config: Any) -> Iterator[Any]:
    """A spawned ``exsim serve`` subprocess serving ``exsim_config``."""
    server = _start(exsim_config, process=True)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def exsim_noproc(request: pytest.FixtureRequest) -> RemoteServer:
    """The daemon running at ``--exsim-url`` (skips when none is given)."""
    url = request.config.getoption("--exsim-url")
    if not url:
        pytest.skip("no running daemon given (--exsim-url)")
    return RemoteServer(url, request.config.getoption("--exsim-token"))


class _Pool:
    """The session's daemons, one per distinct configuration (a conftest.py may override
    ``exsim_config`` for its directory: each override gets its own daemon)."""

    def __init__(self, config: pytest.Config) -> None:
        self.url = config.getoption("--exsim-url")
        self.token = config.getoption("--exsim-token")
        self.process = bool(config.getoption("--exsim-proc"))
        self.servers: dict[str, Any] = {}

    def get(self, exsim_config: Any) -> Any:
        if self.url:
            return RemoteServer(self.url, self.token)
        key = _config_key(exsim_config)
        server = self.servers.get(key)
        if server is None:
            server = self.servers[key] = _start(exsim_config, self.process)
        return server

    def close(self) -> None:
        for server in reversed(list(self.servers.values())):
            server.stop()


def _config_key(config: Any) -> str:
    import json

    if hasattr(config, "model_dump_json"):
        return str(config.model_dump_json())
    if isinstance(config, dict):
        return json.dumps(config, sort_keys=True, default=str)
    return repr(config)


@pytest.fixture(scope="session")
def _exsim_pool(request: pytest.FixtureRequest) -> Iterator[_Pool]:
    pool = _Pool(request.config)
    yield pool
    pool.close()


@pytest.fixture(scope="session")
def exsim_server(_exsim_pool: _Pool, exsim_config: Any) -> Any:
    """The daemon serving ``exsim_config`` (in-process unless told otherwise)."""
    return _exsim_pool.get(exsim_config)


def _fail_on_problems(client: Any) -> None:
    report = client.check()
    lines = [f"server error: {e}" for e in report["errors"]]
    lines += [f"unused expectation: {e}" for e in report["unused_expectations"]]
    lines += [f"scripted step failed: {p}" for p in report["problems"]]
    if lines:
        pytest.fail("exsim reported problems:\n" + "\n".join(lines), pytrace=False)


@pytest.fixture
def exsim(_exsim_pool: _Pool, exsim_config: Any) -> Iterator[Any]:
    """A client on the freshly reset daemon serving the ``exsim_config`` this test
    sees; the test fails at teardown if the daemon saw server-side errors or
    expectations were left unused."""
    exsim_server = _exsim_pool.get(exsim_config)
    client = exsim_server.client()
    client.reset()
    client.cursor = client.status()["events"]
    client.server = exsim_server
    yield client
    try:
        _fail_on_problems(client)
    finally:
        client.close()


@pytest.fixture
def make_exsim() -> Iterator[Callable[..., Any]]:
    """``make_exsim(config=None, process=False)`` starts another daemon (stopped after
    the test) and returns its handle."""
    servers: list[Any] = []

    def make(config: Any = None, process: bool = False) -> Any:
        server = _start(
            config if config is not None else {"simulator": {"clock": "manual"}}, process
        )
        servers.append(server)
        return server

    yield make
    for server in reversed(servers):
        server.stop()
