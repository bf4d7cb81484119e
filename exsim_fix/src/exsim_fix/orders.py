"""Order entry: NewOrderSingle, OrderCancelRequest, OrderCancelReplaceRequest,
OrderStatusRequest and OrderMassCancelRequest become the venue's commands.

Each order keeps its FIX state in ``Order.tag`` (a :class:`FixOrder`): the ClOrdID of
the chain, the instrument fields to echo, and the quantities as last reported, so every
ExecutionReport is consistent with the ones before it. The session keeps two maps,
ClOrdID -> order id and order id -> the order's current object (an order that moves in
the book becomes a new object with the same id).

Duplicate ClOrdIDs are refused as a venue does: a NewOrderSingle with a ClOrdID the
session has used today is rejected (OrdRejReason 6), unless it carries PossResend=Y, in
which case it is ignored (FIX session test case 19a); a cancel or replace with a used
ClOrdID gets an OrderCancelReject (CxlRejReason 6 from FIX 4.4, 2 before).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from exsim_core import Cancel, MassCancel, Order, Replace

from .instruments import resolve
from .neworder import ORD_TYPES, SIDES, TIFS, FixOrder, build_order, price_units, qty_units
from .restore import adopt_orders

if TYPE_CHECKING:
    from .application import Application
    from .codec import FixMessage

__all__ = ["FixCancel", "FixOrder", "FixReplace", "OrderEntry"]


class FixCancel(Cancel):
    """A cancel that remembers the OrigClOrdID(41) the client sent."""

    __slots__ = ("orig",)
    orig: bytes


class FixReplace(Replace):
    """A replace that remembers the OrigClOrdID(41) the client sent."""

    __slots__ = ("orig",)
    orig: bytes


class OrderEntry:
    """Turns one session's order messages into venue commands."""

    def __init__(self, app: Application) -> None:
        self.app = app
        self.venue = app.venue
        self.session_id = app.session_id
        self.used: set[bytes] = set()
        self.by_cl_ord_id: dict[bytes, int] = {}
        self.orders: dict[int, Order] = {}
        self.decimals: dict[str, tuple[int, int]] = {}
        # after a restart the venue holds the session's live orders without FIX state
        adopt_orders(self)

    def find(self, values: dict[bytes, bytes], cl_tag: bytes = b"41") -> Order | None:
        """The order a request names by OrigClOrdID (or ClOrdID) or OrderID(37)."""
        order_id = self.by_cl_ord_id.get(values.get(cl_tag, b""))
        if order_id is None:
            oid = values.get(b"37", b"")
            if oid.isdigit():
                order_id = int(oid)
        return self.orders.get(order_id) if order_id is not None else None

    # ------------------------------------------------------------------ new order
    def new_order(self, msg: FixMessage) -> None:
        values = msg.values
        app = self.app
        cl = values[b"11"]
        if cl in self.used:
            if values.get(b"97") == b"Y":
                return  # a PossResend of an order already received (test case 19a)
            app.reject_order(values, 6, f"duplicate ClOrdID {cl.decode('latin-1')}")
            return
        self.used.add(cl)
        instrument, why = resolve(self.venue, values)
        if instrument is None:
            app.reject_order(values, 1, why)
            return
        order, why = build_order(self, values, instrument, cl)
        if order is None:
            app.reject_order(values, 99, why)
            return
        self.venue.submit(order)

    # ------------------------------------------------------------------ cancel, replace
    def cancel(self, msg: FixMessage) -> None:
        values = msg.values
        cl, orig = values[b"11"], values[b"41"]
        app = self.app
        if cl in self.used:
            app.cancel_reject(
                cl, orig, None, response_to=1, reason=6, text=f"duplicate ClOrdID {_t(cl)}"
            )
            return
        self.used.add(cl)
        order = self.find(values)
        if order is None:
            app.cancel_reject(
                cl,
                orig,
                None,
                response_to=1,
                reason=1,
                text=f"unknown order OrigClOrdID {_t(orig)}",
            )
            return
        req = FixCancel(order.order_id, self.session_id, cl.decode("latin-1"))
        req.orig = orig
        self.by_cl_ord_id[cl] = order.order_id
        if isinstance(order.tag, FixOrder):
            order.tag.cancel_req = (cl, orig)
        self.venue.cancel(req)

    def replace(self, msg: FixMessage) -> None:
        values = msg.values
        cl, orig = values[b"11"], values[b"41"]
        app = self.app
        if cl in self.used:
            app.cancel_reject(
                cl, orig, None, response_to=2, reason=6, text=f"duplicate ClOrdID {_t(cl)}"
            )
            return
        self.used.add(cl)
        order = self.find(values)
        if order is None:
            app.cancel_reject(
                cl,
                orig,
                None,
                response_to=2,
                reason=1,
                text=f"unknown order OrigClOrdID {_t(orig)}",
            )
            return
        fo = order.tag
        if not isinstance(fo, FixOrder):
            app.cancel_reject(
                cl, orig, order, response_to=2, reason=1, text="order not entered over FIX"
            )
            return
        why = ""
        if SIDES.get(values[b"54"]) != order.side:
            why = "Side(54) cannot be changed"
        elif values[b"55"] != fo.symbol:
            why = "Symbol(55) cannot be changed"
        elif ORD_TYPES.get(values[b"40"]) != order.ord_type:
            why = "OrdType(40) cannot be changed"
        qty = qty_units(values.get(b"38"), fo) if b"38" in values else None
        price = price_units(values.get(b"44"), fo)
        stop = price_units(values.get(b"99"), fo)
        display = qty_units(values.get(b"111") or values.get(b"210"), fo)
        tif = TIFS.get(values.get(b"59", b"")) if b"59" in values else None
        if not why and (qty == -1 or price == -1 or stop == -1 or display < 0):
            why = "a price or quantity is finer than the instrument's precision"
        if why:
            app.cancel_reject(cl, orig, order, response_to=2, reason=2, text=why)
            return
        req = FixReplace(
            order.order_id,
            self.session_id,
            cl.decode("latin-1"),
            qty,
            price,
            stop,
            display if (b"111" in values or b"210" in values) else None,
            tif,
        )
        req.orig = orig
        self.by_cl_ord_id[cl] = order.order_id
        self.venue.replace(req)

    def mass_cancel(self, msg: FixMessage) -> None:
        values = msg.values
        kind = values[b"530"]
        symbol = None
        if kind == b"1":
            instrument, why = resolve(self.venue, values)
            if instrument is None:
                self.app.mass_cancel_reject(values, 1, why)
                return
            symbol = instrument.symbol
        elif kind != b"7":
            self.app.mass_cancel_reject(
                values, 0, f"MassCancelRequestType(530) {_t(kind)} is not supported (1, 7)"
            )
            return
        side = SIDES.get(values.get(b"54", b""))
        req = MassCancel(
            self.session_id, symbol, side, cl_ord_id=values[b"11"].decode("latin-1"), tag=kind
        )
        self.venue.mass_cancel(req)

    def cancel_all(self) -> None:
        """Cancel-on-disconnect."""
        self.venue.cancel_session(self.session_id)


def _t(value: bytes) -> str:
    return value.decode("latin-1")
