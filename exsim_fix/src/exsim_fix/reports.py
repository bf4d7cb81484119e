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
        parts = [b"37=%d\x0111=%s\x01" % (order.order_id, cl)]
        if orig is not None:
            parts.append(b"41=%s\x01" % orig)
        parts.append(b"17=%s\x01%s" % (exec_id, self.trans))
        if self.has_exec_type:
            parts.append(b"150=%s\x01" % exec_type)
        parts.append(b"39=%s\x01" % status)
        if account:
            parts.append(b"1=%s\x01" % account)
        parts.append(echo)
        parts.append(
            b"54=%d\x0138=%s\x0140=%s\x01"
            % (order.side, format_units(order.qty, qd), ORD_TYPE.get(order.ord_type, b"2"))
        )
        if order.price is not None:
            parts.append(b"44=%s\x01" % format_units(order.price, pd))
        if order.stop_price is not None:
            parts.append(b"99=%s\x01" % format_units(order.stop_price, pd))
        parts.append(b"59=%d\x01" % order.tif)
        if last is not None:
            parts.append(
                b"32=%s\x0131=%s\x01" % (format_units(last[0], qd), format_units(last[1], pd))
            )
        if self.has_exec_type:
            parts.append(b"151=%s\x01" % format_units(leaves, qd))
        parts.append(
            b"14=%s\x016=%s\x0160=%s\x01"
            % (
                format_units(cum, qd),
                format_avg(cost, cum, pd),
                format_timestamp(self.clock.now_ns()),
            )
        )
        if extra:
            parts.append(extra)
        if self.copy:
            parts.append(self.copy)
        return b"".join(parts)

    def event(self, ev: tuple[Any, ...], exec_id: bytes, owner: bool) -> tuple[bytes, bytes] | None:
        """The message (type, body) an order event becomes, or None. ``owner``: the
        report goes to the order's own session (which then updates its FIX state)."""
        kind = ev[0]
        if kind == 3:  # FILL
            order = ev[1]
            fo = order.tag
            leaves = ev[8]
            cum = ev[7]
            if owner and isinstance(fo, FixOrder):
                fo.cum = cum
                fo.cost = ev[9]
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
        if kind == 1:  # ACCEPTED
            order = ev[1]
            fo = order.tag
            cum, cost = done_qty(order, fo)
            return b"8", self.execution_report(
                order,
                fo,
                exec_id,
                b"0",
                b"1" if cum else b"0",
                ev[2] - cum,
                cum,
                cost,
                cl_ord_id(order, fo),
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
