"""The ``exsim`` command line.

Sub-commands live in their own modules and are added to :data:`main` here; plugins add
theirs through the ``exsim_register_commands`` hook.
"""

from __future__ import annotations

import importlib.metadata as md
import json
from typing import Any

import click

from .errors import ExsimError

__all__ = ["main"]


def exsim_distributions() -> list[tuple[str, str]]:
    """``(name, version)`` of every installed distribution whose name starts ``exsim``."""
    found = {}
    for dist in md.distributions():
        name = dist.metadata["Name"]
        if name and name.lower().startswith("exsim") and name != "exsim-workspace":
            found[name] = dist.version
    return sorted(found.items())


def _version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    for name, version in exsim_distributions():
        click.echo(f"{name} {version}")
    ctx.exit()


class _Main(click.Group):
    """Adds plugin commands lazily, so ``exsim --help`` shows them."""

    _plugins_added = False

    def _add_plugin_commands(self) -> None:
        if self._plugins_added:
            return
        self._plugins_added = True
        from .plugins import PluginHost

        host = PluginHost().load()
        host.hook.exsim_register_commands(cli=self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._add_plugin_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None:
            self._add_plugin_commands()
            command = super().get_command(ctx, cmd_name)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ExsimError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Main)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_version,
    help="Show the versions of every installed exsim distribution and exit.",
)
def main() -> None:
    """exsim — an exchange simulator for people who build trading software."""


@main.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "-p", "plugins", multiple=True, metavar="MODULE", help="Also load this plugin module."
)
@click.option("--block", multiple=True, metavar="NAME", help="Do not load this plugin.")
def plugins_command(as_json: bool, plugins: tuple[str, ...], block: tuple[str, ...]) -> None:
    """List every plugin, its distribution and version, and what it registered."""
    from .plugins import PluginHost

    host = PluginHost(plugins=plugins, block=block).load()
    described = host.describe()
    if as_json:
        click.echo(json.dumps(described, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="exsim plugins", show_lines=True)
    table.add_column("plugin")
    table.add_column("distribution")
    table.add_column("registered")
    for p in described:
        dist = f"{p['distribution']} {p['version']}" if p["distribution"] else p["module"]
        registered = "\n".join(
            f"{kind.replace('_', ' ')}: {', '.join(names)}"
            for kind, names in sorted(p["registered"].items())
        )
        hooks = [h for h in p["hooks"] if not h.startswith("exsim_register_")]
        if hooks:
            registered += ("\n" if registered else "") + f"hooks: {', '.join(hooks)}"
        table.add_row(p["name"], dist, registered or "-")
    Console(width=max(100, Console().width)).print(table)


@main.command("demo")
def demo_command() -> None:
    """Run a venue in-process with a scripted mix of every order type and print the
    book, the trades and the order states."""
    from .demo import run_demo

    run_demo()


from .cli_config import config_group  # noqa: E402 - sub-commands register after main exists
from .cli_serve import serve_command  # noqa: E402

main.add_command(serve_command)
main.add_command(config_group)


if __name__ == "__main__":
    main()
