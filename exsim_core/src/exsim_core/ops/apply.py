"""``apply(daemon, op)``: perform one operation, validating everything first.

Every handler checks all of its input before it changes anything, so a rejected
operation (an exception from :mod:`exsim_core.errors`) leaves the state as it was. The
management API and the configuration loader both come here.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from exsim_core.errors import ConfigError, Conflict, InvalidField, NotFound
from exsim_core.managed import Step, perform, problem, script_of, trade_log
from exsim_core.order import Cancel, Replace
from exsim_core.venue import VenueSettings

from . import models as m
from .orders import (
    Draft,
    QuoteDraft,
    instrument_of,
    live_order,
    merge,
    price_units,
    qty_units,
    to_order,
)
from .render import order_view, venue_view

if TYPE_CHECKING:
    from exsim_core.daemon.state import Daemon

__all__ = ["apply"]

Result = dict[str, Any]
NS_PER_MS = 1_000_000


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


# --------------------------------------------------------------------- orders
def _create_order(d: Daemon, op: m.CreateOrder) -> Result:
    venue = d.simulator.venue(op.venue)
    draft_id = op.id or d.next_draft_id()
    if draft_id in d.drafts:
        raise Conflict(f"an order draft named {draft_id!r} already exists")
    fields = merge({}, op.fields)
    if op.submit:
        order = to_order(venue, fields, draft_id)
        draft = Draft(draft_id, op.venue, fields)
        d.drafts[draft_id] = draft
        return _submit(d, draft, order)
    if fields.get("symbol") is not None:
        instrument_of(venue, fields["symbol"], ("fields", "symbol"))
    draft = Draft(draft_id, op.venue, fields)
    d.drafts[draft_id] = draft
    return {"draft": draft.describe()}


def _draft(d: Daemon, draft_id: str) -> Draft:
    draft = d.drafts.get(draft_id)
    if draft is None:
        raise NotFound(f"no order draft named {draft_id!r}")
    return draft


def _set_order(d: Daemon, op: m.SetOrder) -> Result:
    draft = _draft(d, op.id)
    if draft.order_id is not None:
        raise Conflict(
            f"order draft {op.id!r} was submitted (order {draft.order_id}); replace it instead"
        )
    fields = merge(draft.fields, op.fields)
    if fields.get("symbol") is not None:
        instrument_of(d.simulator.venue(draft.venue), fields["symbol"], ("fields", "symbol"))
    draft.fields = fields
    return {"draft": draft.describe()}


def _submit_order(d: Daemon, op: m.SubmitOrder) -> Result:
    draft = _draft(d, op.id)
    if draft.order_id is not None:
        raise Conflict(f"order draft {op.id!r} was already submitted (order {draft.order_id})")
    venue = d.simulator.venue(draft.venue)
    return _submit(d, draft, to_order(venue, draft.fields, draft.id))


def _submit(d: Daemon, draft: Draft, order: Any) -> Result:
    venue = d.simulator.venue(draft.venue)
    venue.submit(order)
    draft.order_id = order.order_id
    return {
        "draft": draft.describe(),
        "order": order_view(order, venue.instruments.get(order.symbol)),
    }


def _delete_order(d: Daemon, op: m.DeleteOrder) -> Result:
    _draft(d, op.id)
    del d.drafts[op.id]
    return {"deleted": op.id}


def _cancel_order(d: Daemon, op: m.CancelOrder) -> Result:
    venue = d.simulator.venue(op.venue)
    order = live_order(venue, op.order_id)
    inst = venue.instruments[order.symbol]
    leaves_to = 0 if op.leaves_qty is None else qty_units(inst, op.leaves_qty, ("leaves_qty",))
    if leaves_to and leaves_to >= order.leaves:
        raise InvalidField(("leaves_qty",), "must be below the order's leaves quantity")
    venue.cancel(Cancel(order.order_id, order.session, op.cl_ord_id, leaves_to))
    return {"order": order_view(venue.orders.get(order.order_id, order), inst)}


def _replace_order(d: Daemon, op: m.ReplaceOrder) -> Result:
    venue = d.simulator.venue(op.venue)
    order = live_order(venue, op.order_id)
    inst = venue.instruments[order.symbol]
    req = Replace(
        order.order_id,
        order.session,
        op.cl_ord_id,
        qty=None if op.qty is None else qty_units(inst, op.qty, ("qty",)),
        price=None if op.price is None else price_units(inst, op.price, ("price",)),
        stop_price=None
        if op.stop_price is None
        else price_units(inst, op.stop_price, ("stop_price",)),
    )
    venue.replace(req)
    return {"order": order_view(venue.orders.get(order.order_id, order), inst)}


# --------------------------------------------------------------------- quotes
def _create_quote(d: Daemon, op: m.CreateQuote) -> Result:
    venue = d.simulator.venue(op.venue)
    inst = instrument_of(venue, op.symbol, ("symbol",))
    if op.id in d.quotes:
        raise Conflict(f"a quote named {op.id!r} already exists")
    sides = {}
    for side in ("bid", "ask"):
        px, qty = getattr(op, f"{side}_price"), getattr(op, f"{side}_qty")
        if (px is None) != (qty is None):
            raise InvalidField(
                (f"{side}_qty" if qty is None else f"{side}_price",),
                "give both price and qty of a side",
            )
        if px is not None:
            price_units(inst, px, (f"{side}_price",))
            qty_units(inst, qty, (f"{side}_qty",))
        sides[f"{side}_price"], sides[f"{side}_qty"] = px, qty
    if sides["bid_price"] is None and sides["ask_price"] is None:
        raise InvalidField(("bid_price",), "a quote needs at least one side")
    if (
        sides["bid_price"] is not None
        and sides["ask_price"] is not None
        and sides["bid_price"] >= sides["ask_price"]
    ):
        raise InvalidField(("ask_price",), "the ask must be above the bid")
    quote = QuoteDraft(op.id, op.venue, op.symbol, op.session, sides)
    d.quotes[op.id] = quote
    return quote.describe()


def _quote(d: Daemon, quote_id: str) -> QuoteDraft:
    quote = d.quotes.get(quote_id)
    if quote is None:
        raise NotFound(f"no quote named {quote_id!r}")
    return quote


def _submit_quote(d: Daemon, op: m.SubmitQuote) -> Result:
    quote = _quote(d, op.id)
    if quote.state == "submitted":
        raise Conflict(f"quote {op.id!r} was already submitted")
    quote.state = "submitted"
    return quote.describe()


def _delete_quote(d: Daemon, op: m.DeleteQuote) -> Result:
    _quote(d, op.id)
    del d.quotes[op.id]
    return {"deleted": op.id}


# --------------------------------------------------------------------- managed mode
def _run_managed(d: Daemon, venue_name: str, payload: list[Any]) -> None:
    venue = d.simulator.venue(venue_name)
    why = problem(venue, payload)
    if why is not None:
        raise Conflict(why)
    venue.run_in_batch(perform, venue, payload)


def _units(
    d: Daemon, venue_name: str, symbol: str, qty: Decimal | None, price: Decimal | None
) -> tuple[int | None, int | None]:
    inst = d.simulator.venue(venue_name).instruments[symbol]
    q = None if qty is None else qty_units(inst, qty, ("qty",))
    p = None if price is None else price_units(inst, price, ("price",))
    return q, p


def _decide(d: Daemon, op: m.Decide) -> Result:
    venue = d.simulator.venue(op.venue)
    order = live_order(venue, op.order_id)
    qty, price = _units(d, op.venue, order.symbol, op.qty, op.price)
    _run_managed(d, op.venue, ["decide", order.symbol, op.order_id, op.action, qty, price, op.text])
    now = venue.orders.get(op.order_id, order)
    return {"order": order_view(now, venue.instruments.get(order.symbol))}


def _match_orders(d: Daemon, op: m.MatchOrders) -> Result:
    venue = d.simulator.venue(op.venue)
    venue.book(op.symbol)
    qty, price = _units(d, op.venue, op.symbol, op.qty, op.price)
    _run_managed(d, op.venue, ["match", op.symbol, op.a, op.b, price, qty])
    trades = trade_log(venue).list(op.symbol, 1)
    return {"trade_id": trades[-1].trade_id if trades else None}


def _trade_symbol(d: Daemon, venue_name: str, trade_id: int) -> str:
    trade = trade_log(d.simulator.venue(venue_name)).get(trade_id)
    if trade is None:
        raise NotFound(f"venue {venue_name} has no trade {trade_id}")
    return trade.symbol


def _bust_trade(d: Daemon, op: m.BustTrade) -> Result:
    symbol = _trade_symbol(d, op.venue, op.trade_id)
    _run_managed(d, op.venue, ["bust", symbol, op.trade_id])
    return {"trade_id": op.trade_id, "state": "busted"}


def _correct_trade(d: Daemon, op: m.CorrectTrade) -> Result:
    symbol = _trade_symbol(d, op.venue, op.trade_id)
    qty, price = _units(d, op.venue, symbol, op.qty, op.price)
    _run_managed(d, op.venue, ["correct", symbol, op.trade_id, qty, price])
    return {"trade_id": op.trade_id, "state": "corrected"}


def _expect(d: Daemon, op: m.Expect) -> Result:
    venue = d.simulator.venue(op.venue)
    inst = instrument_of(venue, op.symbol, ("symbol",)) if op.symbol is not None else None
    steps = []
    for i, s in enumerate(op.steps):
        if s.action == "fill" and (s.qty is None or s.price is None):
            raise InvalidField(("steps", i), "a fill step needs qty and price")
        if (s.qty is not None or s.price is not None) and inst is None:
            raise InvalidField(("symbol",), "steps with prices or quantities need the symbol")
        qty = None if s.qty is None or inst is None else qty_units(inst, s.qty, ("steps", i, "qty"))
        price = (
            None
            if s.price is None or inst is None
            else price_units(inst, s.price, ("steps", i, "price"))
        )
        steps.append(Step(s.action, qty, price, s.text, int(s.after_ms * NS_PER_MS)))
    described = [s.model_dump(mode="json", exclude_defaults=True) for s in op.steps]
    side = None if op.side is None else (1 if op.side == "buy" else 2)
    exp = script_of(venue).add(steps, described, op.symbol, side, op.session)
    return exp.describe()


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
    m.CreateOrder: _create_order,
    m.SetOrder: _set_order,
    m.SubmitOrder: _submit_order,
    m.DeleteOrder: _delete_order,
    m.CancelOrder: _cancel_order,
    m.ReplaceOrder: _replace_order,
    m.CreateQuote: _create_quote,
    m.SubmitQuote: _submit_quote,
    m.DeleteQuote: _delete_quote,
    m.Decide: _decide,
    m.MatchOrders: _match_orders,
    m.BustTrade: _bust_trade,
    m.CorrectTrade: _correct_trade,
    m.Expect: _expect,
    m.AdvanceClock: _advance_clock,
    m.Reset: _reset,
}
