"""The simulator: one plugin host, one clock, any number of venues.

This is the in-process entry point, for embedding and for tests::

    from exsim_core import Simulator, Equity, Order, BUY

    sim = Simulator()
    venue = sim.create_venue("XSIM")
    venue.add_instrument(Equity(symbol="ACME"))
    venue.submit(Order("ACME", BUY, 100, price=1000))   # 10.00 in cents

The daemon wraps a simulator with endpoints and the management API.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .bot import Bot
from .clock import Clock, WallClock
from .engine import Engine
from .errors import ConfigError, NotFound
from .events import ACCEPTED, TRADE
from .order import Order
from .ordertypes import OrderType
from .plugins import PluginHost
from .protocol import Protocol
from .session import Endpoint, Session
from .venue import Venue, VenueSettings

__all__ = ["Simulator"]


class Simulator:
    """Venues sharing one plugin host and one clock.

    :param clock: the clock (default: the wall clock).
    :param host: a plugin host (default: a new one, loaded per ``autoload``,
        ``plugins`` and ``block``).
    :param config: the plugins' configuration sections, by plugin section name.
    """

    def __init__(
        self,
        clock: Clock | None = None,
        *,
        host: PluginHost | None = None,
        autoload: bool | None = None,
        plugins: Iterable[str] = (),
        block: Iterable[str] = (),
        config: Mapping[str, Any] | None = None,
    ) -> None:
        self.clock = clock or WallClock()
        self.host = host or PluginHost(autoload=autoload, plugins=plugins, block=block)
        self.host.load()
        self.config = dict(config or {})
        self.venues: dict[str, Venue] = {}
        self.endpoints: dict[str, Endpoint] = {}
        #: bots by name (their session name)
        self.bot_instances: dict[str, Bot] = {}
        self.host.hook.exsim_simulator_started(simulator=self)

    # ------------------------------------------------------------------ registries
    @property
    def engines(self) -> dict[str, type[Engine]]:
        return self.host.get("engines")

    @property
    def order_types(self) -> dict[str, type[OrderType]]:
        return self.host.get("order_types")

    @property
    def bots(self) -> dict[str, type[Bot]]:
        return self.host.get("bots")

    @property
    def protocols(self) -> dict[str, type[Protocol]]:
        return self.host.get("protocols")

    # ------------------------------------------------------------------ endpoints
    def protocol_class(self, name: str) -> type[Protocol]:
        try:
            return self.protocols[name]
        except KeyError:
            raise NotFound(
                f"unknown protocol {name!r}; registered: "
                f"{', '.join(sorted(self.protocols)) or 'none (install exsim-fix or exsim-ouch)'}"
            ) from None

    def create_endpoint(
        self,
        name: str,
        protocol: str,
        venue: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        params: Mapping[str, Any] | None = None,
    ) -> Endpoint:
        """Configure an endpoint (the daemon listens on it)."""
        if name in self.endpoints:
            raise ConfigError(f"an endpoint named {name!r} already exists")
        cls = self.protocol_class(protocol)
        self.venue(venue)
        checked = cls.Params.model_validate(dict(params or {})).model_dump(mode="json")
        endpoint = Endpoint(name, protocol, venue, host, port, checked)
        self.endpoints[name] = endpoint
        return endpoint

    def endpoint(self, name: str) -> Endpoint:
        try:
            return self.endpoints[name]
        except KeyError:
            raise NotFound(
                f"no endpoint named {name!r}; endpoints: "
                f"{', '.join(sorted(self.endpoints)) or 'none'}"
            ) from None

    def delete_endpoint(self, name: str) -> None:
        self.endpoint(name)
        del self.endpoints[name]

    def create_session(
        self,
        endpoint: str,
        session_id: str,
        identity: Mapping[str, str],
        *,
        password: str | None = None,
        role: str = "order_entry",
        params: Mapping[str, Any] | None = None,
    ) -> Session:
        """Configure a session (an identity a client logs on as) on an endpoint."""
        ep = self.endpoint(endpoint)
        if any(session_id in e.sessions for e in self.endpoints.values()):
            raise ConfigError(f"a session named {session_id!r} already exists")
        cls = self.protocol_class(ep.protocol)
        missing = [f for f in cls.identity_fields if not identity.get(f)]
        if missing:
            raise ConfigError(
                f"session {session_id!r} on endpoint {endpoint!r} ({ep.protocol}) needs "
                f"identity fields: {', '.join(missing)}"
            )
        if role not in ("order_entry", "drop_copy", "market_data"):
            raise ConfigError(
                f"unknown session role {role!r}; known: order_entry, drop_copy, market_data"
            )
        checked = cls.SessionParams.model_validate(dict(params or {})).model_dump(mode="json")
        session = Session(session_id, endpoint, ep.venue, dict(identity), password, role, checked)
        ep.sessions[session_id] = session
        return session

    def session(self, session_id: str) -> Session:
        for ep in self.endpoints.values():
            if session_id in ep.sessions:
                return ep.sessions[session_id]
        raise NotFound(f"no session named {session_id!r}")

    # ------------------------------------------------------------------ venues
    def create_venue(
        self, name: str, settings: VenueSettings | Mapping[str, Any] | None = None, **kw: Any
    ) -> Venue:
        """Create a venue; ``settings`` (or keyword arguments) are its rules."""
        if name in self.venues:
            raise ConfigError(f"a venue named {name!r} already exists")
        if not isinstance(settings, VenueSettings):
            settings = VenueSettings.model_validate(dict(settings or {}) | kw)
        order_types = {n: cls() for n, cls in self.order_types.items()}
        venue = Venue(name, self.clock, order_types, self.engines, settings)
        self._wire_hooks(venue)
        self.venues[name] = venue
        self.host.hook.exsim_venue_created(venue=venue)
        return venue

    def delete_venue(self, name: str) -> None:
        venue = self.venue(name)
        for symbol in list(venue.books):
            venue.remove_instrument(symbol)
        venue.close()
        del self.venues[name]

    def venue(self, name: str) -> Venue:
        try:
            return self.venues[name]
        except KeyError:
            raise NotFound(
                f"no venue named {name!r}; venues: {', '.join(sorted(self.venues)) or 'none'}"
            ) from None

    def create_bot(
        self,
        kind: str,
        venue: str,
        symbol: str,
        params: Mapping[str, Any] | None = None,
        *,
        seed: int = 0,
        name: str | None = None,
    ) -> Bot:
        """Create a bot of a registered kind (stopped; :meth:`Bot.start` starts it). It is
        kept by name (its session name) in :attr:`bot_instances`."""
        try:
            cls = self.bots[kind]
        except KeyError:
            raise NotFound(
                f"unknown bot kind {kind!r}; registered: {', '.join(sorted(self.bots)) or 'none'}"
            ) from None
        if name is not None and name in self.bot_instances:
            raise ConfigError(f"a bot named {name!r} already exists")
        bot = cls(self.venue(venue), symbol, params, seed=seed, name=name)
        if bot.session in self.bot_instances:
            raise ConfigError(f"a bot named {bot.session!r} already exists; give this one a name")
        self.bot_instances[bot.session] = bot
        return bot

    def bot(self, name: str) -> Bot:
        try:
            return self.bot_instances[name]
        except KeyError:
            raise NotFound(
                f"no bot named {name!r}; bots: {', '.join(sorted(self.bot_instances)) or 'none'}"
            ) from None

    def delete_bot(self, name: str) -> None:
        """Stop a bot (canceling its orders) and forget it."""
        self.bot(name).stop()
        del self.bot_instances[name]

    def _wire_hooks(self, venue: Venue) -> None:
        host = self.host
        hook = host.hook
        if host.implemented("exsim_validate_order"):

            def pretrade(v: Venue, order: Order) -> int | str | None:
                result: int | str | None = hook.exsim_validate_order(venue=v, order=order)
                return result

            venue.pretrade = pretrade
        accepted = host.implemented("exsim_order_accepted")
        traded = host.implemented("exsim_trade")
        if accepted or traded:

            def observe(batch: list[tuple[Any, ...]], now: int) -> None:
                for ev in batch:
                    if accepted and ev[0] == ACCEPTED:
                        hook.exsim_order_accepted(venue=venue, order=ev[1])
                    elif traded and ev[0] == TRADE:
                        hook.exsim_trade(venue=venue, trade=ev)

            venue.subscribe(observe)
