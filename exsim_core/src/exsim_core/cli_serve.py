"""``exsim serve``: run venues with their endpoints and the management API.

Every option also reads an ``EXSIM_*`` environment variable; precedence is command line,
then environment, then the configuration file's ``[server]`` section, then defaults.
"""

from __future__ import annotations

import gc
import logging
import threading
from functools import partial
from pathlib import Path
from typing import Any

import click

__all__ = ["serve_command"]


@click.command("serve")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="EXSIM_CONFIG",
    help="TOML configuration file.",
)
@click.option("--host", envvar="EXSIM_HOST", help="Address of the management API [127.0.0.1].")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    envvar="EXSIM_PORT",
    help="Port of the management API; 0: any free port [0].",
)
@click.option(
    "--ready-file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="EXSIM_READY_FILE",
    help="Write the bound ports, pid and token here (JSON) once everything listens.",
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="EXSIM_DB",
    help="SQLite file of the journal and protocol state (default: in memory).",
)
@click.option(
    "--durability",
    type=click.Choice(["sync", "group"]),
    envvar="EXSIM_DURABILITY",
    help="Commit every command (sync) or in groups [group].",
)
@click.option(
    "--log-format",
    type=click.Choice(["console", "json"]),
    envvar="EXSIM_LOG_FORMAT",
    help="Log lines for people or machines [console].",
)
@click.option(
    "--token",
    envvar="EXSIM_TOKEN",
    help="Token of the management API (default: generated, see the ready file).",
)
@click.option(
    "-p", "plugins", multiple=True, metavar="MODULE", help="Also load this plugin module."
)
@click.option(
    "--owner-lease",
    type=click.FloatRange(min=0.1),
    envvar="EXSIM_OWNER_LEASE",
    help="Stop when no lease renewal came for this many seconds.",
)
def serve_command(
    *,
    config_path: Path | None,
    host: str | None,
    port: int | None,
    ready_file: Path | None,
    db: Path | None,
    durability: str | None,
    log_format: str | None,
    token: str | None,
    plugins: tuple[str, ...],
    owner_lease: float | None,
) -> None:
    """Run the venues of a configuration file, their endpoints and the management API."""
    # Start-up creates objects that live as long as the daemon (modules, classes,
    # schemas): the cyclic collector would traverse them again and again for nothing.
    # It runs again once the daemon is ready (see _collect_when_ready), or before a
    # journal is replayed (below).
    gc.disable()
    import anyio

    from .config import ConfigFile, build_daemon, load_config
    from .daemon import ServeOptions, serve
    from .daemon.logs import ErrorCollector, configure
    from .store import open_store

    config = load_config(config_path) if config_path is not None else ConfigFile()
    server = config.server
    durability = durability or server.durability
    configure(log_format or server.log_format)
    log = logging.getLogger("exsim.serve")
    store = open_store(db or server.db, "sync" if durability == "sync" else "group")
    try:
        daemon = build_daemon(
            config,
            plugins=plugins,
            store=store,
            durability=durability,
        )
        if not daemon.journal.empty:
            # a replay allocates as much as the journal holds: collect its garbage
            gc.enable()
            if config.venues:
                log.info(
                    "the database has a journal: state is rebuilt from it; "
                    "the configuration file is the state a reset returns to"
                )
        logging.getLogger().addHandler(ErrorCollector(daemon.record_error, threading.get_ident()))
        options = ServeOptions(
            host=host or server.host,
            port=server.port if port is None else port,
            token=token or server.token,
            ready_file=ready_file,
            owner_lease=owner_lease or server.owner_lease,
        )
        anyio.run(partial(serve, task_status=_collect_when_ready()), daemon, options)
    finally:
        gc.enable()
        store.close()


#: allocations between two collections of the youngest generation once the daemon is
#: ready. Every order allocates a few dozen objects that live until it is done, so at
#: CPython's default (700) the collector ran every few orders, walking objects that were
#: still in use; at 50,000, an OUCH order costs about 5 % fewer instructions (callgrind,
#: bench/ouch_instructions.py), and garbage cycles still go within 50,000 allocations.
YOUNG_THRESHOLD = 50_000


def _collect_when_ready() -> Any:
    """The ``task_status`` :func:`~exsim_core.daemon.serve` reports readiness to: it moves
    every object start-up created out of the cyclic collector's way (``gc.freeze``) and
    turns the collector on, collecting the youngest objects every
    :data:`YOUNG_THRESHOLD` allocations rather than CPython's 700."""
    from anyio.abc import TaskStatus

    class CollectWhenReady(TaskStatus[Any]):
        def started(self, value: Any = None) -> None:
            gc.freeze()
            gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
            gc.enable()

    return CollectWhenReady()
