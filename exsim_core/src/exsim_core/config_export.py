"""Writing a running state back as a configuration file (``exsim config export``):
the operations that rebuild it (:func:`export_operations`) rendered as TOML
(:func:`export_toml`). Loading the file gives the same venues, instruments, engines,
endpoints, sessions and bots; orders are the journal's business."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

import tomli_w
from pydantic import BaseModel

from .ops import models as m

if TYPE_CHECKING:
    from .daemon.state import Daemon

__all__ = ["daemon_sections", "export_operations", "export_toml"]


def export_operations(daemon: Daemon) -> list[m.OpBase]:
    """The configuration operations that rebuild ``daemon``'s venues, instruments,
    engines, endpoints, sessions and bots (orders are the journal's business)."""
    sim = daemon.simulator
    ops: list[m.OpBase] = []
    for name, venue in sim.venues.items():
        ops.append(m.CreateVenue(name=name, settings=venue.settings))
        for symbol, inst in venue.instruments.items():
            # every instrument of a venue is one of the Instrument union's classes
            ops.append(m.CreateInstrument(venue=name, instrument=cast(Any, inst)))
            book = venue.books[symbol]
            default = inst.engine or venue.settings.engine
            if book.engine.name != default:
                params = book.engine.params.model_dump(mode="json")
                ops.append(
                    m.SetEngine(venue=name, symbol=symbol, engine=book.engine.name, params=params)
                )
    for name, ep in sim.endpoints.items():
        ops.append(
            m.CreateEndpoint(
                name=name,
                protocol=ep.protocol,
                venue=ep.venue,
                host=ep.host,
                port=ep.port,
                params=ep.params,
            )
        )
        for sid, s in ep.sessions.items():
            ops.append(
                m.CreateSession(
                    endpoint=name,
                    id=sid,
                    identity=s.identity,
                    password=s.password,
                    role=cast(Any, s.role),
                    params=s.params,
                )
            )
    for name, bot in sim.bot_instances.items():
        ops.append(
            m.CreateBot(
                kind=bot.name,
                venue=bot.venue.name,
                symbol=bot.symbol,
                name=name,
                seed=bot.seed,
                params=bot.params.model_dump(mode="json"),
                start=bot.running,
            )
        )
    return ops


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def export_toml(
    ops: Iterable[m.OpBase],
    simulator: Mapping[str, Any] | None = None,
    sections: Mapping[str, Any] | None = None,
) -> str:
    """A TOML configuration file of ``ops`` (as :func:`export_operations` gives them),
    with a ``[simulator]`` section and plugin sections."""
    doc: dict[str, Any] = {}
    if simulator:
        doc["simulator"] = dict(simulator)
    venues: dict[str, dict[str, Any]] = {}
    endpoints: dict[str, dict[str, Any]] = {}
    bots: list[dict[str, Any]] = []
    engines: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    for op in ops:
        if isinstance(op, m.CreateVenue):
            venues[op.name] = {
                "name": op.name,
                **op.settings.model_dump(mode="json", exclude_defaults=True),
                "instruments": [],
            }
        elif isinstance(op, m.CreateInstrument):
            inst = op.instrument
            venues[op.venue]["instruments"].append(
                {
                    "asset_class": inst.asset_class,
                    **inst.model_dump(mode="json", exclude_defaults=True),
                }
            )
        elif isinstance(op, m.SetEngine):
            engines[(op.venue, op.symbol)] = (op.engine, op.params)
        elif isinstance(op, m.CreateEndpoint):
            endpoints[op.name] = op.model_dump(
                mode="json", exclude={"op"}, exclude_defaults=True
            ) | {"sessions": []}
        elif isinstance(op, m.CreateSession):
            endpoints[op.endpoint]["sessions"].append(
                op.model_dump(mode="json", exclude={"op", "endpoint"}, exclude_defaults=True)
            )
        elif isinstance(op, m.CreateBot):
            bots.append(
                op.model_dump(mode="json", exclude={"op"}, exclude_defaults=True)
                | {"start": op.start}
            )
    for (venue, symbol), (engine, params) in engines.items():
        for inst in venues[venue]["instruments"]:
            if inst["symbol"] == symbol:
                inst["engine"] = engine
                if params:
                    inst["engine_params"] = params
    if venues:
        doc["venues"] = list(venues.values())
    if endpoints:
        doc["endpoints"] = list(endpoints.values())
    if bots:
        doc["bots"] = bots
    if sections:
        doc["plugins"] = dict(sections)
    return tomli_w.dumps(_clean(doc))


def daemon_sections(daemon: Daemon) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ``[simulator]`` section and the plugin sections of ``daemon``, as JSON."""
    simulator: dict[str, Any] = {"clock": daemon.clock_kind}
    if daemon.start_ns is not None:
        simulator["start"] = dt.datetime.fromtimestamp(daemon.start_ns / 1e9, dt.UTC).isoformat()
    if daemon.seed:
        simulator["seed"] = daemon.seed
    host = daemon.simulator.host
    if host.named:
        simulator["plugins"] = list(host.named)
    if host.blocked:
        simulator["block"] = sorted(host.blocked)
    sections = {
        name: value.model_dump(mode="json") if isinstance(value, BaseModel) else value
        for name, value in daemon.simulator.config.items()
    }
    return simulator, sections
