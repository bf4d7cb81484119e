"""``exsim config check`` and ``exsim config export``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["config_group"]


@click.group("config")
def config_group() -> None:
    """Check and export configuration files."""


@config_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-p", "plugins", multiple=True, metavar="MODULE", help="Also load this plugin module."
)
def check_command(file: Path, plugins: tuple[str, ...]) -> None:
    """Validate FILE without starting anything (nothing listens, nothing is written)."""
    from .config import check_config, load_config
    from .ops import models as m

    ops = check_config(load_config(file), plugins=plugins)
    counts = {
        "venues": sum(isinstance(o, m.CreateVenue) for o in ops),
        "instruments": sum(isinstance(o, m.CreateInstrument) for o in ops),
        "endpoints": sum(isinstance(o, m.CreateEndpoint) for o in ops),
        "sessions": sum(isinstance(o, m.CreateSession) for o in ops),
        "bots": sum(isinstance(o, m.CreateBot) for o in ops),
    }
    click.echo(f"{file}: valid ({', '.join(f'{n} {k}' for k, n in counts.items())})")


@config_group.command("export")
@click.option(
    "--url", envvar="EXSIM_URL", help="Export a running daemon's state (its management URL)."
)
@click.option("--token", envvar="EXSIM_TOKEN", help="The running daemon's token.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Export the state this file (and --db) builds.",
)
@click.option(
    "--db",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Database whose journal to replay first.",
)
@click.option(
    "-p", "plugins", multiple=True, metavar="MODULE", help="Also load this plugin module."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of standard output.",
)
def export_command(
    *,
    url: str | None,
    token: str | None,
    config_path: Path | None,
    db: Path | None,
    plugins: tuple[str, ...],
    output: Path | None,
) -> None:
    """Write the current state as a configuration file that loads to the same state."""
    from .config import (
        ConfigFile,
        build_daemon,
        daemon_sections,
        export_operations,
        export_toml,
        load_config,
    )
    from .errors import ConfigError

    if url is not None:
        from .client import Client
        from .daemon.state import OPERATION

        with Client(url, token=token) as client:
            data = client.export_config()
        ops = [OPERATION.validate_python(o) for o in data["operations"]]
        text = export_toml(ops, data.get("simulator"), data.get("plugins"))
    elif config_path is not None or db is not None:
        from .store import open_store

        config = load_config(config_path) if config_path is not None else ConfigFile()
        store = open_store(db)
        try:
            daemon = build_daemon(config, plugins=plugins, store=store)
            daemon.open()
            simulator, sections = daemon_sections(daemon)
            text = export_toml(export_operations(daemon), simulator, sections)
        finally:
            store.close()
    else:
        raise ConfigError("say what to export: --url of a running daemon, or --config/--db")
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text)
