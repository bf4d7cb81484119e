"""A price level: the orders resting at one price, oldest first."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from exsim_core.order import Order

__all__ = ["Level"]


class Level:
    """The orders resting at one price, oldest first, and their displayed total."""

    __slots__ = ("count", "dead", "orders", "price", "qty")

    def __init__(self, price: int) -> None:
        self.price = price
        self.orders: deque[Order] = deque()
        self.qty = 0
        self.count = 0
        self.dead = 0

    def live(self) -> Iterator[Order]:
        """The live orders, in time priority."""
        return (o for o in self.orders if o.leaves)

    def __repr__(self) -> str:
        return f"<Level {self.price} qty={self.qty} count={self.count}>"
