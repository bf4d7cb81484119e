"""JSON views of the simulator's state and events, with decimals as strings.

Prices and quantities leave exsim here converted from units with the instrument's
``units_to_price`` / ``units_to_qty``; enumerations become lower-case names. An order
inside an event is rendered as a reference (``order_id``, ``cl_ord_id``, ``session`` and
its ``state`` when the event happened).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from exsim_core.enums import (
    CancelReason,
    Liquidity,
    OrderStatus,
    PegType,
    RejectReason,
    TimeInForce,
)
from exsim_core.events import FIELDS, KIND_NAMES, RestateReason
from exsim_core.order import Cancel, MassCancel, Order, Replace

if TYPE_CHECKING:
    from exsim_core.book import Book
    from exsim_core.instrument import InstrumentBase
    from exsim_core.managed.trades import TradeRecord
    from exsim_core.venue import Venue

__all__ = [
    "book_view",
    "event_view",
    "name_of",
    "order_ref",
    "order_view",
    "trade_view",
    "venue_view",
]

_PRICE_FIELDS = frozenset({"last_px", "price", "old_price"})
_QTY_FIELDS = frozenset(
    {"last_qty", "cum_qty", "leaves", "canceled_qty", "shown", "qty", "old_qty"}
)
_REASONS: Mapping[int, type[Any]] = {
    2: RejectReason,  # REJECTED
    4: CancelReason,  # CANCELED
    6: RejectReason,  # CANCEL_REJECTED
    8: RestateReason,  # RESTATED
}


def name_of(enum: type[Any], value: Any) -> Any:
    """The lower-case name of ``value`` in ``enum`` (the value itself if unknown)."""
    try:
        return str(enum(value).name).lower()
    except (ValueError, KeyError):
        return value


def side_name(side: int) -> str:
    return "buy" if side == 1 else "sell" if side == 2 else str(side)


def _price(inst: InstrumentBase | None, units: int | None) -> str | None:
    if units is None:
        return None
    return str(inst.units_to_price(units)) if inst is not None else str(units)


def _qty(inst: InstrumentBase | None, units: int | None) -> str | None:
    if units is None:
        return None
    return str(inst.units_to_qty(units)) if inst is not None else str(units)


def order_view(order: Order, inst: InstrumentBase | None) -> dict[str, Any]:
    """Everything about an order."""
    avg = None
    if order.cum_qty and inst is not None:
        avg = str(
            (inst.units_to_price(1) * order.cum_cost / order.cum_qty)
            .quantize(inst.units_to_price(1) / 10**4)
            .normalize()
        )
    return {
        "order_id": order.order_id,
        "cl_ord_id": order.cl_ord_id,
        "session": order.session,
        "account": order.account,
        "symbol": order.symbol,
        "side": side_name(order.side),
        "ord_type": order.ord_type,
        "tif": name_of(TimeInForce, order.tif).upper(),
        "price": _price(inst, order.price),
        "stop_price": _price(inst, order.stop_price),
        "qty": _qty(inst, order.qty),
        "leaves_qty": _qty(inst, order.leaves),
        "cum_qty": _qty(inst, order.cum_qty),
        "avg_px": avg,
        "display_qty": _qty(inst, order.display),
        "min_qty": _qty(inst, order.min_qty),
        "post_only": order.post_only,
        "peg": name_of(PegType, order.peg),
        "peg_offset": order.peg_offset,
        "expire_ns": order.expire_ns,
        "status": name_of(OrderStatus, order.status),
        "entered_ns": order.entered_ns,
        "resting": order.level is not None,
    }


def order_ref(
    order: Order, status: int | None = None, cl_ord_id: str | None = None
) -> dict[str, Any]:
    """An order as events show it (``status``/``cl_ord_id``: as they were at the event)."""
    return {
        "order_id": order.order_id,
        "cl_ord_id": order.cl_ord_id if cl_ord_id is None else cl_ord_id,
        "session": order.session,
        "side": side_name(order.side),
        "symbol": order.symbol,
        "state": name_of(OrderStatus, order.status if status is None else status),
    }


def _request_ref(req: Any) -> dict[str, Any]:
    if isinstance(req, Cancel | Replace):
        kind = "cancel" if isinstance(req, Cancel) else "replace"
        return {
            "request": kind,
            "order_id": req.order_id,
            "cl_ord_id": req.cl_ord_id,
            "session": req.session,
        }
    if isinstance(req, MassCancel):
        return {
            "request": "mass_cancel",
            "session": req.session,
            "symbol": req.symbol,
            "side": None if req.side is None else side_name(req.side),
            "cl_ord_id": req.cl_ord_id,
        }
    return {"request": type(req).__name__}


def event_view(
    venue: Venue, event: tuple[Any, ...], snapshot: tuple[Any, ...] | None = None
) -> dict[str, Any]:
    """One event as JSON (``snapshot``: the status and cl_ord_id of its order when it
    happened, and for REPLACED its quantity and price after the replace).

    A REPLACED event also has ``qty`` and ``price``: the order's new terms."""
    kind = event[0]
    out: dict[str, Any] = {"kind": KIND_NAMES.get(kind, str(kind)), "venue": venue.name}
    first = event[1] if len(event) > 1 else None
    symbol = first.symbol if isinstance(first, Order) else first if isinstance(first, str) else None
    if isinstance(first, Cancel | Replace):
        target = venue.orders.get(first.order_id)
        symbol = target.symbol if target is not None else None
    if kind in (15, 16):  # trade bust/correct: (kind, trade_id, symbol, ...)
        symbol = event[2]
    inst = venue.instruments.get(symbol) if symbol else None
    if symbol:
        out["symbol"] = symbol
    for i, (name, value) in enumerate(zip(FIELDS.get(kind, ()), event[1:], strict=False)):
        if isinstance(value, Order):
            if i == 0 and snapshot is not None:
                out[name] = order_ref(value, snapshot[0], snapshot[1])
            else:
                out[name] = order_ref(value)
        elif value is None or isinstance(value, bool):
            out[name] = value
        elif name == "reason" and kind in _REASONS:
            out[name] = name_of(_REASONS[kind], value)
        elif name in ("subject", "request"):
            out[name] = _request_ref(value)
        elif name == "liquidity":
            out[name] = name_of(Liquidity, value)
        elif name in ("side", "aggressor"):
            out[name] = side_name(value) if value else None
        elif name in _PRICE_FIELDS:
            out[name] = _price(inst, value)
        elif name in _QTY_FIELDS:
            out[name] = _qty(inst, value)
        elif name == "cum_cost":
            continue
        elif name == "status":
            out[name] = str(value)
        else:
            out[name] = value
    if kind == 5 and isinstance(first, Order):  # REPLACED: what the order became
        qty, price = snapshot[2:4] if snapshot and len(snapshot) > 2 else (first.qty, first.price)
        out["qty"] = _qty(inst, qty)
        out["price"] = _price(inst, price)
    return out


def trade_view(trade: TradeRecord, inst: InstrumentBase | None) -> dict[str, Any]:
    return {
        "trade_id": trade.trade_id,
        "symbol": trade.symbol,
        "price": _price(inst, trade.price),
        "qty": _qty(inst, trade.qty),
        "aggressor": side_name(trade.aggressor) if trade.aggressor else None,
        "buy": order_ref(trade.buy) if trade.buy is not None else None,
        "sell": order_ref(trade.sell) if trade.sell is not None else None,
        "time_ns": trade.time_ns,
        "state": trade.state,
    }


def book_view(book: Book, depth: int | None = None, orders: bool = False) -> dict[str, Any]:
    """L2 (levels: price, qty, count), and with ``orders`` L3 (resting orders in
    priority order) of a book."""
    inst = book.instrument

    def levels(side: int) -> list[dict[str, Any]]:
        return [
            {"price": _price(inst, p), "qty": _qty(inst, q), "count": n}
            for p, q, n in book.depth(side, depth)
        ]

    out: dict[str, Any] = {
        "symbol": book.symbol,
        "status": str(book.status),
        "engine": book.engine.name,
        "bids": levels(1),
        "asks": levels(2),
        "last_price": _price(inst, book.last_price),
        "volume": _qty(inst, book.volume),
    }
    if orders:
        out["orders"] = {
            "bids": [order_view(o, inst) for o in book.resting(1)],
            "asks": [order_view(o, inst) for o in book.resting(2)],
        }
    return out


def venue_view(venue: Venue) -> dict[str, Any]:
    return {
        "name": venue.name,
        "settings": venue.settings.model_dump(mode="json"),
        "instruments": sorted(venue.instruments),
        "engines": {s: b.engine.describe() for s, b in sorted(venue.books.items())},
        "live_orders": len(venue.orders),
    }
