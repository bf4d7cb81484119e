"""Answers that are not plain order reports: OrderCancelReject, and the reports of
trade busts and corrections."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exsim_core.enums import reject_text

from .codes import STATUS, cxl_rej_reason
from .orders import FixOrder, FixReplace
from .timefmt import format_timestamp

if TYPE_CHECKING:
    from exsim_core import Order

    from .reports import Reporter

__all__ = ["cancel_reject", "request_rejected", "trade_changed"]


def cancel_reject(
    reporter: Reporter,
    cl: bytes,
    orig: bytes,
    order: Order | None,
    *,
    response_to: int,
    reason: int,
    text: str,
) -> bytes:
    """The body of an OrderCancelReject."""
    status = STATUS.get(order.status, b"8") if order is not None else b"8"
    oid = b"%d" % order.order_id if order is not None else b"NONE"
    return b"37=%s\x0111=%s\x0141=%s\x0139=%s\x01434=%d\x01102=%d\x0158=%s\x0160=%s\x01" % (
        oid,
        cl,
        orig,
        status,
        response_to,
        reason,
        text.encode(),
        format_timestamp(reporter.clock.now_ns()),
    )


def request_rejected(reporter: Reporter, ev: tuple[Any, ...], known: Order | None = None) -> bytes:
    """OrderCancelReject body for a CANCEL_REJECTED event (``known``: the order as
    the session last saw it, when the venue no longer has it)."""
    req, reason, order = ev[1], ev[2], ev[3] or known
    orig = getattr(req, "orig", b"")
    if not orig and order is not None and isinstance(order.tag, FixOrder):
        orig = order.tag.cl_ord_id
    return cancel_reject(
        reporter,
        req.cl_ord_id.encode(),
        orig,
        order,
        response_to=2 if isinstance(req, FixReplace) else 1,
        reason=cxl_rej_reason(reason, reporter.rank),
        text=reject_text(reason),
    )


def trade_changed(
    reporter: Reporter, ev: tuple[Any, ...], order: Order, exec_id: bytes
) -> bytes | None:
    """The ExecutionReport of a trade bust (TRADE_BUSTED) or correction
    (TRADE_CORRECTED) for one of its orders: ExecType H / G from FIX 4.3,
    ExecTransType 1 / 2 before; ExecRefID names the fill it changes."""
    fo = order.tag
    if not isinstance(fo, FixOrder):
        return None
    busted = ev[0] == 15
    trade_id, qty, price = ev[1], ev[3], ev[4]
    ref = (fo.fills or {}).get(trade_id, b"%d" % trade_id)
    if busted:
        fo.cum -= qty
        fo.cost -= qty * price
    else:
        old_qty, old_price = ev[5], ev[6]
        fo.cum += qty - old_qty
        fo.cost += qty * price - old_qty * old_price
    cum = fo.cum
    status = b"1" if cum and order.leaves else (b"2" if cum else b"0")
    if reporter.rank >= 43:
        exec_type = b"H" if busted else b"G"
    else:
        exec_type = status
    trans, reporter.trans = (
        reporter.trans,
        ((b"20=1\x01" if busted else b"20=2\x01") if reporter.trans else b""),
    )
    try:
        return reporter.execution_report(
            order,
            fo,
            exec_id,
            exec_type,
            status,
            order.leaves,
            cum,
            fo.cost,
            fo.cl_ord_id,
            None,
            (qty, price),
            b"19=%s\x01" % ref,
        )
    finally:
        reporter.trans = trans
