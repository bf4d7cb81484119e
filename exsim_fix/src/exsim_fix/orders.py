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
from exsim_core.enums import PegType

from .amounts import to_units
from .instruments import resolve
from .timefmt import parse_date, parse_timestamp

if TYPE_CHECKING:
    from exsim_core import InstrumentBase

    from .application import Application
    from .codec import FixMessage

__all__ = ["FixCancel", "FixOrder", "FixReplace", "OrderEntry"]

_SIDES = {b"1": 1, b"2": 2, b"5": 2, b"6": 2}
_ORD_TYPES = {
    b"1": "market",
    b"2": "limit",
    b"3": "stop",
    b"4": "stop_limit",
    b"P": "peg",
    b"K": "market_to_limit",
}
_TIFS = {b"0": 0, b"1": 1, b"2": 2, b"3": 3, b"4": 4, b"5": 5, b"6": 6, b"7": 7}
_PEG_INST = {b"R": PegType.PRIMARY, b"P": PegType.MARKET, b"M": PegType.MIDPOINT}
_PEG_PRICE_TYPE = {b"5": PegType.PRIMARY, b"4": PegType.MARKET, b"2": PegType.MIDPOINT}
_ECHO = (b"55", b"65", b"48", b"22", b"167", b"200", b"541", b"201", b"202", b"15")
_ECHO_EXTRA = frozenset(_ECHO[1:])


class FixOrder:
    """What FIX remembers of one order (kept in ``Order.tag``)."""

    __slots__ = (
        "account",
        "cancel_req",
        "cl_ord_id",
        "cost",
        "cum",
        "echo",
        "fills",
        "instrument",
        "price_dec",
        "qty_dec",
        "symbol",
    )

    def __init__(
        self,
        cl_ord_id: bytes,
        echo: bytes,
        instrument: InstrumentBase,
        symbol: bytes,
        decimals: tuple[int, int],
    ) -> None:
        self.cl_ord_id = cl_ord_id
        self.symbol = symbol
        self.echo = echo
        self.instrument = instrument
        self.price_dec, self.qty_dec = decimals
        self.cum = 0
        self.cost = 0
        self.account: bytes | None = None
        self.cancel_req: tuple[bytes, bytes] | None = None
        #: trade id -> ExecID of this order's fill in it (for busts and corrections)
        self.fills: dict[int, bytes] = {}


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
        self._decimals: dict[str, tuple[int, int]] = {}

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
        order, why = self._order(values, instrument, cl)
        if order is None:
            app.reject_order(values, 99, why)
            return
        self.venue.submit(order)

    def _order(
        self, values: dict[bytes, bytes], instrument: InstrumentBase, cl: bytes
    ) -> tuple[Order | None, str]:
        get = values.get
        symbol = values[b"55"]
        if not _ECHO_EXTRA.isdisjoint(values):
            echo = b"".join(b"%s=%s\x01" % (t, values[t]) for t in _ECHO if t in values)
        else:
            echo = b"55=%s\x01" % symbol
        decimals = self._decimals.get(instrument.symbol)
        if decimals is None:
            decimals = self._decimals[instrument.symbol] = (
                len(str(instrument.price_scale)) - 1,
                len(str(instrument.qty_scale)) - 1,
            )
        fo = FixOrder(cl, echo, instrument, symbol, decimals)
        side = _SIDES.get(values[b"54"])
        if side is None:
            return (
                None,
                f"Side(54) {_t(values[b'54'])} is not supported: use 1 (buy), 2 (sell), "
                "5 or 6 (sell short)",
            )
        qty_b = get(b"38")
        if qty_b is None:
            return None, (
                "OrderQty(38) is required (CashOrderQty and OrderPercent are not supported)"
            )
        qty = to_units(qty_b, fo.qty_dec)
        if qty is None:
            return None, (
                f"OrderQty(38) {_t(qty_b)} is finer than {instrument.symbol}'s lot precision"
            )
        ord_type = _ORD_TYPES.get(values[b"40"])
        if ord_type is None:
            return None, (
                f"OrdType(40) {_t(values[b'40'])} is not supported; supported: 1 market, 2 limit, "
                "3 stop, 4 stop limit, P pegged, K market with leftover as limit"
            )
        price = self._price(get(b"44"), fo)
        stop = self._price(get(b"99"), fo)
        if price == -1 or stop == -1:
            return None, (
                f"Price(44) or StopPx(99) is finer than {instrument.symbol}'s tick precision"
            )
        tif_b = get(b"59", b"0")
        tif = _TIFS.get(tif_b)
        if tif is None:
            return None, f"TimeInForce(59) {_t(tif_b)} is not a FIX time in force (0-7)"
        expire_ns = None
        if b"126" in values:
            expire_ns = parse_timestamp(values[b"126"])
        elif b"432" in values:
            day = parse_date(values[b"432"])
            if day is None:
                return None, f"ExpireDate(432) {_t(values[b'432'])} is not a date (YYYYMMDD)"
            from .timefmt import epoch_ns

            expire_ns = self.venue.next_end_of_day(epoch_ns(day))
        peg = 0
        post_only = False
        inst = get(b"18")
        if inst:
            for token in inst.split():
                if token in _PEG_INST:
                    peg = _PEG_INST[token]
                elif token == b"6":
                    post_only = True
        if b"1094" in values:
            peg = _PEG_PRICE_TYPE.get(values[b"1094"], 0)
            if not peg:
                return None, f"PegPriceType(1094) {_t(values[b'1094'])} is not supported (2, 4, 5)"
        peg_offset = 0
        offset_b = get(b"211")
        if offset_b is not None:
            if get(b"836") == b"2":
                if not offset_b.lstrip(b"-").isdigit():
                    return None, (
                        f"PegOffsetValue(211) {_t(offset_b)} is not a whole number of ticks"
                    )
                peg_offset = int(offset_b)
            else:
                units = to_units(offset_b, fo.price_dec)
                tick = instrument.tick_units
                if units is None or units % tick:
                    return None, f"peg offset {_t(offset_b)} is not a multiple of the tick size"
                peg_offset = units // tick
        min_qty = self._qty(get(b"110"), fo)
        display = self._qty(get(b"111") or get(b"210"), fo)
        if min_qty < 0 or display < 0:
            return None, "MinQty(110) or MaxFloor(111) is finer than the lot precision"
        account = get(b"1")
        fo.account = account
        order = Order(
            instrument.symbol,
            side,
            qty,
            price,
            ord_type,
            tif,
            cl.decode("latin-1"),
            self.session_id,
            account.decode("latin-1") if account else None,
            stop,
            display,
            min_qty,
            post_only,
            peg,
            peg_offset,
            expire_ns,
            fo,
        )
        return order, ""

    @staticmethod
    def _price(value: bytes | None, fo: FixOrder) -> int | None:
        if value is None:
            return None
        units = to_units(value, fo.price_dec)
        return -1 if units is None else units

    @staticmethod
    def _qty(value: bytes | None, fo: FixOrder) -> int:
        if value is None:
            return 0
        units = to_units(value, fo.qty_dec)
        return -1 if units is None else units

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
        if _SIDES.get(values[b"54"]) != order.side:
            why = "Side(54) cannot be changed"
        elif values[b"55"] != fo.symbol:
            why = "Symbol(55) cannot be changed"
        elif _ORD_TYPES.get(values[b"40"]) != order.ord_type:
            why = "OrdType(40) cannot be changed"
        qty = self._qty(values.get(b"38"), fo) if b"38" in values else None
        price = self._price(values.get(b"44"), fo)
        stop = self._price(values.get(b"99"), fo)
        display = self._qty(values.get(b"111") or values.get(b"210"), fo)
        tif = _TIFS.get(values.get(b"59", b"")) if b"59" in values else None
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
        side = _SIDES.get(values.get(b"54", b""))
        req = MassCancel(
            self.session_id, symbol, side, cl_ord_id=values[b"11"].decode("latin-1"), tag=kind
        )
        self.venue.mass_cancel(req)

    def cancel_all(self) -> None:
        """Cancel-on-disconnect."""
        self.venue.cancel_session(self.session_id)


def _t(value: bytes) -> str:
    return value.decode("latin-1")
