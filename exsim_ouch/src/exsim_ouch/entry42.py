"""OUCH 4.2 order entry: Enter, Replace, Cancel and Modify onto the venue, and its
events back as OUCH 4.2 messages (PROTOCOLS.md 2.5).

Mapping onto the core:

* Time in force 0 is IOC, 99998 (market hours) and 99999 (system hours) are DAY (the
  venue has one end of day), any other value is GTD that many seconds from now.
* Display Y (anonymous) and A (attributable, published in ITCH with the firm's MPID)
  are displayed limit orders; P and L are post-only; M is a midpoint peg and W a
  post-only midpoint peg (the order's price is its limit). The core has no hidden or
  imbalance-only orders, so N, I, the retail types and the mid-point trade-now types are
  rejected with D (invalid display type).
* A price of 0x7FFFFFFF (or $200,000.0000) is a market order; any other price must be an
  exact number of the instrument's price units, or the order is rejected with X.
* Minimum quantity is the core's minimum quantity on arrival; intermarket sweep,
  capacity and customer type are echoed (ISO is a flag only); cross types other than N
  are rejected with R (the venue runs no crosses).
* Replace Order's shares and Modify Order's shares are the new open quantity (shares
  already executed are not counted); Cancel Order's shares is the intended size left.
"""

from __future__ import annotations

from exsim_core import (
    BUY,
    SELL,
    Cancel,
    CancelReason,
    Order,
    PegType,
    RejectReason,
    Replace,
    TimeInForce,
)

from . import ouch42 as m42
from .account import FIRM_CHARS, Event, OuchAccount
from .convert import (
    CANCEL_LETTER,
    LIQUIDITY_LETTER,
    MARKET_PRICES,
    MAX_PRICE,
    MAX_SHARES,
    REJECT_LETTER_42,
)
from .errors import DecodeError
from .restore import Tags, recover42
from .tags import OrderTag

__all__ = ["Account42"]

_SIDES = {b"B": BUY, b"S": SELL, b"T": SELL, b"E": SELL}
#: display letter -> (post only, peg)
_DISPLAYS = {
    b"Y": (False, 0),
    b"A": (False, 0),
    b"P": (True, 0),
    b"L": (True, 0),
    b"M": (False, int(PegType.MIDPOINT)),
    b"W": (True, int(PegType.MIDPOINT)),
}
_ATTRIBUTABLE = frozenset({b"A", b"L"})
_DAY = int(TimeInForce.DAY)
_IOC = int(TimeInForce.IOC)
_GTD = int(TimeInForce.GTD)
_GONE = frozenset({RejectReason.UNKNOWN_ORDER, RejectReason.TOO_LATE, RejectReason.NOT_OWNER})
#: a replace the venue decided to refuse (managed mode): not an invalid one
_DECIDED = RejectReason.VENUE_DECISION
_NS = 1_000_000_000
_USER = int(CancelReason.USER)

#: the names of an order's entered fields (OrderTag.fields), in the order of Accepted
_FIELDS = (
    "side", "shares", "stock", "price", "tif", "firm", "display", "capacity", "iso", "min_qty",
    "cross",
)  # fmt: skip
#: plain display types (neither post-only nor pegged) -> attributable
_PLAIN_DISPLAYS = {b"Y": False, b"A": True}
_ISO = (b"Y", b"N", b"y")
_CUSTOMER_TYPES = (b"R", b"N", b" ")
_CAPACITIES = (b"A", b"P", b"R")
_BLANK_FIRM = b"    "
_ENTER_SIZE = m42.ENTER.size
_unpack_enter = m42.ENTER.unpack
_pack_accepted = m42.ACCEPTED.pack
_new = tuple.__new__
_EnterOrder = m42.EnterOrder


_PRINTABLE = bytes(range(0x20, 0x7F))


def _printable(token: bytes) -> bool:
    """A token is printable ASCII and not all spaces."""
    return not token.translate(None, _PRINTABLE) and bool(token.strip(b" "))


class Account42(OuchAccount):
    """An OUCH 4.2 login (see the module documentation)."""

    prefix = "ouch42"

    # ------------------------------------------------------------------ inbound
    def handle(self, payload: bytes) -> None:
        if len(payload) == _ENTER_SIZE and payload[0] == 0x4F:
            # Enter Order, the common message, decoded inline as decode() would
            self.enter(_new(_EnterOrder, _unpack_enter(payload)))
            return
        try:
            msg = m42.decode(payload)
        except DecodeError as exc:
            self.debug(f"{exc}; message ignored")
            return
        if isinstance(msg, m42.EnterOrder):
            self.enter(msg)
        elif isinstance(msg, m42.CancelOrder):
            self.cancel(msg)
        elif isinstance(msg, m42.ReplaceOrder):
            self.replace(msg)
        else:
            self.modify(msg)

    def _tif(self, tif: int) -> tuple[int, int | None]:
        if tif == 0:
            return _IOC, None
        if tif >= 99998:
            return _DAY, None
        return _GTD, self.clock.now_ns() + tif * _NS

    def enter(self, msg: m42.EnterOrder) -> None:
        token = msg.token
        if token in self.keys:
            self.debug(f"Enter Order with token {token!r} already used; ignored")
            return
        order = self._plain_order(msg)
        if order is None:
            reason, order = self._order(msg)
            if reason:
                self.keys[token] = 0
                self.emit(m42.rejected(self.day(self.clock.now_ns()), token, reason))
                return
            assert order is not None
        self.venue.submit(order)
        self.keys[token] = order.order_id

    def _plain_order(self, msg: m42.EnterOrder) -> Order | None:
        """The order of a plain Enter Order: a known stock, an alphanumeric token, a
        limit price, IOC or DAY, display Y or A, no cross and the login's firm; the same
        order :meth:`_order` builds, built faster. None for anything else (then
        :meth:`_order` decides, and finds the reason to reject)."""
        (_, token, side_code, shares, stock, raw_price, tif_code, firm_in, display, capacity,
         iso, min_qty, cross, customer) = msg  # fmt: skip
        known = self.stocks.get(stock)
        if known is None:
            known = self.stock(stock)
        attributable = _PLAIN_DISPLAYS.get(display)
        side = _SIDES.get(side_code)
        cl_ord_id = token.rstrip(b" ")
        blank = self.blank_firm
        if (
            known is None
            or attributable is None
            or side is None
            or blank is None
            or firm_in != _BLANK_FIRM
            or not cl_ord_id.isalnum()
            or not 0 < shares < MAX_SHARES
            or not 0 < raw_price <= MAX_PRICE
            or cross != b"N"
            or iso not in _ISO
            or customer not in _CUSTOMER_TYPES
            or min_qty > shares
        ):
            return None
        if tif_code == 0:
            tif = _IOC
        elif tif_code >= 99998:
            tif = _DAY
        else:
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
        entered = (side_code, shares, stock, raw_price, tif_code, firm, display, capacity, iso,
                   min_qty, cross)  # fmt: skip
        return Order(
            symbol,
            side,
            shares * qs,
            price,
            "limit",
            tif,
            cl_ord_id=cl_ord_id.decode("ascii"),
            session=self.sid,
            account=account,
            min_qty=min_qty * qs,
            tag=OrderTag.lazy(token, _FIELDS, entered, firm if attributable else None),
        )

    def _order(self, msg: m42.EnterOrder) -> tuple[bytes, Order | None]:
        token = msg.token
        if not _printable(token):
            return b"O", None
        side = _SIDES.get(msg.side)
        if side is None:
            return b"O", None
        if not 0 < msg.shares < MAX_SHARES:
            return b"Z", None
        symbol = msg.stock.strip(b" ").decode("ascii", "replace")
        scale = self.scale(symbol)
        if scale is None:
            return b"S", None
        if msg.cross_type != b"N":
            return b"R", None
        display = _DISPLAYS.get(msg.display)
        if display is None:
            return b"D", None
        post_only, peg = display
        raw_price = msg.price
        price: int | None
        if raw_price in MARKET_PRICES:
            if peg:
                return b"X", None
            price, ord_type = None, "market"
        else:
            price = scale[0].to_units(raw_price) if 0 < raw_price <= MAX_PRICE else None
            if price is None:
                return b"X", None
            ord_type = "peg" if peg else "limit"
        if msg.iso not in (b"Y", b"N", b"y"):
            return b"O", None
        if msg.customer_type not in (b"R", b"N", b" "):
            return b"O", None
        if msg.min_qty > msg.shares:
            return b"N", None
        firm = msg.firm if msg.firm.strip(b" ") else self.firm
        if firm.translate(None, FIRM_CHARS):
            return b"L", None
        capacity = msg.capacity if msg.capacity in (b"A", b"P", b"R") else b"O"
        qs = scale[1]
        tif, expire_ns = self._tif(msg.tif)
        fields = {
            "side": msg.side,
            "shares": msg.shares,
            "stock": msg.stock,
            "price": raw_price,
            "tif": msg.tif,
            "firm": firm,
            "display": msg.display,
            "capacity": capacity,
            "iso": msg.iso,
            "min_qty": msg.min_qty,
            "cross": msg.cross_type,
        }
        tag = OrderTag(token, fields, firm if msg.display in _ATTRIBUTABLE else None)
        order = Order(
            symbol,
            side,
            msg.shares * qs,
            price,
            ord_type,
            tif,
            cl_ord_id=token.decode("ascii").rstrip(" "),
            session=self.sid,
            account=firm.decode("ascii").strip() or None,
            min_qty=msg.min_qty * qs,
            post_only=post_only,
            peg=peg,
            expire_ns=expire_ns,
            tag=tag,
        )
        return b"", order

    def cancel(self, msg: m42.CancelOrder) -> None:
        order = self.live(msg.token)
        if order is None:
            self.debug(f"Cancel Order for token {msg.token!r}, which is not live; ignored")
            return
        qs = self._qty_scale(order)
        if msg.shares * qs >= order.leaves:
            self.debug(f"Cancel Order for token {msg.token!r} leaves it as it is; ignored")
            return
        self.venue.cancel(
            Cancel(order.order_id, self.sid, leaves_to=msg.shares * qs, tag=order.tag)
        )

    def replace(self, msg: m42.ReplaceOrder) -> None:
        order = self.live(msg.token)
        if order is None:
            self.debug(f"Replace Order for token {msg.token!r}, which is not live; ignored")
            return
        new = msg.new_token
        if new in self.keys or not _printable(new):
            self.debug(f"Replace Order with replacement token {new!r} already used; ignored")
            return
        tag: OrderTag = order.tag
        request = self._replacement(order, tag, msg)
        if request is None:
            self.debug(f"Replace Order for token {msg.token!r} is invalid; the order is canceled")
            self.venue.cancel(Cancel(order.order_id, self.sid, tag=tag))
            return
        self.keys[new] = order.order_id
        self.venue.replace(request)

    def _replacement(self, order: Order, tag: OrderTag, msg: m42.ReplaceOrder) -> Replace | None:
        scale = self.scale(order.symbol)
        display = _DISPLAYS.get(msg.display)
        if scale is None or display is None or not 0 < msg.shares < MAX_SHARES:
            return None
        if display != _DISPLAYS[tag.fields["display"]] or msg.iso not in (b"Y", b"N", b"y"):
            return None
        if msg.min_qty > msg.shares:
            return None
        raw = msg.price
        if raw in MARKET_PRICES:
            if order.price is not None:
                return None
            price = None
        else:
            price = scale[0].to_units(raw) if 0 < raw <= MAX_PRICE else None
            if price is None:
                return None
        tif, _ = self._tif(msg.tif)
        if tif != order.tif:
            return None
        changes = {
            "shares": msg.shares,
            "price": raw,
            "tif": msg.tif,
            "display": msg.display,
            "iso": msg.iso,
            "min_qty": msg.min_qty,
        }
        mpid = tag.fields["firm"] if msg.display in _ATTRIBUTABLE else None
        new_tag = tag.successor(msg.new_token, changes)
        new_tag.mpid = mpid
        return Replace(
            order.order_id,
            self.sid,
            cl_ord_id=msg.new_token.decode("ascii").rstrip(" "),
            qty=order.cum_qty + msg.shares * scale[1],
            price=price,
            tag=new_tag,
        )

    def modify(self, msg: m42.ModifyOrder) -> None:
        order = self.live(msg.token)
        if order is None:
            self.debug(f"Modify Order for token {msg.token!r}, which is not live; ignored")
            return
        tag: OrderTag = order.tag
        if _SIDES.get(msg.side) != order.side:
            self.debug(
                f"Modify Order for token {msg.token!r} changes the side from "
                f"{tag.fields['side']!r} to {msg.side!r}; only sell types may change; ignored"
            )
            return
        if not msg.shares < MAX_SHARES:
            self.debug(f"Modify Order for token {msg.token!r}: too many shares; ignored")
            return
        tag.fields["side"] = msg.side
        qty = msg.shares * self._qty_scale(order)
        if qty == order.leaves:
            ts = self.day(self.clock.now_ns())
            self.emit(m42.order_modified(ts, tag.key, msg.side, msg.shares))
            return
        tag.pending = "modify"
        if qty < order.leaves:
            self.venue.cancel(Cancel(order.order_id, self.sid, leaves_to=qty, tag=tag))
        else:
            self.venue.replace(Replace(order.order_id, self.sid, qty=order.cum_qty + qty, tag=tag))

    def _qty_scale(self, order: Order) -> int:
        scale = self.scale(order.symbol)
        return scale[1] if scale is not None else 1

    # ------------------------------------------------------------------ outbound
    def system_event(self, ts: int, code: bytes) -> bytes:
        return m42.system_event(ts, code)

    def _price(self, order: Order, raw: int) -> int:
        if order.price is None or order.peg:
            return raw
        scale = self.scale(order.symbol)
        return scale[0].to_wire(order.price) if scale is not None else raw

    def on_accepted(self, event: Event, tag: OrderTag, ts: int) -> None:
        order: Order = event[1]
        entered = tag.entered
        if entered is not None:
            # a plain order's Accepted, packed from the entered values (the same bytes)
            (side, shares, stock, raw_price, tif, firm, display, capacity, iso, min_qty,
             cross) = entered  # fmt: skip
            price = order.price
            if price is not None and not order.peg:
                scale = self._scales.get(order.symbol)
                if scale is not None:
                    div = scale[0].div
                    raw_price = price * div if div else price // scale[0].mul
            self.log.append(
                _pack_accepted(
                    b"A", ts, tag.key, side, shares, stock, raw_price, tif, firm, display,
                    order.order_id, capacity, iso, min_qty, cross, b"L", b" ",
                )
            )  # fmt: skip
            return
        f = tag.fields
        self.emit(
            m42.accepted(
                ts, tag.key, f["side"], f["shares"], f["stock"], self._price(order, f["price"]),
                f["tif"], f["firm"], f["display"], order.order_id, f["capacity"], f["iso"],
                f["min_qty"], f["cross"], b"L",
            )
        )  # fmt: skip

    def on_rejected(self, event: Event, tag: OrderTag, ts: int) -> None:
        self.emit(m42.rejected(ts, tag.key, REJECT_LETTER_42.get(event[2], b"O")))

    def on_fill(self, event: Event, tag: OrderTag, ts: int) -> None:
        order: Order = event[1]
        scale = self.scale(order.symbol)
        if scale is None:
            return
        self.emit(
            m42.executed(
                ts,
                tag.key,
                event[2] // scale[1],
                scale[0].to_wire(event[3]),
                LIQUIDITY_LETTER.get(event[6], b"R"),
                event[5],
            )
        )

    def on_canceled(self, event: Event, tag: OrderTag, ts: int) -> None:
        qs = self._qty_scale(event[1])
        if tag.pending == "modify" and event[2] == _USER:
            tag.pending = None
            self.emit(m42.order_modified(ts, tag.key, tag.fields["side"], event[4] // qs))
            return
        self.emit(m42.canceled(ts, tag.key, event[3] // qs, CANCEL_LETTER.get(event[2], b"S")))

    def on_replaced(self, event: Event, tag: OrderTag, ts: int) -> None:
        order: Order = event[1]
        if tag.pending == "modify":
            tag.pending = None
            qs = self._qty_scale(order)
            self.emit(m42.order_modified(ts, tag.key, tag.fields["side"], order.leaves // qs))
            return
        f = tag.fields
        self.emit(
            m42.replaced(
                ts, tag.key, f["side"], f["shares"], f["stock"], self._price(order, f["price"]),
                f["tif"], f["firm"], f["display"], order.seq, f["capacity"], f["iso"],
                f["min_qty"], f["cross"], b"L", tag.prev_key,
            )
        )  # fmt: skip

    def on_cancel_rejected(self, event: Event, tag: OrderTag, ts: int) -> None:
        request, reason, order = event[1], event[2], event[3]
        if isinstance(request, Replace):
            if tag.pending == "modify":
                tag.pending = None
                self.debug(f"Modify Order for token {tag.key!r} refused by the venue")
                return
            self.keys.pop(tag.key, None)
            if reason in _GONE or order is None:
                return
            if reason == _DECIDED:
                # the venue will not change the order now: Rejected, and the original
                # stays as it is (2.5, replace case 3); the replacement token is used
                self.keys[tag.key] = 0
                self.emit(m42.rejected(ts, tag.key, REJECT_LETTER_42.get(reason, b"O")))
                return
            old: OrderTag = order.tag
            self.debug(f"Replace Order for token {old.key!r} is invalid; the order is canceled")
            self.venue.cancel(Cancel(order.order_id, self.sid, tag=old))
            return
        if tag.pending == "modify":
            tag.pending = None
        if reason in _GONE or reason == RejectReason.OTHER or "I" in tag.told:
            return
        tag.told += "I"
        self.emit(m42.cancel_reject(ts, tag.key))

    def on_restated(self, event: Event, tag: OrderTag, ts: int) -> None:
        order: Order = event[1]
        if event[2] is order:
            return
        scale = self.scale(order.symbol)
        level = order.level
        price = level.price if level is not None else order.price
        if scale is None or price is None:
            return
        self.emit(
            m42.priority_update(
                ts, tag.key, scale[0].to_wire(price), tag.fields["display"], order.seq
            )
        )

    def on_held(self, event: Event, tag: OrderTag, ts: int) -> None:
        if event[2] == "cancel" and "P" not in tag.told:
            tag.told += "P"
            self.emit(m42.cancel_pending(ts, tag.key))

    def on_trade_busted(self, order: Order, trade_id: int, now: int) -> None:
        tag = order.tag
        if type(tag) is OrderTag:
            self.emit(m42.broken_trade(self.day(now), tag.key, trade_id, b"S"))

    # ------------------------------------------------------------------ recovery
    def recover(self, message: bytes, tags: Tags) -> None:
        recover42(self, message, tags)
