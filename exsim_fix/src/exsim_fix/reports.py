"""Venue events as FIX messages: ExecutionReport, OrderCancelReject, mass cancel report.

The conventions follow PROTOCOLS 5.9, per version:

=========================  ===============================  ==========================
event                      FIX 4.1 / 4.2                    FIX 4.3 / 4.4 / FIXT
=========================  ===============================  ==========================
accepted                   20=0 150=0 39=0                  150=0 39=0
fill                       150=1 (partial) / 2, LastShares  150=F, LastQty
canceled / expired         150=4 / C, 39=4 / C              same
reduced (leaves left)      150=D (restated)                 same
replaced                   150=5, 39 = the live status      same (never 39=5)
rejected                   150=8 39=8 103                   same
held (``pending_acks``)    150=A / 6 / E                    same
status (OrderStatusReq.)   20=3, 150 = current status       150=I, 790 echoed
=========================  ===============================  ==========================

FIX 4.0 has neither ExecType nor LeavesQty: its reports carry ExecTransType and
OrdStatus. ExecTransType(20) is sent up to FIX 4.3. Drop copies carry
CopyMsgIndicator(797)=Y from FIX 4.4.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exsim_core.enums import CancelReason

from .amounts import format_avg, format_units
from .codes import ORD_TYPE, cancel_text, ord_rej_reason
from .orders import FixOrder
from .timefmt import format_timestamp

if TYPE_CHECKING:
    from exsim_core import Order, Venue

    from .versions import FixVersion

__all__ = ["Reporter", "cl_ord_id", "done_qty"]

#: an ExecutionReport body; the %s after 11, 17, 39, 40, 59, 60 and at the end are the
#: optional fields (see :meth:`Reporter.execution_report`)
_REPORT = (
    b"37=%d\x0111=%s\x01%s17=%s\x01%s%s39=%s\x01%s%s54=%d\x0138=%s\x0140=%s\x01%s%s59=%d\x01"
    b"%s%s14=%s\x016=%s\x0160=%s\x01%s%s"
)
_EXPIRED = int(CancelReason.EXPIRED)
_USER = int(CancelReason.USER)


class Reporter:
    """Builds the bodies of one session's reports (one per session: its version)."""

    def __init__(self, version: FixVersion, venue: Venue, copy: bool = False) -> None:
        self.venue = venue
        rank = version.rank
        self.rank = rank
        self.trans = b"20=0\x01" if version.has_exec_trans_type else b""
        self.has_exec_type = version.has_exec_type
        self.trade = version.trade_exec_type
        self.copy = b"797=Y\x01" if copy and version.has_copy_indicator else b""
        self.clock = venue.clock
        self._now = venue.clock.reader()
        self._decimals: dict[str, tuple[int, int]] = {}

    def decimals(self, symbol: str) -> tuple[int, int]:
        """(price, quantity) decimals of an instrument."""
        dec = self._decimals.get(symbol)
        if dec is None:
            instrument = self.venue.instruments.get(symbol)
            if instrument is None:
                return (0, 0)
            dec = (len(str(instrument.price_scale)) - 1, len(str(instrument.qty_scale)) - 1)
            self._decimals[symbol] = dec
        return dec

    def execution_report(
        self,
        order: Order,
        fo: Any,
        exec_id: bytes,
        exec_type: bytes,
        status: bytes,
        leaves: int,
        cum: int,
        cost: int,
        cl: bytes,
        orig: bytes | None = None,
        last: tuple[int, int] | None = None,
        extra: bytes = b"",
    ) -> bytes:
        """The body of an ExecutionReport."""
        if isinstance(fo, FixOrder):
            pd, qd = fo.price_dec, fo.qty_dec
            echo = fo.echo
            account = fo.account
        else:
            pd, qd = self.decimals(order.symbol)
            echo = b"55=%s\x01" % order.symbol.encode()
            account = order.account.encode() if order.account else None
        price = order.price
        stop = order.stop_price
        # one formatting operation per report: optional fields are b"" when absent
        return _REPORT % (
            order.order_id,
            cl,
            b"" if orig is None else b"41=%s\x01" % orig,
            exec_id,
            self.trans,
            b"150=%s\x01" % exec_type if self.has_exec_type else b"",
            status,
            b"1=%s\x01" % account if account else b"",
            echo,
            order.side,
            b"%d" % order.qty if not qd else format_units(order.qty, qd),
            ORD_TYPE.get(order.ord_type, b"2"),
            b"" if price is None else b"44=%s\x01" % format_units(price, pd),
            b"" if stop is None else b"99=%s\x01" % format_units(stop, pd),
            order.tif,
            b""
            if last is None
            else b"32=%s\x0131=%s\x01" % (format_units(last[0], qd), format_units(last[1], pd)),
            (b"151=%d\x01" % leaves if not qd else b"151=%s\x01" % format_units(leaves, qd))
            if self.has_exec_type
            else b"",
            b"%d" % cum if not qd else format_units(cum, qd),
            format_avg(cost, cum, pd) if cum else b"0",
            format_timestamp(self._now()),
            extra,
            self.copy,
        )

    def event(self, ev: tuple[Any, ...], exec_id: bytes, owner: bool) -> tuple[bytes, bytes] | None:
        """The message (type, body) an order event becomes, or None. ``owner``: the
        report goes to the order's own session (which then updates its FIX state)."""
        kind = ev[0]
        if kind == 1:  # ACCEPTED: the most frequent, first
            order = ev[1]
            fo = order.tag
            if isinstance(fo, FixOrder):
                cum, cost, cl = fo.cum, fo.cost, fo.cl_ord_id
            else:
                cum, cost, cl = order.cum_qty, order.cum_cost, order.cl_ord_id.encode()
            # ev[2]: the quantity when accepted (a same-batch decrement may lower it later)
            return b"8", self.execution_report(
                order, fo, exec_id, b"0", b"1" if cum else b"0", ev[2] - cum, cum, cost, cl
            )
        if kind == 3:  # FILL
            order = ev[1]
            fo = order.tag
            leaves = ev[8]
            cum = ev[7]
            if owner and isinstance(fo, FixOrder):
                fo.cum = cum
                fo.cost = ev[9]
                if fo.fills is None:
                    fo.fills = {ev[5]: exec_id}
                else:
                    fo.fills[ev[5]] = exec_id
            if self.trade:
                et = b"F"
            else:
                et = b"1" if leaves else b"2"
            return b"8", self.execution_report(
                order,
                fo,
                exec_id,
                et,
                b"1" if leaves else b"2",
                leaves,
                cum,
                ev[9],
                cl_ord_id(order, fo),
                None,
                (ev[2], ev[3]),
            )
        if kind == 4:  # CANCELED
            return self._canceled(ev, exec_id, owner)
        if kind == 5:  # REPLACED
            order, old_cl = ev[1], ev[3]
            fo = order.tag
            new_cl = order.cl_ord_id.encode()
            if owner and isinstance(fo, FixOrder):
                fo.cl_ord_id = new_cl
            cum, cost = done_qty(order, fo)
            return b"8", self.execution_report(
                order,
                fo,
                exec_id,
                b"5",
                b"1" if cum else b"0",
                ev[6] - cum,
                cum,
                cost,
                new_cl,
                old_cl.encode(),
            )
        if kind == 2:  # REJECTED
            order, reason, text = ev[1], ev[2], ev[3]
            fo = order.tag
            return b"8", self.execution_report(
                order,
                fo,
                exec_id,
                b"8",
                b"8",
                0,
                0,
                0,
                cl_ord_id(order, fo),
                None,
                None,
                b"103=%d\x0158=%s\x01" % (ord_rej_reason(reason, self.rank), text.encode()),
            )
        if kind == 8:  # RESTATED
            order = ev[1]
            fo = order.tag
            cum, cost = done_qty(order, fo)
            reason = b"378=%d\x01" % (3 if ev[3] in (1, 2) else 4) if self.rank >= 43 else b""
            return b"8", self.execution_report(
                order,
                fo,
                exec_id,
                b"D",
                b"1" if cum else b"0",
                order.leaves,
                cum,
                cost,
                cl_ord_id(order, fo),
                None,
                None,
                reason,
            )
        if kind == 7 and self.rank >= 50:  # TRIGGERED: 150=L exists from FIX 5.0 SP1
            order = ev[1]
            fo = order.tag
            cum, cost = done_qty(order, fo)
            return b"8", self.execution_report(
                order,
                fo,
                exec_id,
                b"L",
                b"1" if cum else b"0",
                order.leaves,
                cum,
                cost,
                cl_ord_id(order, fo),
            )
        return None

    def _canceled(self, ev: tuple[Any, ...], exec_id: bytes, owner: bool) -> tuple[bytes, bytes]:
        order, reason, leaves = ev[1], ev[2], ev[4]
        fo = order.tag
        cum, cost = done_qty(order, fo)
        cl = cl_ord_id(order, fo)
        orig = None
        if reason == _USER and isinstance(fo, FixOrder) and fo.cancel_req is not None:
            cl, orig = fo.cancel_req
            if owner and not leaves:
                # the request stays: drop copies, reported after the owner, carry it too
                fo.cl_ord_id = cl
        if leaves:
            return b"8", self.execution_report(
                order,
                fo,
                exec_id,
                b"D",
                b"1" if cum else b"0",
                leaves,
                cum,
                cost,
                cl,
                orig,
                None,
                b"378=5\x01" if self.rank >= 43 else b"",
            )
        if reason == _EXPIRED:
            return b"8", self.execution_report(
                order, fo, exec_id, b"C", b"C", 0, cum, cost, cl, orig
            )
        text = b"" if reason == _USER else b"58=%s\x01" % cancel_text(reason)
        return b"8", self.execution_report(
            order, fo, exec_id, b"4", b"4", 0, cum, cost, cl, orig, None, text
        )


def cl_ord_id(order: Order, fo: Any) -> bytes:
    return fo.cl_ord_id if isinstance(fo, FixOrder) else order.cl_ord_id.encode()


def done_qty(order: Order, fo: Any) -> tuple[int, int]:
    if isinstance(fo, FixOrder):
        return fo.cum, fo.cost
    return order.cum_qty, order.cum_cost
