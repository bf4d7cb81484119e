"""``apply(daemon, op)``: perform one operation, validating everything first.

Every handler checks all of its input before it changes anything, so a rejected
operation (an exception from :mod:`exsim_core.errors`) leaves the state as it was. The
management API and the configuration loader both come here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from exsim_core.errors import ConfigError, Conflict, InvalidField
from exsim_core.venue import VenueSettings

from . import models as m
from .render import venue_view
from .trading import TRADING_HANDLERS

if TYPE_CHECKING:
    from exsim_core.daemon.state import Daemon

__all__ = ["apply"]

Result = dict[str, Any]


def apply(daemon: Daemon, op: m.OpBase) -> Result:
    """Perform ``op`` on ``daemon``'s simulator; returns what the client is told."""
    handler = _HANDLERS.get(type(op))
    if handler is None:
        raise ConfigError(f"no handler for operation {type(op).__name__}")
    return handler(daemon, op)


# --------------------------------------------------------------------- venues
def _create_venue(d: Daemon, op: m.CreateVenue) -> Result:
    if op.name in d.simulator.venues:
        raise Conflict(f"a venue named {op.name!r} already exists")
    venue = d.simulator.create_venue(op.name, op.settings)
    d.venue_created(venue)
    return venue_view(venue)


def _delete_venue(d: Daemon, op: m.DeleteVenue) -> Result:
    sim = d.simulator
    sim.venue(op.name)
    users = [e.name for e in sim.endpoints.values() if e.venue == op.name]
    users += [b.session for b in sim.bot_instances.values() if b.venue.name == op.name]
    if users:
        raise Conflict(f"venue {op.name} is used by {', '.join(sorted(users))}; delete them first")
    sim.delete_venue(op.name)
    return {"deleted": op.name}


def _set_venue(d: Daemon, op: m.SetVenue) -> Result:
    venue = d.simulator.venue(op.name)
    merged = venue.settings.model_dump() | op.settings
    settings = VenueSettings.model_validate(merged)
    venue.configure(settings)
    return venue_view(venue)


def _create_instrument(d: Daemon, op: m.CreateInstrument) -> Result:
    venue = d.simulator.venue(op.venue)
    if op.instrument.symbol in venue.instruments:
        raise Conflict(f"venue {op.venue} already trades {op.instrument.symbol}")
    venue.add_instrument(op.instrument)
    return op.instrument.model_dump(mode="json")


def _delete_instrument(d: Daemon, op: m.DeleteInstrument) -> Result:
    venue = d.simulator.venue(op.venue)
    venue.book(op.symbol)
    users = [
        b.session
        for b in d.simulator.bot_instances.values()
        if b.venue is venue and b.symbol == op.symbol
    ]
    if users:
        raise Conflict(
            f"{op.symbol} is traded by bots {', '.join(sorted(users))}; delete them first"
        )
    venue.remove_instrument(op.symbol)
    return {"deleted": op.symbol}


def _set_engine(d: Daemon, op: m.SetEngine) -> Result:
    venue = d.simulator.venue(op.venue)
    book = venue.book(op.symbol)
    venue.set_engine(op.symbol, op.engine, op.params)
    return book.engine.describe()


def _set_status(d: Daemon, op: m.SetStatus) -> Result:
    venue = d.simulator.venue(op.venue)
    if op.symbol is not None:
        venue.book(op.symbol)
    venue.set_status(op.status, op.symbol, op.text)
    return {"venue": op.venue, "symbol": op.symbol, "status": str(op.status)}


# --------------------------------------------------------------------- endpoints
def _create_endpoint(d: Daemon, op: m.CreateEndpoint) -> Result:
    if op.name in d.simulator.endpoints:
        raise Conflict(f"an endpoint named {op.name!r} already exists")
    endpoint = d.simulator.create_endpoint(
        op.name, op.protocol, op.venue, host=op.host, port=op.port, params=op.params
    )
    d.endpoint_created(endpoint)
    return endpoint.describe()


def _delete_endpoint(d: Daemon, op: m.DeleteEndpoint) -> Result:
    d.simulator.endpoint(op.name)
    d.endpoint_deleted(op.name)
    d.simulator.delete_endpoint(op.name)
    return {"deleted": op.name}


def _create_session(d: Daemon, op: m.CreateSession) -> Result:
    if any(op.id in e.sessions for e in d.simulator.endpoints.values()):
        raise Conflict(f"a session named {op.id!r} already exists")
    session = d.simulator.create_session(
        op.endpoint, op.id, op.identity, password=op.password, role=op.role, params=op.params
    )
    d.session_created(session)
    return session.describe()


def _inject_fault(d: Daemon, op: m.InjectFault) -> Result:
    session = d.simulator.session(op.session)
    protocol = d.protocols.get(session.endpoint)
    if protocol is None:
        raise Conflict(f"endpoint {session.endpoint} is not running")
    try:
        protocol.inject_fault(session, op.fault, op.params)
    except ValueError as exc:
        raise InvalidField(("fault",), str(exc)) from exc
    return {"session": op.session, "fault": op.fault}


# --------------------------------------------------------------------- bots
def _create_bot(d: Daemon, op: m.CreateBot) -> Result:
    sim = d.simulator
    sim.venue(op.venue).book(op.symbol)
    if op.name is not None and op.name in sim.bot_instances:
        raise Conflict(f"a bot named {op.name!r} already exists")
    try:
        bot = sim.create_bot(op.kind, op.venue, op.symbol, op.params, seed=op.seed, name=op.name)
    except ValueError as exc:
        if isinstance(exc, ConfigError):
            raise
        raise InvalidField(("params",), str(exc)) from exc
    if op.start:
        d.start_bot(bot)
    return bot.report()


def _configure_bot(d: Daemon, op: m.ConfigureBot) -> Result:
    bot = d.simulator.bot(op.name)
    try:
        bot.reconfigure(op.params)
    except ValueError as exc:
        raise InvalidField(("params",), str(exc)) from exc
    return bot.report()


def _start_bot(d: Daemon, op: m.StartBot) -> Result:
    bot = d.simulator.bot(op.name)
    d.start_bot(bot)
    return bot.report()


def _stop_bot(d: Daemon, op: m.StopBot) -> Result:
    bot = d.simulator.bot(op.name)
    d.stop_bot(bot)
    return bot.report()


def _delete_bot(d: Daemon, op: m.DeleteBot) -> Result:
    bot = d.simulator.bot(op.name)
    d.stop_bot(bot)
    d.simulator.delete_bot(op.name)
    return {"deleted": op.name}


# --------------------------------------------------------------------- time, reset
def _advance_clock(d: Daemon, op: m.AdvanceClock) -> Result:
    return d.advance_clock(op)


def _reset(d: Daemon, op: m.Reset) -> Result:
    d.reset()
    return {"reset": True}


_HANDLERS: dict[type[Any], Callable[[Daemon, Any], Result]] = {
    m.CreateVenue: _create_venue,
    m.DeleteVenue: _delete_venue,
    m.SetVenue: _set_venue,
    m.CreateInstrument: _create_instrument,
    m.DeleteInstrument: _delete_instrument,
    m.SetEngine: _set_engine,
    m.SetStatus: _set_status,
    m.CreateEndpoint: _create_endpoint,
    m.DeleteEndpoint: _delete_endpoint,
    m.CreateSession: _create_session,
    m.InjectFault: _inject_fault,
    m.CreateBot: _create_bot,
    m.ConfigureBot: _configure_bot,
    m.StartBot: _start_bot,
    m.StopBot: _stop_bot,
    m.DeleteBot: _delete_bot,
    m.AdvanceClock: _advance_clock,
    m.Reset: _reset,
    **TRADING_HANDLERS,
}
