"""Engines: how a book answers the commands sent to it.

One engine instance serves one book. The venue has already validated every command
against the venue's and the instrument's rules before an engine sees it, so an engine
only decides *what happens*: the price-time engine matches, the managed engine holds
orders for a test to decide, the behaviour engines answer without a counterparty.

Engines are plugins: a class registered by name through the ``exsim_register_engines``
hook. The core registers :class:`PriceTimeEngine` as ``price_time`` through that same
hook.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict

from .enums import OrderStatus, TimeInForce
from .events import ACCEPTED

if TYPE_CHECKING:
    from .book import Book
    from .order import Cancel, Order, Replace
    from .ordertypes import OrderType

__all__ = ["Engine", "EngineParams", "PriceTimeEngine"]

_NEW = int(OrderStatus.NEW)
_GTC = int(TimeInForce.GTC)


class EngineParams(BaseModel):
    """Base of an engine's parameters; unknown keys are an error."""

    # validated only when one is configured: deferring the schema keeps start-up free
    # of the cost of every installed kind's parameters
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Engine:
    """Base class of engines.

    :cvar name: the short name the engine is registered and configured under.
    :cvar Params: the pydantic model of the engine's parameters.
    :param book: the book this engine serves; its primitives emit the events.
    :param params: the engine's parameters, validated by ``Params``.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    Params: ClassVar[type[EngineParams]] = EngineParams

    def __init__(self, book: Book, params: Mapping[str, Any] | None = None) -> None:
        self.book = book
        self.params = self.Params.model_validate(dict(params or {}))

    def on_new(self, order: Order, order_type: OrderType) -> None:
        """A new, valid order has arrived (status PENDING_NEW)."""
        raise NotImplementedError

    def on_cancel(self, request: Cancel, order: Order) -> None:
        """The owner asks to cancel (or reduce) a live order."""
        raise NotImplementedError

    def on_replace(self, request: Replace, order: Order) -> None:
        """The owner asks to replace a live order; the request passed
        :meth:`~exsim_core.Book.check_replace`."""
        raise NotImplementedError

    def close(self) -> None:
        """The engine stops serving its book (book removed, engine switched): cancel
        timers it scheduled. Orders stay with the book."""

    def describe(self) -> dict[str, Any]:
        """What the engine shows of itself in the management API."""
        return {"name": self.name, "params": self.params.model_dump(mode="json")}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} for {self.book.symbol}>"


class PriceTimeEngine(Engine):
    """Continuous matching in price-time priority.

    Orders trade with the best opposite price first and, at one price, with the oldest
    order first; what does not trade rests (or is canceled, per its time in force).
    """

    name = "price_time"
    description = "continuous matching in price-time priority"

    def __init__(self, book: Book, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(book, params)
        # the book's own method answers cancels: the venue calls it without a frame here
        self.on_cancel = book.cancel_request  # type: ignore[method-assign]

    def on_new(self, order: Order, order_type: OrderType) -> None:
        book = self.book
        order.status = _NEW
        book.out.append((ACCEPTED, order, order.qty))
        if order_type.plain and not order.post_only:
            price = order.price
            keys = book.ask_keys if order.side == 1 else book.bid_prices
            if (
                keys
                and price is not None
                and (-keys[-1] <= price if order.side == 1 else keys[-1] >= price)
            ) or order.tif > _GTC:
                # trades on arrival, or IOC/FOK/GTD: the general path
                book.work(order, price)
            else:
                # does not trade on arrival: straight into the book
                book.rest(order)
        else:
            order_type.enter(order, book)

    def on_cancel(self, request: Cancel, order: Order) -> None:
        self.book.cancel_request(request, order)

    def on_replace(self, request: Replace, order: Order) -> None:
        self.book.replace(order, request)
