"""The documented event sequences of each behaviour, as data.

A :class:`Scenario` configures one behaviour on the book of ACME (an equity, tick 0.01,
lot 1, reference price 10.00 unless it says otherwise), plays its steps (new orders,
cancels, replaces, waits on the clock) and lists every batch of events the venue must
deliver, each with its time in milliseconds after the start. Events are written short:

=====================================================  ==================================
``("accepted", ref)``                                  the order is acknowledged
``("rejected", ref, reason, text)``                    the order is refused
``("fill", ref, qty, price, leaves)``                  the order traded ``qty``
``("trade", qty, price)``                              the trade print
``("canceled", ref, reason, canceled_qty, leaves)``    canceled (or reduced to ``leaves``)
``("replaced", ref, qty, price)``                      replaced: its new quantity, price
``("cancel_rejected", ref, reason)``                   a cancel or replace is refused
``("added", ref, price, shown)``                       it rests, displayed, in the book
``("book", side, price, qty, count)``                  a price level after a change
=====================================================  ==================================

``ref`` is the name a step gave the order (its first ClOrdID); quantities are in shares,
prices are decimal strings. The tests play every scenario in-process, and end-to-end
through a client, and compare what they see with ``expected``.
"""

from __future__ import annotations

from .fills import AUTO_FILL, AUTO_PARTIAL
from .model import Batch, Cancel, New, Replace, Scenario, Step, Wait
from .refusals import AUTO_CANCEL, AUTO_REJECT, PARTIAL_THEN_CANCEL

__all__ = [
    "SCENARIOS",
    "Batch",
    "Cancel",
    "New",
    "Replace",
    "Scenario",
    "Step",
    "Wait",
    "by_engine",
]

#: Every documented scenario, behaviour by behaviour.
SCENARIOS: tuple[Scenario, ...] = (
    *AUTO_FILL,
    *AUTO_PARTIAL,
    *AUTO_REJECT,
    *AUTO_CANCEL,
    *PARTIAL_THEN_CANCEL,
)


def by_engine(engine: str) -> tuple[Scenario, ...]:
    """The scenarios of one behaviour."""
    return tuple(s for s in SCENARIOS if s.engine == engine)
