"""Handlers of the trading operations: order drafts, cancels and replaces, quotes, and
managed mode (decisions, matching, busts and corrections, expectations). Like every
handler they validate all of their input before changing anything."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from exsim_core.errors import Conflict, InvalidField, NotFound
from exsim_core.managed import Step, perform, problem, script_of, trade_log
from exsim_core.order import Cancel, Replace

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
from .render import order_view

if TYPE_CHECKING:
    from exsim_core.daemon.state import Daemon

__all__ = ["TRADING_HANDLERS"]

Result = dict[str, Any]
NS_PER_MS = 1_000_000


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


TRADING_HANDLERS: dict[type[Any], Any] = {
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
}
