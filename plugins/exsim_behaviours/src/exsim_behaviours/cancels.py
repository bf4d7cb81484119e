"""Behaviours that end orders unsolicited: ``auto_cancel`` and ``partial_then_cancel``.

An unsolicited cancel is a CANCELED event with reason ``unsolicited`` (FIX: an
ExecutionReport canceled without a cancel request).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import Field

from exsim_core import CancelReason, EngineParams, RejectReason

from .base import Behaviour, BehaviourParams, ms_to_ns
from .fills import NO_PRICE_TEXT

if TYPE_CHECKING:
    from exsim_core import Book, Order, OrderType

__all__ = ["AutoCancel", "AutoCancelParams", "PartialThenCancel", "PartialThenCancelParams"]


class AutoCancelParams(EngineParams):
    delay_ms: float = Field(
        0,
        ge=0,
        description="Time between the acknowledgement and the unsolicited cancel, in "
        "milliseconds.",
    )


class AutoCancel(Behaviour):
    """Acknowledges every order, then cancels it unsolicited.

    Events: ``ACCEPTED``; after ``delay_ms`` (same batch when 0): ``CANCELED``
    (``unsolicited``, the whole quantity left).
    """

    name = "auto_cancel"
    description = "acknowledges every order, then cancels it unsolicited after a delay"
    Params = AutoCancelParams
    params: AutoCancelParams

    def on_new(self, order: Order, order_type: OrderType) -> None:
        self.book.accept(order)
        self.hold(order)
        self.after(ms_to_ns(self.params.delay_ms), order, self._cancel)

    def _cancel(self, order: Order) -> None:
        self.book.cancel_order(order, CancelReason.UNSOLICITED)


class PartialThenCancelParams(BehaviourParams):
    size: Decimal | None = Field(
        None,
        gt=0,
        description="Quantity of the partial fill (instrument quantity, a multiple of the "
        "lot). Overrides ratio.",
    )
    ratio: float = Field(
        0.5,
        gt=0,
        le=1,
        description="The partial fill's share of the order quantity when size is not "
        "given (rounded down to the lot, at least one lot).",
    )
    delay_ms: float = Field(
        0,
        ge=0,
        description="Time between the acknowledgement and the partial fill, in milliseconds.",
    )
    cancel_delay_ms: float = Field(
        0,
        ge=0,
        description="Time between the partial fill and the unsolicited cancel, in "
        "milliseconds.",
    )


class PartialThenCancel(Behaviour):
    """Acknowledges every order, fills part of it, then cancels the rest unsolicited.

    Events: ``ACCEPTED``; after ``delay_ms``: ``FILL``, ``TRADE``; after
    ``cancel_delay_ms``: ``CANCELED`` (``unsolicited``, the quantity left). Delays of 0
    join the previous batch. An order no larger than the partial fill is simply filled.
    """

    name = "partial_then_cancel"
    description = "fills part of each order, then cancels the rest unsolicited"
    Params = PartialThenCancelParams
    params: PartialThenCancelParams

    def __init__(self, book: Book, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(book, params)
        size = self.params.size
        self.size: int | None = None if size is None else self._qty_units(size, "size")

    def on_new(self, order: Order, order_type: OrderType) -> None:
        if self.fill_price(order) is None:
            self.book.reject(order, RejectReason.NO_LIQUIDITY, NO_PRICE_TEXT)
            return
        self.book.accept(order)
        self.hold(order)
        self.after(ms_to_ns(self.params.delay_ms), order, self._partial)

    def _partial(self, order: Order) -> None:
        price = self.fill_price(order)
        assert price is not None
        self.book.fill(order, self.size or self.lots(order.qty, self.params.ratio), price)
        if order.leaves:
            self.after(ms_to_ns(self.params.cancel_delay_ms), order, self._cancel)

    def _cancel(self, order: Order) -> None:
        self.book.cancel_order(order, CancelReason.UNSOLICITED)
