"""Configuration files (TOML): venues, instruments, endpoints, sessions, bots, plugins.

A file is validated by pydantic models that refuse unknown keys; an error names the path
of the offending key (``venues[0].instruments[2].tick_size: ...``). Loading turns the
file into the operations of :mod:`exsim_core.ops`, in file order (venues and their
instruments, then endpoints and their sessions, then bots), and applies them exactly as a
management client would. :func:`export_toml` walks a running state back into a file
that loads to the same state.

Layout::

    [simulator]              # clock = "wall" | "manual", start (manual), seed,
                             # plugins = [modules], autoload, block = [names]
    [server]                 # host, port, token, db, durability, log_format, ...
    [[venues]]               # name, then any venue setting (engine, tifs, ...)
    [[venues.instruments]]   # asset_class = "equity" | "option" | ..., symbol, ...
    [[endpoints]]            # name, protocol, venue, host, port, params
    [[endpoints.sessions]]   # id, identity, password, role, params
    [[bots]]                 # kind, venue, symbol, name, seed, params, start
    [plugins.NAME]           # a plugin's own section, validated by its model

The plugin modules to load are listed under ``[simulator]`` because TOML cannot have
``plugins`` be both a list and the table of plugin sections.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .config_export import daemon_sections, export_operations, export_toml
from .errors import ConfigError
from .instrument import Instrument
from .ops import models as m
from .plugins import PluginHost
from .venue import VenueSettings

if TYPE_CHECKING:
    from .daemon.state import Daemon

__all__ = [
    "ConfigFile",
    "ServerSection",
    "SimulatorSection",
    "build_daemon",
    "check_config",
    "daemon_sections",
    "export_operations",
    "export_toml",
    "format_errors",
    "load_config",
    "parse_config",
    "to_operations",
]

_TAGS = frozenset({"equity", "option", "future", "fx_spot", "ndf", "crypto"})


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SimulatorSection(_Section):
    clock: Literal["wall", "manual"] = "wall"
    start: dt.datetime | None = Field(default=None, description="First reading of a manual clock.")
    seed: int = Field(default=0, ge=0)
    plugins: list[str] = Field(default_factory=list, description="Plugin modules to load.")
    autoload: bool | None = None
    block: list[str] = Field(default_factory=list)

    @property
    def start_ns(self) -> int | None:
        if self.start is None:
            return None
        start = self.start if self.start.tzinfo else self.start.replace(tzinfo=dt.UTC)
        return int(start.timestamp()) * 1_000_000_000 + start.microsecond * 1000


class ServerSection(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=0, ge=0, le=65535)
    token: str | None = None
    db: Path | None = None
    durability: Literal["sync", "group"] = "group"
    log_format: Literal["console", "json"] = "console"
    event_bound: int = Field(default=100_000, ge=10, le=10_000_000)
    owner_lease: float | None = Field(default=None, gt=0)


class VenueEntry(VenueSettings):
    name: m.Name
    instruments: list[Instrument] = Field(default_factory=list)


class SessionEntry(_Section):
    id: m.Name
    identity: dict[str, str] = Field(default_factory=dict)
    password: str | None = None
    role: Literal["order_entry", "drop_copy", "market_data"] = "order_entry"
    params: dict[str, Any] = Field(default_factory=dict)


class EndpointEntry(_Section):
    name: m.Name
    protocol: str
    venue: str
    host: m.Host = "127.0.0.1"
    port: int = Field(default=0, ge=0, le=65535)
    params: dict[str, Any] = Field(default_factory=dict)
    sessions: list[SessionEntry] = Field(default_factory=list)


class BotEntry(_Section):
    kind: str
    venue: str
    symbol: str
    name: m.Name | None = None
    seed: int = Field(default=0, ge=0)
    params: dict[str, Any] = Field(default_factory=dict)
    start: bool = True


class ConfigFile(_Section):
    """A whole configuration file."""

    simulator: SimulatorSection = Field(default_factory=lambda: SimulatorSection.model_validate({}))
    server: ServerSection = Field(default_factory=lambda: ServerSection.model_validate({}))
    venues: list[VenueEntry] = Field(default_factory=list)
    endpoints: list[EndpointEntry] = Field(default_factory=list)
    bots: list[BotEntry] = Field(default_factory=list)
    plugins: dict[str, dict[str, Any]] = Field(default_factory=dict)


def _path(loc: Iterable[Any]) -> str:
    out = ""
    previous: Any = None
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in _TAGS and isinstance(previous, int):
            pass  # the discriminated union's tag, not a key of the file
        else:
            out += f".{part}" if out else str(part)
        previous = part
    return out or "(top level)"


def format_errors(exc: ValidationError, prefix: Iterable[Any] = ()) -> str:
    """One line per problem: ``path.to[0].key: what is wrong``."""
    lines = []
    for err in exc.errors(include_url=False):
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key (not allowed here; check its spelling and section)"
        lines.append(f"{_path((*prefix, *err['loc']))}: {msg}")
    return "\n".join(lines)


def parse_config(data: Mapping[str, Any], source: str = "configuration") -> ConfigFile:
    """Validate a configuration mapping; raises :class:`ConfigError` naming each bad key."""
    try:
        return ConfigFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source} is invalid:\n{format_errors(exc)}") from None


def load_config(path: str | Path) -> ConfigFile:
    """Read and validate a TOML configuration file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text())
    except OSError as exc:
        raise ConfigError(f"cannot read configuration {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    return parse_config(data, str(path))


def to_operations(config: ConfigFile) -> list[m.OpBase]:
    """The operations that build what ``config`` describes, in order."""
    ops: list[m.OpBase] = []
    for venue in config.venues:
        settings = VenueSettings.model_validate(venue.model_dump(exclude={"name", "instruments"}))
        ops.append(m.CreateVenue(name=venue.name, settings=settings))
        ops += [m.CreateInstrument(venue=venue.name, instrument=i) for i in venue.instruments]
    for ep in config.endpoints:
        ops.append(
            m.CreateEndpoint(
                name=ep.name,
                protocol=ep.protocol,
                venue=ep.venue,
                host=ep.host,
                port=ep.port,
                params=ep.params,
            )
        )
        ops += [m.CreateSession(endpoint=ep.name, **s.model_dump()) for s in ep.sessions]
    ops += [m.CreateBot(**b.model_dump()) for b in config.bots]
    return ops


def plugin_sections(host: PluginHost, sections: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Validate ``[plugins.NAME]`` sections with the models plugins registered."""
    models: dict[str, type[BaseModel]] = host.get("config_sections")
    out: dict[str, Any] = {}
    for name, values in sections.items():
        model = models.get(name)
        if model is None:
            raise ConfigError(
                f"plugins.{name}: no loaded plugin registered a configuration section "
                f"{name!r}; sections: {', '.join(sorted(models)) or 'none'}"
            )
        try:
            out[name] = model.model_validate(dict(values))
        except ValidationError as exc:
            raise ConfigError(format_errors(exc, ("plugins", name))) from None
    return out


def build_daemon(config: ConfigFile, *, plugins: Iterable[str] = (), **kwargs: Any) -> Daemon:
    """A daemon whose start configuration is ``config`` (not opened yet: nothing is
    applied until :meth:`Daemon.open`). ``plugins`` adds plugin modules to the file's."""
    from .daemon import Daemon

    sim = config.simulator
    kwargs.setdefault("event_bound", config.server.event_bound)
    host = PluginHost(
        autoload=sim.autoload, plugins=[*sim.plugins, *plugins], block=sim.block
    ).load()
    sections = plugin_sections(host, config.plugins)
    return Daemon(
        clock=sim.clock,
        start_ns=sim.start_ns,
        seed=sim.seed,
        host=host,
        plugin_config=sections,
        base=to_operations(config),
        **kwargs,
    )


def check_config(config: ConfigFile, *, plugins: Iterable[str] = ()) -> list[m.OpBase]:
    """Apply ``config`` to a throw-away daemon (nothing listens); returns its operations.
    Raises :class:`ConfigError` naming the first operation that fails."""
    daemon = build_daemon(config, plugins=plugins)
    ops = daemon.base
    for i, op in enumerate(ops):
        try:
            daemon.execute(op)
        except ValidationError as exc:
            raise ConfigError(f"{_describe(op)}:\n{format_errors(exc)}") from None
        except ConfigError as exc:
            raise ConfigError(f"{_describe(op)} (operation {i + 1}): {exc}") from None
    return ops


def _describe(op: m.OpBase) -> str:
    name = getattr(op, "name", None) or getattr(op, "id", None)
    inst = getattr(op, "instrument", None)
    if inst is not None:
        name = inst.symbol
    return f"{getattr(op, 'op', type(op).__name__)} {name or ''}".strip()
