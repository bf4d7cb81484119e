"""OUCH 5.0 order entry: UserRefNum, 8-byte prices and the optional appendage, onto the
venue (PROTOCOLS.md 3.7).

What differs from OUCH 4.2 (see :mod:`exsim_ouch.entry42` for what is shared):

* An order is known by its UserRefNum, per UserRefIdx channel (option 28). Enter,
  Replace, Mass Cancel and Disable/Enable Order Entry must carry a UserRefNum above the
  last one processed on their channel; a lower one is ignored as a retransmission.
  Account Query answers the next usable number.
* Time in force '0' (Day), '5' (GTX) and 'E' (after hours) are DAY, '3' is IOC, '6' is
  GTD after the ExpireTime option's seconds.
* Display Y is visible, A attributable (ITCH Add Order with MPID: the Firm option or the
  login's firm); N (hidden) is rejected with 0x0003: the core has no hidden orders.
* Options: MinQty, MaxFloor (a reserve order: the display quantity), PriceType
  (L limit, P market peg, M midpoint peg, R primary peg) with PegOffset, PostOnly,
  ExpireTime, Side (on Replace, among sell types). Firm, CustomerType, Route, TradeNow,
  GroupID, SharesLocated, LocateBroker, RandomReserves and the AIQ options are echoed;
  discretion options and HandleInst I (imbalance only) are rejected. Accepted and
  Replaced echo the options as received.
* Rejected reasons are 2-byte codes (:data:`exsim_ouch.convert.REJECT_CODE_50`).
"""

from __future__ import annotations

from typing import Any

from exsim_core import Cancel, Order, RejectReason, Replace

from . import appendage as ap
from . import ouch50 as m50
from .account import Event, OuchAccount
from .convert import CANCEL_LETTER, LIQUIDITY_LETTER, REJECT_CODE_50
from .errors import DecodeError
from .orders50 import OrderBuilder50
from .restore import Tags, recover50
from .tags import OrderTag

__all__ = ["Account50"]

_GONE = frozenset({RejectReason.UNKNOWN_ORDER, RejectReason.TOO_LATE, RejectReason.NOT_OWNER})
#: a replace the venue decided to refuse (managed mode): not an invalid one
_DECIDED = RejectReason.VENUE_DECISION
_REPLACE_NOT_ALLOWED = 0x0015
_USER = 1
DISABLED = 0x000C
_ENTER_SIZE = m50.ENTER.size
_unpack_enter = m50.ENTER.unpack
_pack_accepted = m50.ACCEPTED.pack
_new = tuple.__new__
_EnterOrder = m50.EnterOrder


class Account50(OuchAccount):
    """An OUCH 5.0 login (see the module documentation)."""

    prefix = "ouch50"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        #: last UserRefNum processed, per UserRefIdx channel
        self.last_urn: dict[int, int] = {}
        self.disabled = False
        self.builder = OrderBuilder50(self)
        super().__init__(*args, **kwargs)

    # ------------------------------------------------------------------ inbound
    def handle(self, payload: bytes) -> None:
        if len(payload) == _ENTER_SIZE and payload[0] == 0x4F and payload[-2:] == b"\0\0":
            # Enter Order without options, the common message, decoded inline as
            # decode() would
            fields = _unpack_enter(payload)
            self.enter(_new(_EnterOrder, (*fields[:-1], {})))
            return
        try:
            msg = m50.decode(payload)
        except DecodeError as exc:
            self.debug(f"{exc}; message ignored")
            return
        if isinstance(msg, m50.EnterOrder):
            self.enter(msg)
        elif isinstance(msg, m50.CancelOrder):
            self.cancel(msg)
        elif isinstance(msg, m50.ReplaceOrder):
            self.replace(msg)
        elif isinstance(msg, m50.ModifyOrder):
            self.modify(msg)
        elif isinstance(msg, m50.MassCancel):
            self.mass_cancel(msg)
        elif isinstance(msg, m50.OrderEntryControl):
            self.entry_control(msg)
        else:
            self.account_query(msg)

    def _fresh(self, idx: int, urn: int, what: str) -> bool:
        """Is ``urn`` above the last processed on channel ``idx``? (Records it if so.)"""
        last = self.last_urn.get(idx, 0)
        if urn <= last:
            self.debug(
                f"{what} with UserRefNum {urn} (channel {idx}) not above the last "
                f"processed, {last}: ignored as a retransmission"
            )
            return False
        self.last_urn[idx] = urn
        return True

    @staticmethod
    def _idx(options: dict[int, bytes]) -> int:
        raw = options.get(ap.USER_REF_IDX)
        return raw[0] if raw else 0

    def _now(self) -> int:
        return self.day(self.clock.now_ns())

    def enter(self, msg: m50.EnterOrder) -> None:
        idx = self._idx(msg.options)
        if not self._fresh(idx, msg.urn, "Enter Order"):
            return
        key = (idx, msg.urn)
        echo = ap.idx_echo(idx)
        if self.disabled:
            self.keys[key] = 0
            self.emit(m50.rejected(self._now(), msg.urn, DISABLED, msg.clordid, echo))
            return
        order = self.builder.plain_order(msg, key) if not idx else None
        if order is None:
            code, order = self.builder.order(msg, key)
            if code:
                self.keys[key] = 0
                self.emit(m50.rejected(self._now(), msg.urn, code, msg.clordid, echo))
                return
            assert order is not None
        self.venue.submit(order)
        self.keys[key] = order.order_id

    def cancel(self, msg: m50.CancelOrder) -> None:
        key = (self._idx(msg.options), msg.urn)
        order = self.live(key)
        if order is None:
            self.debug(f"Cancel Order for UserRefNum {msg.urn}, which is not live; ignored")
            return
        qs = self.builder.qty_scale(order)
        if msg.quantity * qs >= order.leaves:
            self.debug(f"Cancel Order for UserRefNum {msg.urn} leaves it as it is; ignored")
            return
        self.venue.cancel(
            Cancel(order.order_id, self.sid, leaves_to=msg.quantity * qs, tag=order.tag)
        )

    def replace(self, msg: m50.ReplaceOrder) -> None:
        idx = self._idx(msg.options)
        order = self.live((idx, msg.orig_urn))
        if order is None:
            self.debug(f"Replace Order for UserRefNum {msg.orig_urn}, which is not live; ignored")
            return
        if not self._fresh(idx, msg.urn, "Replace Order"):
            return
        request = self.builder.replacement(order, order.tag, msg, (idx, msg.urn))
        if request is None:
            self.debug(f"Replace Order for UserRefNum {msg.orig_urn} is invalid; canceled")
            self.venue.cancel(Cancel(order.order_id, self.sid, tag=order.tag))
            return
        self.keys[(idx, msg.urn)] = order.order_id
        self.venue.replace(request)

    def modify(self, msg: m50.ModifyOrder) -> None:
        order = self.live((self._idx(msg.options), msg.urn))
        if order is None:
            self.debug(f"Modify Order for UserRefNum {msg.urn}, which is not live; ignored")
            return
        tag: OrderTag = order.tag
        if self.builder.side(msg.side) != order.side:
            self.debug(
                f"Modify Order for UserRefNum {msg.urn} changes the side from "
                f"{tag.fields['side']!r} to {msg.side!r}; only sell types may change; ignored"
            )
            return
        tag.fields["side"] = msg.side
        qty = msg.quantity * self.builder.qty_scale(order)
        if qty == order.leaves:
            self.emit(
                m50.order_modified(self._now(), msg.urn, msg.side, msg.quantity, tag.fields["echo"])
            )
            return
        tag.pending = "modify"
        if qty < order.leaves:
            self.venue.cancel(Cancel(order.order_id, self.sid, leaves_to=qty, tag=tag))
        else:
            self.venue.replace(Replace(order.order_id, self.sid, qty=order.cum_qty + qty, tag=tag))

    def mass_cancel(self, msg: m50.MassCancel) -> None:
        idx = self._idx(msg.options)
        if not self._fresh(idx, msg.urn, "Mass Cancel Request"):
            return
        symbol = msg.symbol.strip(b" ").decode("ascii", "replace")
        side = self.builder.side(msg.options.get(ap.SIDE, b""))
        group = msg.options.get(ap.GROUP_ID)
        victims = sorted(
            (
                o
                for o in self.venue.orders.values()
                if o.session == self.sid
                and (not symbol or o.symbol == symbol)
                and (side is None or o.side == side)
                and (group is None or _field(o, "group") == group)
            ),
            key=lambda o: o.order_id,
        )
        for order in victims:
            self.venue.cancel(Cancel(order.order_id, self.sid, tag=order.tag))
        options = ap.encode(sorted(msg.options.items()))
        self.emit(m50.mass_cancel_response(self._now(), msg.urn, msg.firm, msg.symbol, options))

    def entry_control(self, msg: m50.OrderEntryControl) -> None:
        if not self._fresh(self._idx(msg.options), msg.urn, "Order entry control"):
            return
        disable = msg.type == b"D"
        self.disabled = disable
        options = ap.encode(sorted(msg.options.items()))
        kind = b"G" if disable else b"K"
        self.emit(m50.entry_control_response(self._now(), kind, msg.urn, msg.firm, options))

    def account_query(self, msg: m50.AccountQuery) -> None:
        idx = self._idx(msg.options)
        next_urn = self.last_urn.get(idx, 0) + 1
        self.emit(m50.account_query_response(self._now(), next_urn, ap.idx_echo(idx)))

    # ------------------------------------------------------------------ outbound
    def system_event(self, ts: int, code: bytes) -> bytes:
        return m50.system_event(ts, code)

    def on_accepted(self, event: Event, tag: OrderTag, ts: int) -> None:
        order: Order = event[1]
        entered = tag.entered
        if entered is not None:
            # a plain order's Accepted, packed from the entered values (the same bytes)
            (side, qty, symbol, raw_price, tif, display, capacity, iso, cross, clordid,
             options) = entered[:11]  # fmt: skip
            price = order.price
            if price is not None and not order.peg:
                scale = self._scales.get(order.symbol)
                if scale is not None:
                    div = scale[0].div
                    raw_price = price * div if div else price // scale[0].mul
            self.log.append(
                _pack_accepted(
                    b"A", ts, tag.key[1], side, qty, symbol, raw_price, tif, display,
                    order.order_id, capacity, iso, cross, b"L", clordid, len(options),
                ) + options
            )  # fmt: skip
            return
        f = tag.fields
        self.emit(
            m50.accepted(
                ts, tag.key[1], f["side"], f["quantity"], f["symbol"],
                self.builder.wire_price(order, f["price"]), f["tif"], f["display"],
                order.order_id, f["capacity"], f["iso"], f["cross"], b"L", f["clordid"],
                f["options"],
            )
        )  # fmt: skip

    def on_rejected(self, event: Event, tag: OrderTag, ts: int) -> None:
        code = REJECT_CODE_50.get(event[2], 0x000F)
        self.emit(m50.rejected(ts, tag.key[1], code, tag.fields["clordid"], tag.fields["echo"]))

    def on_fill(self, event: Event, tag: OrderTag, ts: int) -> None:
        order: Order = event[1]
        scale = self.scale(order.symbol)
        if scale is None:
            return
        self.emit(
            m50.executed(
                ts,
                tag.key[1],
                event[2] // scale[1],
                scale[0].to_wire(event[3]),
                LIQUIDITY_LETTER.get(event[6], b"R"),
                event[5],
                tag.fields["echo"] or b"",
            )
        )

    def on_canceled(self, event: Event, tag: OrderTag, ts: int) -> None:
        qs = self.builder.qty_scale(event[1])
        f = tag.fields
        if tag.pending == "modify" and event[2] == _USER:
            tag.pending = None
            self.emit(m50.order_modified(ts, tag.key[1], f["side"], event[4] // qs, f["echo"]))
            return
        reason = CANCEL_LETTER.get(event[2], b"S")
        self.emit(m50.canceled(ts, tag.key[1], event[3] // qs, reason, f["echo"]))

    def on_replaced(self, event: Event, tag: OrderTag, ts: int) -> None:
        order: Order = event[1]
        f = tag.fields
        if tag.pending == "modify":
            tag.pending = None
            qs = self.builder.qty_scale(order)
            self.emit(m50.order_modified(ts, tag.key[1], f["side"], order.leaves // qs, f["echo"]))
            return
        self.emit(
            m50.replaced(
                ts, tag.prev_key[1], tag.key[1], f["side"], f["quantity"], f["symbol"],
                self.builder.wire_price(order, f["price"]), f["tif"], f["display"], order.seq,
                f["capacity"], f["iso"], f["cross"], b"L", f["clordid"], f["options"],
            )
        )  # fmt: skip

    def on_cancel_rejected(self, event: Event, tag: OrderTag, ts: int) -> None:
        request, reason, order = event[1], event[2], event[3]
        if isinstance(request, Replace):
            if tag.pending == "modify":
                tag.pending = None
                self.debug(f"Modify Order for UserRefNum {tag.key[1]} refused by the venue")
                return
            self.keys.pop(tag.key, None)
            if reason in _GONE or order is None:
                return
            if reason == _DECIDED:
                # the venue will not change the order now: Rejected (replace not
                # allowed), and the original stays as it is (3.7)
                self.keys[tag.key] = 0
                f = tag.fields
                code = _REPLACE_NOT_ALLOWED
                self.emit(m50.rejected(ts, tag.key[1], code, f["clordid"], f["echo"]))
                return
            self.debug(f"Replace Order for UserRefNum {tag.prev_key[1]} is invalid; canceled")
            self.venue.cancel(Cancel(order.order_id, self.sid, tag=order.tag))
            return
        if tag.pending == "modify":
            tag.pending = None
        if reason in _GONE or reason == RejectReason.OTHER or "I" in tag.told:
            return
        tag.told += "I"
        self.emit(m50.cancel_reject(ts, tag.key[1], tag.fields["echo"]))

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
            m50.priority_update(
                ts, tag.key[1], scale[0].to_wire(price), tag.fields["display"], order.seq,
                tag.fields["echo"],
            )
        )  # fmt: skip

    def on_held(self, event: Event, tag: OrderTag, ts: int) -> None:
        if event[2] == "cancel" and "P" not in tag.told:
            tag.told += "P"
            self.emit(m50.cancel_pending(ts, tag.key[1], tag.fields["echo"]))

    def on_trade_busted(self, order: Order, trade_id: int, now: int) -> None:
        tag = order.tag
        if type(tag) is OrderTag:
            f = tag.fields
            self.emit(
                m50.broken_trade(self.day(now), tag.key[1], trade_id, b"S", f["clordid"], f["echo"])
            )

    # ------------------------------------------------------------------ recovery
    def recover(self, message: bytes, tags: Tags) -> None:
        recover50(self, message, tags)


def _field(order: Order, name: str) -> Any:
    tag = order.tag
    return tag.fields.get(name) if type(tag) is OrderTag else None
