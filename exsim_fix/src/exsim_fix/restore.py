"""What a FIX session takes over from the venue when it starts: the session's live
orders.

A daemon restarted on its database rebuilds its books from the journal before any
endpoint listens, so the venue's live orders come back with their ``cl_ord_id`` and
``session`` but without the FIX state a session keeps in ``Order.tag`` (the journal
records commands, not protocol state). :func:`adopt_orders` gives each of the session's
live orders that state again, as it would be had the order been entered over FIX: its
current ClOrdID names it (for cancels, replaces and status requests), counts as used
(a new order cannot take it), and its reports echo Symbol(55) and the quantities the
venue holds. Earlier ClOrdIDs of a replaced order are not kept by the venue, so after a
restart only the latest one names it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .neworder import FixOrder

if TYPE_CHECKING:
    from .orders import OrderEntry

__all__ = ["adopt_orders"]


def adopt_orders(entry: OrderEntry) -> int:
    """Index the venue's live orders of ``entry``'s session (see the module
    documentation); returns how many were taken over."""
    venue = entry.venue
    adopted = 0
    for order in venue.orders.values():
        if order.session != entry.session_id:
            continue
        fo = order.tag
        if fo is None:
            instrument = venue.instruments.get(order.symbol)
            if instrument is None:
                continue
            symbol = order.symbol.encode()
            decimals = entry.decimals.get(order.symbol)
            if decimals is None:
                decimals = entry.decimals[order.symbol] = (
                    len(str(instrument.price_scale)) - 1,
                    len(str(instrument.qty_scale)) - 1,
                )
            fo = FixOrder(
                order.cl_ord_id.encode("latin-1"),
                b"55=%s\x01" % symbol,
                instrument,
                symbol,
                decimals,
            )
            fo.cum = order.cum_qty
            fo.cost = order.cum_cost
            fo.account = order.account.encode("latin-1") if order.account else None
            order.tag = fo
        elif not isinstance(fo, FixOrder):
            continue  # another protocol's order under the same session name
        cl = fo.cl_ord_id
        entry.by_cl_ord_id[cl] = order.order_id
        entry.orders[order.order_id] = order
        entry.used.add(cl)
        adopted += 1
    return adopted
