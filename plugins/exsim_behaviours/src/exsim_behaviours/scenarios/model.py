"""The parts of a scenario: steps a client takes, and the scenario itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["NO_PRICE", "Batch", "Cancel", "New", "Replace", "Scenario", "Step", "Wait", "fill"]


@dataclass(frozen=True)
class New:
    """A client sends a new order."""

    ref: str
    side: str
    qty: int
    price: str | None = None
    ord_type: str = "limit"
    tif: str = "day"


@dataclass(frozen=True)
class Cancel:
    """The client cancels the order (or reduces it to ``leaves_to``)."""

    ref: str
    leaves_to: int = 0


@dataclass(frozen=True)
class Replace:
    """The client replaces the order (None keeps a field)."""

    ref: str
    qty: int | None = None
    price: str | None = None


@dataclass(frozen=True)
class Wait:
    """The clock moves on by ``ms`` milliseconds."""

    ms: int


Step = New | Cancel | Replace | Wait
Batch = tuple[int, tuple[tuple[Any, ...], ...]]


@dataclass(frozen=True)
class Scenario:
    """One documented sequence: configuration, steps, and the batches they produce."""

    name: str
    engine: str
    steps: tuple[Step, ...]
    expected: tuple[Batch, ...]
    params: dict[str, Any] = field(default_factory=dict)
    reference_price: str | None = "10.00"


NO_PRICE = (
    "no price to fill a market order at: set the engine's price parameter or the "
    "instrument's reference_price"
)


def fill(ref: str, qty: int, price: str, leaves: int) -> tuple[tuple[Any, ...], ...]:
    """A FILL of ``ref`` and its TRADE print."""
    return (("fill", ref, qty, price, leaves), ("trade", qty, price))


