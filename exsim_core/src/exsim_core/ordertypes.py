"""Order types: what an order of each kind needs, and what it does on arrival.

An order type is a small strategy object registered by name through the
``exsim_register_order_types`` hook (the core registers its own through the same hook).
The venue asks it to :meth:`OrderType.validate` an order before acceptance; the
price-time engine asks it to :meth:`OrderType.enter` the book after acceptance, using the
book's primitives (:meth:`~exsim_core.Book.work`, :meth:`~exsim_core.Book.rest`,
:meth:`~exsim_core.Book.park`...). Other engines (managed, behaviours) use ``validate``
only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from .enums import PegType, PostOnlyMode, RejectReason, TimeInForce
from .events import RESTATED, RestateReason

if TYPE_CHECKING:
    from .book import Book
    from .order import Order

__all__ = [
    "BUILTIN_ORDER_TYPES",
    "Limit",
    "Market",
    "MarketToLimit",
    "OrderType",
    "Pegged",
    "Stop",
    "StopLimit",
]

_IOC = int(TimeInForce.IOC)
_FOK = int(TimeInForce.FOK)


class OrderType:
    """Base class of order types.

    :cvar name: the short name orders carry in ``Order.ord_type``.
    :cvar needs_price: True if a limit price is required, False if it is refused,
        None if it is optional.
    :cvar needs_stop_price: True if a stop price is required (refused otherwise).
    :cvar triggers_as_limit: for stop-like types, whether the triggered order works as
        a limit order at its price (otherwise as a market order).
    :cvar allows_post_only: whether post-only makes sense for this type.
    :cvar plain: the type's :meth:`validate` checks nothing beyond the base class's
        (price presence; stop price, post-only and peg fields) and its :meth:`enter`,
        for an order without post-only, is ``book.work(order, order.price)``. The book
        then does both inline for orders that set none of those fields, saving two calls
        on the hot path. Leave it False in subclasses that override either method.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    needs_price: ClassVar[bool | None] = True
    needs_stop_price: ClassVar[bool] = False
    triggers_as_limit: ClassVar[bool] = False
    allows_post_only: ClassVar[bool] = False
    plain: ClassVar[bool] = False

    def validate(self, order: Order, book: Book) -> int:
        """0 if ``order`` is a valid order of this type in ``book``, else a
        :class:`~exsim_core.RejectReason`. Called before acceptance, by every engine."""
        if order.price is None:
            if self.needs_price:
                return RejectReason.MISSING_PRICE
        elif self.needs_price is False:
            return RejectReason.UNEXPECTED_PRICE
        if order.stop_price is None:
            if self.needs_stop_price:
                return RejectReason.MISSING_STOP_PRICE
        elif not self.needs_stop_price:
            return RejectReason.UNEXPECTED_STOP_PRICE
        else:
            reason = book.check_price(order.stop_price)
            if reason:
                return reason
        if order.post_only:
            if not self.allows_post_only:
                return RejectReason.ORDER_TYPE_NOT_ALLOWED
            if order.tif == _IOC or order.tif == _FOK:
                return RejectReason.TIF_NOT_ALLOWED
        if order.peg and not isinstance(self, Pegged):
            return RejectReason.BAD_PEG
        return 0

    def enter(self, order: Order, book: Book) -> None:
        """Handle an accepted order under price-time priority (default: as a limit)."""
        book.work(order, order.price)

    def __repr__(self) -> str:
        return f"<order type {self.name}>"


class Limit(OrderType):
    """Trades at its price or better; the rest waits in the book (unless IOC/FOK)."""

    name = "limit"
    description = "trades at its limit price or better; the remainder rests"
    needs_price = True
    allows_post_only = True
    plain = True

    def validate(self, order: Order, book: Book) -> int:
        reason = super().validate(order, book)
        if reason:
            return reason
        if order.post_only and book.crosses(order.side, order.price):
            if book.venue.post_only_mode == PostOnlyMode.REJECT:
                return RejectReason.POST_ONLY_WOULD_TAKE
            # reprice mode: one tick behind the opposite best, which must be a price
            if order.side == 1 and (book.best_ask or 0) - book.tick <= 0:
                return RejectReason.POST_ONLY_WOULD_TAKE
        return 0

    def enter(self, order: Order, book: Book) -> None:
        price = order.price
        if order.post_only and book.crosses(order.side, price):
            # reprice mode (reject mode refused the order in validate)
            contra = book.best_ask if order.side == 1 else book.best_bid
            assert contra is not None
            order.price = price = contra - book.tick if order.side == 1 else contra + book.tick
            book.out.append((RESTATED, order, order, RestateReason.REPRICED))
            book.rest(order)
            return
        book.work(order, price)


class Market(OrderType):
    """Trades at any price; whatever cannot trade at once is canceled."""

    name = "market"
    description = "trades at the best prices available; the remainder is canceled"
    needs_price = False

    def enter(self, order: Order, book: Book) -> None:
        book.work(order, None)


class MarketToLimit(OrderType):
    """Trades at the opposite best price only; the rest becomes a limit at that price."""

    name = "market_to_limit"
    description = (
        "trades at the opposite best price; the remainder rests as a limit order at that price"
    )
    needs_price = False

    def validate(self, order: Order, book: Book) -> int:
        reason = super().validate(order, book)
        if reason:
            return reason
        if book.best(2 if order.side == 1 else 1) is None:
            return RejectReason.NO_LIQUIDITY
        return 0

    def enter(self, order: Order, book: Book) -> None:
        limit = book.best(2 if order.side == 1 else 1)
        if limit is None:  # the book changed since validation: nothing to trade with
            book.work(order, None)
            return
        order.price = limit
        book.work(order, limit)


class Stop(OrderType):
    """Waits until the last trade reaches its stop price, then trades as a market order.

    A buy stop triggers when the last trade price is at or above the stop price, a sell
    stop when it is at or below. A stop whose condition already holds on arrival triggers
    at once.
    """

    name = "stop"
    description = "a market order released when the last trade reaches the stop price"
    needs_price = False
    needs_stop_price = True

    def enter(self, order: Order, book: Book) -> None:
        if book.stop_triggered(order):
            book.trigger(order)
        else:
            book.park(order)


class StopLimit(Stop):
    """As a stop, but released as a limit order at its limit price."""

    name = "stop_limit"
    description = "a limit order released when the last trade reaches the stop price"
    needs_price = True
    triggers_as_limit = True


class Pegged(OrderType):
    """Rests at a price that follows the book: primary (same side best), market (the
    opposite best) or midpoint, plus an offset in ticks.

    The reference ignores other pegged orders. A pegged order never locks or crosses the
    opposite side (it is kept one tick away), never goes through its limit price (the
    order's ``price``, optional), and never takes liquidity on arrival; it re-pegs
    (losing priority) whenever its reference moves.
    """

    name = "peg"
    description = "rests at primary, market or midpoint price plus an offset; re-pegs"
    needs_price = None
    allows_post_only = True

    def validate(self, order: Order, book: Book) -> int:
        if order.peg not in (PegType.PRIMARY, PegType.MARKET, PegType.MIDPOINT):
            return RejectReason.BAD_PEG
        reason = super().validate(order, book)
        if reason:
            return reason
        if order.tif == _IOC or order.tif == _FOK:
            return RejectReason.TIF_NOT_ALLOWED
        if book.peg_price(order) is None:
            return RejectReason.NO_LIQUIDITY
        return 0

    def enter(self, order: Order, book: Book) -> None:
        price = book.peg_price(order)
        if price is None:  # the reference vanished since validation
            book.cancel_order(order, 9)
            return
        book.rest(order, price)


#: The order types the core registers (through the same hook a plugin uses).
BUILTIN_ORDER_TYPES: tuple[type[OrderType], ...] = (
    Limit,
    Market,
    MarketToLimit,
    Stop,
    StopLimit,
    Pegged,
)
