"""Hook specifications: everything a plugin can add to or learn from exsim.

A plugin is a module (or any object) with functions marked ``@exsim_core.hookimpl`` whose
names are the hooks below. Installed plugins are found through entry points of the group
``exsim``; see :doc:`/plugins` for the load order.

Three kinds of hook:

* **Factory hooks** (``exsim_register_*``) receive a registrar and register classes by
  short name. They are called once per plugin, when it is loaded, and every name is
  recorded with the plugin and distribution that registered it; two plugins registering
  one name is an error naming both.
* **Decision hooks** decide one thing: they stop at the first non-None result, in
  reverse registration order (a later plugin can override an earlier one).
* **Observer hooks** are told that something happened; every implementation runs. They
  are only called when at least one plugin implements them, so an unused hook costs
  nothing on the hot path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click

    from .order import Order
    from .plugins import Registrar
    from .session import LogonRequest, Session
    from .sim import Simulator
    from .venue import Venue

hookspec = pluggy.HookspecMarker("exsim")

# --------------------------------------------------------------------- factories


@hookspec
def exsim_register_engines(registry: Registrar) -> None:
    """Register matching engines (subclasses of :class:`exsim_core.Engine`).

    :param registry: call ``registry.add(EngineClass)`` (the class's ``name`` is its
        short name) for each engine.
    """


@hookspec
def exsim_register_order_types(registry: Registrar) -> None:
    """Register order types (subclasses of :class:`exsim_core.OrderType`).

    :param registry: call ``registry.add(OrderTypeClass)`` for each order type.
    """


@hookspec
def exsim_register_protocols(registry: Registrar) -> None:
    """Register wire protocols that endpoints can speak (subclasses of
    :class:`exsim_core.Protocol`).

    :param registry: call ``registry.add(ProtocolClass)`` for each protocol.
    """


@hookspec
def exsim_register_bots(registry: Registrar) -> None:
    """Register bot kinds (subclasses of :class:`exsim_core.Bot`).

    :param registry: call ``registry.add(BotClass)`` for each bot kind.
    """


@hookspec
def exsim_register_config_sections(registry: Registrar) -> None:
    """Register configuration sections of a plugin: a pydantic model per section name.

    A section ``[plugins.NAME]`` of a configuration file is validated with the model
    registered as ``NAME``.

    :param registry: call ``registry.add(Model, name="NAME")`` for each section.
    """


@hookspec
def exsim_register_commands(cli: click.Group) -> None:
    """Add sub-commands to the ``exsim`` command line.

    :param cli: the ``exsim`` click group; call ``cli.add_command(command)``.
    """


# --------------------------------------------------------------------- decisions


@hookspec(firstresult=True)
def exsim_validate_order(venue: Venue, order: Order) -> int | str | None:
    """Pre-trade check of a new order, after the venue's own rules passed.

    Stops at the first non-None result.

    :param venue: the venue the order was sent to.
    :param order: the order (status PENDING_NEW, prices and quantities in units).
    :returns: None to let the order through; a :class:`exsim_core.RejectReason` or a
        text to reject it (a text is sent to the client as the reject reason).
    """


@hookspec(firstresult=True)
def exsim_session_logon(session: Session, request: LogonRequest) -> bool | str | None:
    """Decide whether a session may log on, before the protocol's own checks.

    Stops at the first non-None result.

    :param session: the configured session the peer wants to log on as.
    :param request: what the peer presented (identity, credentials, address).
    :returns: None to leave the decision to the protocol's checks, True to accept, or
        False or a text (the reason given to the peer) to refuse.
    """


# --------------------------------------------------------------------- observers


@hookspec
def exsim_simulator_started(simulator: Simulator) -> None:
    """A simulator has loaded its plugins and is ready to create venues.

    :param simulator: the simulator; its ``config`` holds the plugins' sections.
    """


@hookspec
def exsim_venue_created(venue: Venue) -> None:
    """A venue has been created (before it has instruments).

    :param venue: the new venue.
    """


@hookspec
def exsim_order_accepted(venue: Venue, order: Order) -> None:
    """A venue has accepted an order.

    :param venue: the venue.
    :param order: the order, in the state it has when its batch of events is
        delivered.
    """


@hookspec
def exsim_trade(venue: Venue, trade: tuple[Any, ...]) -> None:
    """Two orders (or one order and the venue) traded.

    :param venue: the venue.
    :param trade: the TRADE event ``(TRADE, symbol, trade_id, price, qty, aggressor,
        buy, sell)``; see :mod:`exsim_core.events`.
    """


@hookspec
def exsim_session_started(session: Session) -> None:
    """A session has logged on.

    :param session: the session.
    """


@hookspec
def exsim_session_ended(session: Session, reason: str) -> None:
    """A session has logged off or been disconnected.

    :param session: the session.
    :param reason: why it ended, in words.
    """
