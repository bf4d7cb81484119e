"""Orders and quotes of management clients: drafts, conversion to units, submission.

A draft is an order a client builds step by step (create, set fields, submit); it lives
in the daemon until submitted or deleted. Submitting converts its decimals with the
instrument's units and sends it through the venue's front door, exactly like an order
from a session (its ``session`` field names the owner; ``api`` by default).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from exsim_core.enums import PegType, TimeInForce
from exsim_core.errors import Conflict, InvalidField, NotFound
from exsim_core.order import Order

from .models import OrderFields

if TYPE_CHECKING:
    from exsim_core.instrument import InstrumentBase
    from exsim_core.venue import Venue

__all__ = ["Draft", "QuoteDraft", "price_units", "qty_units", "to_order"]

DEFAULTS: dict[str, Any] = {
    "ord_type": "limit",
    "tif": "DAY",
    "session": "api",
    "post_only": False,
    "peg": "none",
    "peg_offset": 0,
}


@dataclass
class Draft:
    """An order being built by a management client."""

    id: str
    venue: str
    fields: dict[str, Any]
    order_id: int | None = None

    def describe(self) -> dict[str, Any]:
        view = {k: str(v) if isinstance(v, Decimal) else v for k, v in self.fields.items()}
        return {"id": self.id, "venue": self.venue, "fields": view, "order_id": self.order_id}


@dataclass
class QuoteDraft:
    """A two-sided quote. Stored and validated; quotes do not trade yet."""

    id: str
    venue: str
    symbol: str
    session: str
    sides: dict[str, Any] = field(default_factory=dict)
    state: str = "created"

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "venue": self.venue,
            "symbol": self.symbol,
            "session": self.session,
            "state": self.state,
            **{k: None if v is None else str(v) for k, v in self.sides.items()},
        }


def instrument_of(venue: Venue, symbol: str | None, loc: tuple[str | int, ...]) -> InstrumentBase:
    if symbol is None:
        raise InvalidField(loc, "field required")
    inst = venue.instruments.get(symbol)
    if inst is None:
        raise InvalidField(
            loc,
            f"venue {venue.name} has no instrument {symbol!r}; it trades: "
            f"{', '.join(sorted(venue.instruments)) or 'nothing yet'}",
        )
    return inst


def qty_units(inst: InstrumentBase, value: Decimal, loc: tuple[str | int, ...]) -> int:
    units = inst.qty_to_units(value)
    if units is None:
        raise InvalidField(
            loc, f"{value} is finer than {inst.symbol}'s quantity precision (lot {inst.lot_size})"
        )
    return units


def price_units(inst: InstrumentBase, value: Decimal, loc: tuple[str | int, ...]) -> int:
    units = inst.price_to_units(value)
    if units is None:
        raise InvalidField(
            loc, f"{value} is finer than {inst.symbol}'s price precision (tick {inst.tick_size})"
        )
    return units


def merge(draft: dict[str, Any], changes: OrderFields) -> dict[str, Any]:
    return draft | changes.model_dump(exclude_none=True)


def to_order(venue: Venue, fields: dict[str, Any], cl_ord_id: str) -> Order:
    """The :class:`Order` a draft's fields describe (units converted; every error names
    its field under ``fields``)."""
    f = DEFAULTS | fields
    inst = instrument_of(venue, f.get("symbol"), ("fields", "symbol"))
    if f.get("side") is None:
        raise InvalidField(("fields", "side"), "field required")
    if f.get("qty") is None:
        raise InvalidField(("fields", "qty"), "field required")
    if f["ord_type"] not in venue.registered_order_types:
        raise InvalidField(
            ("fields", "ord_type"),
            f"unknown order type {f['ord_type']!r}; registered: "
            f"{', '.join(sorted(venue.registered_order_types))}",
        )

    def price(name: str) -> int | None:
        value = f.get(name)
        return None if value is None else price_units(inst, value, ("fields", name))

    def qty(name: str) -> int:
        value = f.get(name)
        return 0 if value is None else qty_units(inst, value, ("fields", name))

    return Order(
        inst.symbol,
        1 if f["side"] == "buy" else 2,
        qty("qty"),
        price("price"),
        f["ord_type"],
        int(TimeInForce[f["tif"]]),
        cl_ord_id=f.get("cl_ord_id") or cl_ord_id,
        session=f["session"],
        account=f.get("account"),
        stop_price=price("stop_price"),
        display=qty("display_qty"),
        min_qty=qty("min_qty"),
        post_only=f["post_only"],
        peg=int(PegType[f["peg"].upper()]),
        peg_offset=f["peg_offset"],
        expire_ns=f.get("expire_ns"),
    )


def live_order(venue: Venue, order_id: int) -> Order:
    order = venue.orders.get(order_id)
    if order is None:
        issued = 0 < order_id <= venue.last_order_id
        if issued:
            raise Conflict(
                f"order {order_id} at {venue.name} is done (filled, canceled or expired)"
            )
        raise NotFound(f"venue {venue.name} has no order {order_id}")
    return order
