"""Behaviours that fill: ``auto_fill`` and ``auto_partial``.

Fills are synthetic (:meth:`exsim_core.Book.fill`): each one is a FILL event for the
order (liquidity ``synthetic``, no contra order) followed by a TRADE print, and it sets
the book's last trade price.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from exsim_core import RejectReason

from .base import Behaviour, BehaviourParams, ms_to_ns

if TYPE_CHECKING:
    from exsim_core import Book, Order, OrderType

__all__ = ["AutoFill", "AutoFillParams", "AutoPartial", "AutoPartialParams"]

NO_PRICE_TEXT = (
    "no price to fill a market order at: set the engine's price parameter or the "
    "instrument's reference_price"
)


class AutoFillParams(BehaviourParams):
    delay_ms: float = Field(
        0, ge=0, description="Time between the acknowledgement and the fill, in milliseconds."
    )


class AutoFill(Behaviour):
    """Acknowledges every order, then fills it completely at its limit price (market
    orders: at ``price``, else the last trade, else the reference price).

    Events: ``ACCEPTED``; after ``delay_ms`` (same batch when 0): ``FILL`` of the whole
    quantity, ``TRADE``. An order without a limit price when no price is known is
    ``REJECTED`` (``no_liquidity``).
    """

    name = "auto_fill"
    description = "acknowledges every order, then fills it completely (optional delay)"
    Params = AutoFillParams
    params: AutoFillParams

    def on_new(self, order: Order, order_type: OrderType) -> None:
        if self.fill_price(order) is None:
            self.book.reject(order, RejectReason.NO_LIQUIDITY, NO_PRICE_TEXT)
            return
        self.book.accept(order)
        delay = ms_to_ns(self.params.delay_ms)
        if delay:
            self.hold(order)
        self.after(delay, order, self._fill)

    def _fill(self, order: Order) -> None:
        price = self.fill_price(order)
        assert price is not None  # known at acceptance; prices never become unknown
        self.book.fill(order, order.leaves, price)


class AutoPartialParams(BehaviourParams):
    sizes: list[Decimal] | None = Field(
        None,
        min_length=1,
        description="Quantity of each partial fill (instrument quantity, multiples of the "
        "lot). Overrides count and ratio.",
    )
    count: int = Field(
        2, ge=1, description="Number of partial fills when sizes is not given."
    )
    ratio: float = Field(
        0.25,
        gt=0,
        le=1,
        description="Each partial fill's share of the order quantity when sizes is not "
        "given (rounded down to the lot, at least one lot).",
    )
    delay_ms: float = Field(
        0,
        ge=0,
        description="Time before each fill (after the acknowledgement, then between "
        "fills), in milliseconds.",
    )
    remainder: Literal["rest", "fill"] = Field(
        "rest",
        description="What happens to the quantity left after the partial fills: 'rest' "
        "enters it in the book under price-time rules (it rests, displayed, or is "
        "canceled per its time in force); 'fill' fills it, after one more delay.",
    )


class AutoPartial(Behaviour):
    """Acknowledges every order, then fills it in partial fills of configured sizes (or
    a share of the quantity each), then rests or fills the remainder.

    Events: ``ACCEPTED``; then per partial fill, ``delay_ms`` apart (same batch when
    0): ``FILL``, ``TRADE``. With ``remainder = "rest"`` the last partial fill's batch
    goes on with what entering the book does (``ADDED``, ``BOOK`` for a limit order
    that rests). With ``remainder = "fill"``, one more ``delay_ms`` later: ``FILL`` of
    the remainder, ``TRADE``. A partial fill never exceeds what is left: once an order
    is filled, nothing more happens to it.
    """

    name = "auto_partial"
    description = "fills each order in partial fills, then rests or fills the remainder"
    Params = AutoPartialParams
    params: AutoPartialParams

    def __init__(self, book: Book, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(book, params)
        sizes = self.params.sizes
        self.sizes: list[int] | None = (
            None if sizes is None else [self._qty_units(s, "sizes") for s in sizes]
        )

    def on_new(self, order: Order, order_type: OrderType) -> None:
        if self.fill_price(order) is None:
            self.book.reject(order, RejectReason.NO_LIQUIDITY, NO_PRICE_TEXT)
            return
        self.book.accept(order)
        plan = self.sizes or [self.lots(order.qty, self.params.ratio)] * self.params.count
        delay = ms_to_ns(self.params.delay_ms)
        if delay:
            self.hold(order)
        self.after(delay, order, lambda o: self._partial(o, plan, 0))

    def _partial(self, order: Order, plan: list[int], index: int) -> None:
        price = self.fill_price(order)
        assert price is not None
        self.book.fill(order, plan[index], price)
        if not order.leaves:
            return
        index += 1
        delay = ms_to_ns(self.params.delay_ms)
        if index < len(plan):
            self.after(delay, order, lambda o: self._partial(o, plan, index))
        elif self.params.remainder == "fill":
            self.after(delay, order, self._fill_rest)
        else:
            self.enter_book(order)

    def _fill_rest(self, order: Order) -> None:
        price = self.fill_price(order)
        assert price is not None
        self.book.fill(order, order.leaves, price)
