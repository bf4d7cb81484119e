"""What a venue says happened.

Events are plain tuples whose first item is the event kind. The matching core produces
millions of them per second, and a tuple is the cheapest record CPython can build (a
slotted object costs about five times as much); :data:`FIELDS` names every position, and
:func:`as_dict` turns an event into a readable mapping for everything off the hot path
(the management API, tests, logs).

The venue hands events to its listeners in *batches*: every command (and every timer) yields
one list of events, all stamped with one clock reading. A listener must not keep the list
itself (it is reused); it may keep the tuples.

Order references (``order``, ``old``, ``contra``...) are live :class:`~exsim_core.Order`
objects whose state may have moved on by the time a listener reads them: the numbers that
describe the moment of the event (cumulative and leaves quantities, visible quantity) are
copied into the event itself.

Kinds and their fields:

================  ==============================================================
kind              fields after the kind
================  ==============================================================
ACCEPTED          order, qty (the order's quantity when it was accepted)
REJECTED          order, reason (RejectReason), text
FILL              order, last_qty, last_px, exec_id, trade_id, liquidity, cum_qty,
                  leaves, cum_cost, contra (the other order, or None)
CANCELED          order, reason (CancelReason), canceled_qty, leaves, shown
REPLACED          order, old (the same object when priority was kept), old_cl_ord_id,
                  kept_priority, shown, qty (the new quantity)
CANCEL_REJECTED   request (Cancel or Replace), reason (RejectReason), order or None
TRIGGERED         order (a stop order that has just been triggered)
RESTATED          order, old, reason (RestateReason): the venue changed the order
ADDED             order, price, shown: the order rests, visible, at the back of its
                  price level (an order already resting has moved there)
BOOK              symbol, side, price, qty, count: a price level's displayed quantity
                  and order count after a change (0 and 0: the level is gone)
TRADE             symbol, trade_id, price, qty, aggressor (Side or 0), buy, sell
STATUS            symbol, status (TradingStatus), text
MASS_CANCELED     request (MassCancel), count
HELD              order or request, what ("new", "cancel", "replace"): the managed
                  engine holds it for a decision
TRADE_BUSTED      trade_id, symbol, qty, price, buy, sell
TRADE_CORRECTED   trade_id, symbol, qty, price (new), old_qty, old_price, buy, sell
================  ==============================================================

For an L3 (order-by-order) view: ADDED adds or moves an order; a maker FILL reduces its
visible quantity; CANCELED and REPLACED set it (``shown``); REPLACED and RESTATED with
``old is not order`` remove ``old``. For an L2 view, BOOK says everything.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, Final

__all__ = [
    "ACCEPTED",
    "ADDED",
    "BOOK",
    "CANCELED",
    "CANCEL_REJECTED",
    "FIELDS",
    "FILL",
    "HELD",
    "KIND_NAMES",
    "MASS_CANCELED",
    "REJECTED",
    "REPLACED",
    "RESTATED",
    "STATUS",
    "TRADE",
    "TRADE_BUSTED",
    "TRADE_CORRECTED",
    "TRIGGERED",
    "RestateReason",
    "as_dict",
]

ACCEPTED: Final = 1
REJECTED: Final = 2
FILL: Final = 3
CANCELED: Final = 4
REPLACED: Final = 5
CANCEL_REJECTED: Final = 6
TRIGGERED: Final = 7
RESTATED: Final = 8
ADDED: Final = 9
BOOK: Final = 10
TRADE: Final = 11
STATUS: Final = 12
MASS_CANCELED: Final = 13
HELD: Final = 14
TRADE_BUSTED: Final = 15
TRADE_CORRECTED: Final = 16


class RestateReason(IntEnum):
    #: a pegged order followed its reference price
    REPEG = 1
    #: a post-only order was re-priced so that it rests instead of taking
    REPRICED = 2
    #: the venue (managed engine, operator) changed the order
    VENUE = 3


#: For each kind, the names of the positions after the kind.
FIELDS: Final[dict[int, tuple[str, ...]]] = {
    ACCEPTED: ("order", "qty"),
    REJECTED: ("order", "reason", "text"),
    FILL: (
        "order",
        "last_qty",
        "last_px",
        "exec_id",
        "trade_id",
        "liquidity",
        "cum_qty",
        "leaves",
        "cum_cost",
        "contra",
    ),
    CANCELED: ("order", "reason", "canceled_qty", "leaves", "shown"),
    REPLACED: ("order", "old", "old_cl_ord_id", "kept_priority", "shown", "qty"),
    CANCEL_REJECTED: ("request", "reason", "order"),
    TRIGGERED: ("order",),
    RESTATED: ("order", "old", "reason"),
    ADDED: ("order", "price", "shown"),
    BOOK: ("symbol", "side", "price", "qty", "count"),
    TRADE: ("symbol", "trade_id", "price", "qty", "aggressor", "buy", "sell"),
    STATUS: ("symbol", "status", "text"),
    MASS_CANCELED: ("request", "count"),
    HELD: ("subject", "what"),
    TRADE_BUSTED: ("trade_id", "symbol", "qty", "price", "buy", "sell"),
    TRADE_CORRECTED: (
        "trade_id",
        "symbol",
        "qty",
        "price",
        "old_qty",
        "old_price",
        "buy",
        "sell",
    ),
}

KIND_NAMES: Final[dict[int, str]] = {
    ACCEPTED: "accepted",
    REJECTED: "rejected",
    FILL: "fill",
    CANCELED: "canceled",
    REPLACED: "replaced",
    CANCEL_REJECTED: "cancel_rejected",
    TRIGGERED: "triggered",
    RESTATED: "restated",
    ADDED: "added",
    BOOK: "book",
    TRADE: "trade",
    STATUS: "status",
    MASS_CANCELED: "mass_canceled",
    HELD: "held",
    TRADE_BUSTED: "trade_busted",
    TRADE_CORRECTED: "trade_corrected",
}


def as_dict(event: tuple[Any, ...]) -> dict[str, Any]:
    """The event as ``{"kind": name, field: value, ...}`` (values as they are)."""
    kind = event[0]
    out: dict[str, Any] = {"kind": KIND_NAMES.get(kind, str(kind))}
    out.update(zip(FIELDS.get(kind, ()), event[1:], strict=False))
    return out
