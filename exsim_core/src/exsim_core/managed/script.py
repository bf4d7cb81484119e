"""Scripted expectations of managed books: "the next order for ACME: ack, then fill 100
at 10.01 after 5 ms".

A venue's :class:`Script` keeps expectations in the order they were registered; each new
order a managed book holds takes the first unused expectation that matches it (symbol,
side and session, where given) and its steps are scheduled on the venue clock, each
``after_ms`` after the previous one. What a test registered and never used, and steps
that could not run (the order was already done), are reported by :meth:`Script.report`.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exsim_core.order import Order
    from exsim_core.venue import Venue

__all__ = ["Expectation", "Script", "Step", "script_of"]


@dataclass(frozen=True)
class Step:
    """One decision (see :func:`exsim_core.managed.perform`); prices and quantities in
    units; ``delay_ns`` after the previous step."""

    action: str
    qty: int | None = None
    price: int | None = None
    text: str = ""
    delay_ns: int = 0


@dataclass
class Expectation:
    """Steps for the next new order matching ``symbol``, ``side`` and ``session``."""

    id: int
    symbol: str | None
    side: int | None
    session: str | None
    steps: list[Step]
    described: list[dict[str, Any]]
    order_id: int | None = None

    def matches(self, order: Order) -> bool:
        return (
            self.order_id is None
            and (self.symbol is None or self.symbol == order.symbol)
            and (self.side is None or self.side == order.side)
            and (self.session is None or self.session == order.session)
        )

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "symbol": self.symbol,
            "side": None if self.side is None else ("buy" if self.side == 1 else "sell"),
            "session": self.session,
            "steps": self.described,
            "order_id": self.order_id,
        }


@dataclass
class Script:
    """The expectations of one venue, and the problems met running them."""

    expectations: list[Expectation] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: True while a journal is replayed: recorded decisions replace scripted ones
    replaying: bool = False
    _next_id: int = 1

    def add(
        self,
        steps: list[Step],
        described: list[dict[str, Any]],
        symbol: str | None = None,
        side: int | None = None,
        session: str | None = None,
    ) -> Expectation:
        exp = Expectation(self._next_id, symbol, side, session, steps, described)
        self._next_id += 1
        self.expectations.append(exp)
        return exp

    def take(self, order: Order) -> Expectation | None:
        """The first unused expectation matching ``order``, now used by it."""
        if self.replaying:
            return None
        for exp in self.expectations:
            if exp.matches(order):
                exp.order_id = order.order_id
                return exp
        return None

    def unused(self) -> list[Expectation]:
        return [e for e in self.expectations if e.order_id is None]

    def report(self) -> dict[str, Any]:
        return {
            "unused": [e.describe() for e in self.unused()],
            "problems": list(self.problems),
        }

    def clear(self) -> None:
        self.expectations.clear()
        self.problems.clear()


_scripts: weakref.WeakKeyDictionary[Venue, Script] = weakref.WeakKeyDictionary()


def script_of(venue: Venue) -> Script:
    """The script of ``venue`` (created empty on first use; it lives as long as the venue)."""
    script = _scripts.get(venue)
    if script is None:
        script = _scripts[venue] = Script()
    return script
