"""FIX codes for the venue's vocabulary: OrdStatus, OrdType, OrdRejReason,
CxlRejReason and the wording of cancel reasons."""

from __future__ import annotations

from exsim_core.enums import CancelReason, OrderStatus, RejectReason

__all__ = ["ORD_TYPE", "STATUS", "cancel_text", "cxl_rej_reason", "ord_rej_reason"]

STATUS = {
    int(OrderStatus.NEW): b"0",
    int(OrderStatus.PARTIALLY_FILLED): b"1",
    int(OrderStatus.FILLED): b"2",
    int(OrderStatus.CANCELED): b"4",
    int(OrderStatus.REPLACED): b"4",
    int(OrderStatus.PENDING_CANCEL): b"6",
    int(OrderStatus.REJECTED): b"8",
    int(OrderStatus.PENDING_NEW): b"A",
    int(OrderStatus.EXPIRED): b"C",
    int(OrderStatus.PENDING_REPLACE): b"E",
    int(OrderStatus.WAITING_TRIGGER): b"0",
}
ORD_TYPE = {
    "market": b"1",
    "limit": b"2",
    "stop": b"3",
    "stop_limit": b"4",
    "peg": b"P",
    "market_to_limit": b"K",
}


def ord_rej_reason(reason: int, rank: int) -> int:
    """OrdRejReason(103) for a venue :class:`~exsim_core.RejectReason`."""
    if reason == RejectReason.UNKNOWN_INSTRUMENT:
        return 1
    if reason in (RejectReason.HALTED, RejectReason.CLOSED):
        return 2
    if reason == RejectReason.QTY_OUT_OF_RANGE:
        return 3
    if reason == RejectReason.DUPLICATE_ORDER:
        return 6
    if rank >= 44:
        if reason in (RejectReason.BAD_QTY, RejectReason.BAD_LOT):
            return 13
        if reason in (
            RejectReason.ORDER_TYPE_NOT_ALLOWED,
            RejectReason.TIF_NOT_ALLOWED,
            RejectReason.AUCTION_NOT_SUPPORTED,
            RejectReason.BAD_PEG,
            RejectReason.POST_ONLY_WOULD_TAKE,
        ):
            return 11
        return 99
    return 0


def cxl_rej_reason(reason: int, rank: int) -> int:
    """CxlRejReason(102) for a venue :class:`~exsim_core.RejectReason`."""
    if reason == RejectReason.TOO_LATE:
        return 0
    if reason in (RejectReason.UNKNOWN_ORDER, RejectReason.NOT_OWNER):
        return 1
    if reason == RejectReason.PENDING:
        return 3
    return 2


def cancel_text(reason: int) -> bytes:
    try:
        return CancelReason(reason).name.lower().replace("_", " ").encode()
    except ValueError:
        return b"canceled"
