"""OUCH 5.0 Enter Order and Replace Order turned into the venue's commands.

Validation follows the order of the message; the first problem found decides the
Rejected reason code (PROTOCOLS.md 3.6). See :mod:`exsim_ouch.entry50` for the mapping.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exsim_core import BUY, SELL, Order, PegType, Replace, TimeInForce

from . import appendage as ap
from .convert import MARKET_PRICES, MAX_PRICE, MAX_SHARES
from .tags import OrderTag

if TYPE_CHECKING:
    from .entry50 import Account50
    from .ouch50 import EnterOrder, ReplaceOrder

__all__ = ["OrderBuilder50"]

_SIDES = {b"B": BUY, b"S": SELL, b"T": SELL, b"E": SELL}
_PEGS = {
    b"L": 0,
    b"P": int(PegType.MARKET),
    b"M": int(PegType.MIDPOINT),
    b"R": int(PegType.PRIMARY),
}
_DAY, _IOC, _GTD = int(TimeInForce.DAY), int(TimeInForce.IOC), int(TimeInForce.GTD)
_TIFS = {b"0": _DAY, b"5": _DAY, b"E": _DAY, b"3": _IOC, b"6": _GTD}
_DISCRETION = (ap.DISCRETION_PRICE, ap.DISCRETION_PRICE_TYPE, ap.DISCRETION_PEG_OFFSET)
_NS = 1_000_000_000
_FIRM_CHARS = b" 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

#: the names of an order's entered fields (OrderTag.fields), Accepted's first
_FIELDS = (
    "side", "quantity", "symbol", "price", "tif", "display", "capacity", "iso", "cross",
    "clordid", "options", "echo", "firm", "group", "price_type", "post_only",
)  # fmt: skip
#: time in force letters the fast path takes (GTD needs an option)
_PLAIN_TIFS = {b"0": _DAY, b"5": _DAY, b"E": _DAY, b"3": _IOC}
_CAPACITIES = (b"A", b"P", b"R")
_ISO = (b"Y", b"N")

INVALID_DISPLAY = 0x0003
INVALID_MAX_FLOOR = 0x0004
INVALID_PEG = 0x0005
INVALID_SIDE = 0x0009
FIRM_NOT_AUTHORIZED = 0x000C
INVALID_MIN_QTY = 0x000D
OTHER = 0x000F
INVALID_QUANTITY = 0x0013
INVALID_CROSS = 0x0014
INVALID_SYMBOL = 0x0017
INVALID_PRICE = 0x001D


class _Refused(Exception):
    """An order field is invalid: ``code`` is the Rejected reason."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class OrderBuilder50:
    """Builds orders and replaces for one :class:`~exsim_ouch.entry50.Account50`."""

    def __init__(self, account: Account50) -> None:
        self.acct = account

    @staticmethod
    def side(letter: bytes) -> int | None:
        """The core side of an OUCH side letter (None: not a side)."""
        return _SIDES.get(letter)

    def qty_scale(self, order: Order) -> int:
        scale = self.acct.scale(order.symbol)
        return scale[1] if scale is not None else 1

    def wire_price(self, order: Order, raw: int) -> int:
        """The price to report: the venue's (after a post-only re-price) for a limit
        order, the entered one for market and pegged orders."""
        if order.price is None or order.peg:
            return raw
        scale = self.acct.scale(order.symbol)
        return scale[0].to_wire(order.price) if scale is not None else raw

    # ------------------------------------------------------------------ fields
    def _price(self, symbol: str, raw: int, peg: int) -> tuple[int | None, str]:
        scale = self.acct.scale(symbol)
        assert scale is not None
        if raw in MARKET_PRICES:
            if peg:
                raise _Refused(INVALID_PRICE)
            return None, "market"
        if raw == 0 and peg:
            return None, "peg"
        price = scale[0].to_units(raw) if 0 < raw <= MAX_PRICE else None
        if price is None:
            raise _Refused(INVALID_PRICE)
        return price, "peg" if peg else "limit"

    def _peg(self, symbol: str, options: dict[int, bytes]) -> tuple[int, int]:
        peg = _PEGS.get(options.get(ap.PRICE_TYPE, b"L"))
        if peg is None:
            raise _Refused(INVALID_PEG)
        raw = options.get(ap.PEG_OFFSET)
        if raw is None:
            return peg, 0
        if not peg:
            raise _Refused(INVALID_PEG)
        offset = ap.signed(raw)
        scale = self.acct.scale(symbol)
        inst = self.acct.venue.instruments[symbol]
        assert scale is not None
        units = scale[0].to_units(abs(offset))
        if units is None or units % inst.tick_units:
            raise _Refused(INVALID_PRICE)
        ticks = units // inst.tick_units
        return peg, ticks if offset >= 0 else -ticks

    def _tif(self, tif: bytes, options: dict[int, bytes]) -> tuple[int, int | None]:
        core = _TIFS.get(tif)
        if core is None:
            raise _Refused(OTHER)
        if core != _GTD:
            return core, None
        raw = options.get(ap.EXPIRE_TIME)
        seconds = ap.number(raw) if raw is not None else 0
        if not 0 < seconds < 86_400:
            raise _Refused(OTHER)
        return core, self.acct.clock.now_ns() + seconds * _NS

    @staticmethod
    def _qty_option(options: dict[int, bytes], tag: int, qty: int, code: int) -> int:
        raw = options.get(tag)
        value = ap.number(raw) if raw is not None else 0
        if value > qty:
            raise _Refused(code)
        return value

    @staticmethod
    def _common(options: dict[int, bytes], display: bytes) -> None:
        if display not in (b"Y", b"A"):
            raise _Refused(INVALID_DISPLAY)
        if any(t in options for t in _DISCRETION):
            raise _Refused(OTHER)
        if options.get(ap.HANDLE_INST) == b"I":
            raise _Refused(INVALID_CROSS)
        if options.get(ap.POST_ONLY, b"N") not in (b"P", b"N"):
            raise _Refused(OTHER)

    # ------------------------------------------------------------------ commands
    def order(self, msg: EnterOrder, key: tuple[int, int]) -> tuple[int, Order | None]:
        """The order an Enter Order asks for, or the reason code to reject it."""
        try:
            return 0, self._order(msg, key)
        except _Refused as refused:
            return refused.code, None

    def plain_order(self, msg: EnterOrder, key: tuple[int, int]) -> Order | None:
        """The order of a plain Enter Order: no options, a known symbol, a limit price,
        Day or IOC, display Y or A, no cross, the login's firm; the same order
        :meth:`order` builds, built faster. None for anything else (then :meth:`order`
        decides, and finds the reason to reject)."""
        (_, _, side_code, qty, symbol_field, raw_price, tif_code, display, capacity, iso, cross,
         clordid, options) = msg  # fmt: skip
        acct = self.acct
        known = acct.stocks.get(symbol_field)
        if known is None:
            known = acct.stock(symbol_field)
        side = _SIDES.get(side_code)
        tif = _PLAIN_TIFS.get(tif_code)
        blank = acct.blank_firm
        if (
            options
            or known is None
            or side is None
            or tif is None
            or blank is None
            or not 0 < qty < MAX_SHARES
            or not 0 < raw_price <= MAX_PRICE
            or cross != b"N"
            or iso not in _ISO
            or (display != b"Y" and display != b"A")
        ):
            return None
        symbol, scale, qs = known
        div = scale.div
        if div:
            if raw_price % div:
                return None
            price = raw_price // div
        else:
            price = raw_price * scale.mul
        firm, account = blank
        if capacity not in _CAPACITIES:
            capacity = b"O"
        entered = (side_code, qty, symbol_field, raw_price, tif_code, display, capacity, iso,
                   cross, clordid, b"", None, firm, None, b"L", b"N")  # fmt: skip
        return Order(
            symbol,
            side,
            qty * qs,
            price,
            "limit",
            tif,
            cl_ord_id=clordid.decode("ascii", "replace").strip(),
            session=acct.sid,
            account=account,
            tag=OrderTag.lazy(key, _FIELDS, entered, firm if display == b"A" else None),
        )

    def _order(self, msg: EnterOrder, key: tuple[int, int]) -> Order:
        acct = self.acct
        side = _SIDES.get(msg.side)
        if side is None:
            raise _Refused(INVALID_SIDE)
        qty = msg.quantity
        if not 0 < qty < MAX_SHARES:
            raise _Refused(INVALID_QUANTITY)
        symbol = msg.symbol.strip(b" ").decode("ascii", "replace")
        scale = acct.scale(symbol)
        if scale is None:
            raise _Refused(INVALID_SYMBOL)
        if msg.cross_type != b"N":
            raise _Refused(INVALID_CROSS)
        options = msg.options
        self._common(options, msg.display)
        peg, offset = self._peg(symbol, options)
        price, ord_type = self._price(symbol, msg.price, peg)
        tif, expire_ns = self._tif(msg.tif, options)
        min_qty = self._qty_option(options, ap.MIN_QTY, qty, INVALID_MIN_QTY)
        floor = self._qty_option(options, ap.MAX_FLOOR, qty, INVALID_MAX_FLOOR)
        if msg.iso not in (b"Y", b"N") or options.get(ap.CUSTOMER_TYPE, b"N") not in (b"R", b"N"):
            raise _Refused(OTHER)
        firm = options.get(ap.FIRM, acct.firm)
        if firm.translate(None, _FIRM_CHARS):
            raise _Refused(FIRM_NOT_AUTHORIZED)
        qs = scale[1]
        fields: dict[str, Any] = {
            "side": msg.side,
            "quantity": qty,
            "symbol": msg.symbol,
            "price": msg.price,
            "tif": msg.tif,
            "display": msg.display,
            "capacity": msg.capacity if msg.capacity in (b"A", b"P", b"R") else b"O",
            "iso": msg.iso,
            "cross": msg.cross_type,
            "clordid": msg.clordid,
            "options": ap.encode(options.items()),
            "echo": ap.idx_echo(key[0]),
            "firm": firm,
            "group": options.get(ap.GROUP_ID),
            "price_type": options.get(ap.PRICE_TYPE, b"L"),
            "post_only": options.get(ap.POST_ONLY, b"N"),
        }
        return Order(
            symbol,
            side,
            qty * qs,
            price,
            ord_type,
            tif,
            cl_ord_id=msg.clordid.decode("ascii", "replace").strip(),
            session=acct.sid,
            account=firm.decode("ascii").strip() or None,
            display=floor * qs,
            min_qty=min_qty * qs,
            post_only=fields["post_only"] == b"P",
            peg=peg,
            peg_offset=offset,
            expire_ns=expire_ns,
            tag=OrderTag(key, fields, firm if msg.display == b"A" else None),
        )

    def replacement(
        self, order: Order, tag: OrderTag, msg: ReplaceOrder, key: tuple[int, int]
    ) -> Replace | None:
        """The venue's Replace for a Replace Order, or None when it is invalid (the
        original is then canceled, as the specification says)."""
        try:
            return self._replacement(order, tag, msg, key)
        except _Refused:
            return None

    def _replacement(
        self, order: Order, tag: OrderTag, msg: ReplaceOrder, key: tuple[int, int]
    ) -> Replace:
        scale = self.acct.scale(order.symbol)
        qty = msg.quantity
        if scale is None or not 0 < qty < MAX_SHARES:
            raise _Refused(INVALID_QUANTITY)
        options = msg.options
        self._common(options, msg.display)
        f = tag.fields
        if options.get(ap.PRICE_TYPE, f["price_type"]) != f["price_type"]:
            raise _Refused(INVALID_PEG)
        if options.get(ap.POST_ONLY, f["post_only"]) != f["post_only"]:
            raise _Refused(OTHER)
        side_letter = options.get(ap.SIDE, f["side"])
        if _SIDES.get(side_letter) != order.side:
            raise _Refused(INVALID_SIDE)
        peg, _ = self._peg(order.symbol, options | {ap.PRICE_TYPE: f["price_type"]})
        price, _ = self._price(order.symbol, msg.price, peg)
        if not peg and (price is None) != (order.price is None):
            raise _Refused(INVALID_PRICE)
        if _TIFS.get(msg.tif) != order.tif or msg.iso not in (b"Y", b"N"):
            raise _Refused(OTHER)
        self._qty_option(options, ap.MIN_QTY, qty, INVALID_MIN_QTY)
        floor = self._qty_option(options, ap.MAX_FLOOR, qty, INVALID_MAX_FLOOR)
        changes = {
            "side": side_letter,
            "quantity": qty,
            "price": msg.price,
            "tif": msg.tif,
            "display": msg.display,
            "iso": msg.iso,
            "clordid": msg.clordid,
            "options": ap.encode(options.items()),
        }
        new_tag = tag.successor(key, changes)
        new_tag.mpid = f["firm"] if msg.display == b"A" else None
        qs = scale[1]
        return Replace(
            order.order_id,
            self.acct.sid,
            cl_ord_id=msg.clordid.decode("ascii", "replace").strip(),
            qty=order.cum_qty + qty * qs,
            price=price,
            display=floor * qs if ap.MAX_FLOOR in options else None,
            tag=new_tag,
        )
