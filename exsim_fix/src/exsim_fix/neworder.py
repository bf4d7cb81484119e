"""NewOrderSingle: the fields of every order type, time in force and peg the venue
supports, turned into an :class:`exsim_core.Order` (or a reason to refuse it).

OrdType(40) 1 market, 2 limit, 3 stop, 4 stop limit, P pegged, K market with leftover
as limit; TimeInForce(59) 0-7 (absent: day) with ExpireTime(126) or ExpireDate(432)
for GTD; ExecInst(18) R/P/M for primary, market and midpoint pegs (PegPriceType(1094)
in FIX 5.0 SP2) and 6 for post-only; PegOffsetValue / PegDifference(211) in price or,
with PegOffsetType(836)=2, in ticks; MinQty(110), MaxFloor(111) or MaxShow(210),
StopPx(99), Account(1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from exsim_core import Order
from exsim_core.enums import PegType

from .amounts import to_units
from .routing import ROUTING_TAGS as _ROUTING
from .routing import reverse_route
from .timefmt import parse_date, parse_timestamp

if TYPE_CHECKING:
    from exsim_core import InstrumentBase

    from .orders import OrderEntry

__all__ = ["ORD_TYPES", "SIDES", "TIFS", "FixOrder", "build_order", "price_units", "qty_units"]

SIDES = {b"1": 1, b"2": 2, b"5": 2, b"6": 2}
ORD_TYPES = {
    b"1": "market",
    b"2": "limit",
    b"3": "stop",
    b"4": "stop_limit",
    b"P": "peg",
    b"K": "market_to_limit",
}
TIFS = {b"0": 0, b"1": 1, b"2": 2, b"3": 3, b"4": 4, b"5": 5, b"6": 6, b"7": 7}
_PEG_INST = {b"R": PegType.PRIMARY, b"P": PegType.MARKET, b"M": PegType.MIDPOINT}
_PEG_PRICE_TYPE = {b"5": PegType.PRIMARY, b"4": PegType.MARKET, b"2": PegType.MIDPOINT}
_ECHO = (b"55", b"65", b"48", b"22", b"167", b"200", b"541", b"201", b"202", b"15")
_ECHO_EXTRA = frozenset(_ECHO[1:])
#: tags of the less common order details (see _details): a plain order has none
_DETAILS = frozenset((b"126", b"432", b"18", b"1094", b"211", b"110", b"111", b"210"))


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
        "route",
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
        #: trade id -> ExecID of this order's fill in it (for busts and corrections);
        #: None until the first fill (most orders never fill)
        self.fills: dict[int, bytes] | None = None
        #: routing header fields of its reports (OnBehalfOf answered with DeliverTo)
        self.route = b""


def build_order(
    entry: OrderEntry, values: dict[bytes, bytes], instrument: InstrumentBase, cl: bytes
) -> tuple[Order | None, str]:
    get = values.get
    symbol = values[b"55"]
    if not _ECHO_EXTRA.isdisjoint(values):
        echo = b"".join(b"%s=%s\x01" % (t, values[t]) for t in _ECHO if t in values)
    else:
        echo = b"55=%s\x01" % symbol
    decimals = entry.decimals.get(instrument.symbol)
    if decimals is None:
        decimals = entry.decimals[instrument.symbol] = (
            len(str(instrument.price_scale)) - 1,
            len(str(instrument.qty_scale)) - 1,
        )
    fo = FixOrder(cl, echo, instrument, symbol, decimals)
    side = SIDES.get(values[b"54"])
    if side is None:
        return (
            None,
            f"Side(54) {_t(values[b'54'])} is not supported: use 1 (buy), 2 (sell), "
            "5 or 6 (sell short)",
        )
    qty_b = get(b"38")
    if qty_b is None:
        return None, ("OrderQty(38) is required (CashOrderQty and OrderPercent are not supported)")
    qty = to_units(qty_b, fo.qty_dec)
    if qty is None:
        return None, (f"OrderQty(38) {_t(qty_b)} is finer than {instrument.symbol}'s lot precision")
    ord_type = ORD_TYPES.get(values[b"40"])
    if ord_type is None:
        return None, (
            f"OrdType(40) {_t(values[b'40'])} is not supported; supported: 1 market, 2 limit, "
            "3 stop, 4 stop limit, P pegged, K market with leftover as limit"
        )
    price_b = get(b"44")
    price = None if price_b is None else price_units(price_b, fo)
    stop_b = get(b"99")
    stop = None if stop_b is None else price_units(stop_b, fo)
    if price == -1 or stop == -1:
        return None, (f"Price(44) or StopPx(99) is finer than {instrument.symbol}'s tick precision")
    tif_b = get(b"59", b"0")
    tif = TIFS.get(tif_b)
    if tif is None:
        return None, f"TimeInForce(59) {_t(tif_b)} is not a FIX time in force (0-7)"
    if _DETAILS.isdisjoint(values):
        expire_ns, peg, post_only, peg_offset, min_qty, display = _PLAIN
    else:
        details = _details(entry, values, fo, instrument)
        if isinstance(details, str):
            return None, details
        expire_ns, peg, post_only, peg_offset, min_qty, display = details
    account = get(b"1")
    fo.account = account
    if not _ROUTING.isdisjoint(values):
        fo.route = reverse_route(values)
    order = Order(
        instrument.symbol,
        side,
        qty,
        price,
        ord_type,
        tif,
        cl.decode("latin-1"),
        entry.session_id,
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


_Details = tuple[int | None, int, bool, int, int, int]
#: the details of a plain order: no expiry time, peg, post-only, minimum or display qty
_PLAIN: _Details = (None, 0, False, 0, 0, 0)


def _details(
    entry: OrderEntry, values: dict[bytes, bytes], fo: FixOrder, instrument: InstrumentBase
) -> _Details | str:
    """ExpireTime or ExpireDate, ExecInst, PegPriceType, the peg offset, MinQty and
    MaxFloor/MaxShow of an order that has any of them, or why they are refused."""
    get = values.get
    expire_ns = None
    if b"126" in values:
        expire_ns = parse_timestamp(values[b"126"])
    elif b"432" in values:
        day = parse_date(values[b"432"])
        if day is None:
            return f"ExpireDate(432) {_t(values[b'432'])} is not a date (YYYYMMDD)"
        from .timefmt import epoch_ns

        expire_ns = entry.venue.next_end_of_day(epoch_ns(day))
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
            return f"PegPriceType(1094) {_t(values[b'1094'])} is not supported (2, 4, 5)"
    peg_offset = 0
    offset_b = get(b"211")
    if offset_b is not None:
        if get(b"836") == b"2":
            if not offset_b.lstrip(b"-").isdigit():
                return f"PegOffsetValue(211) {_t(offset_b)} is not a whole number of ticks"
            peg_offset = int(offset_b)
        else:
            units = to_units(offset_b, fo.price_dec)
            tick = instrument.tick_units
            if units is None or units % tick:
                return f"peg offset {_t(offset_b)} is not a multiple of the tick size"
            peg_offset = units // tick
    min_qty = qty_units(get(b"110"), fo)
    display = qty_units(get(b"111") or get(b"210"), fo)
    if min_qty < 0 or display < 0:
        return "MinQty(110) or MaxFloor(111) is finer than the lot precision"
    return expire_ns, peg, post_only, peg_offset, min_qty, display


def price_units(value: bytes | None, fo: FixOrder) -> int | None:
    if value is None:
        return None
    units = to_units(value, fo.price_dec)
    return -1 if units is None else units


def qty_units(value: bytes | None, fo: FixOrder) -> int:
    if value is None:
        return 0
    units = to_units(value, fo.qty_dec)
    return -1 if units is None else units


def _t(value: bytes) -> str:
    return value.decode("latin-1")
