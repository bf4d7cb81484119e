"""Run behaviour scenarios and describe events in their short, protocol-neutral form.

:func:`describe` turns a venue event into the form :mod:`exsim_behaviours.scenarios`
writes expectations in; :func:`run_in_process` plays a scenario against an in-process
simulator on a manual clock. A runner that plays the same scenarios through a daemon
and a client only has to produce the same short forms (keeping the kinds its client
can see, see :data:`ORDER_KINDS`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from exsim_core import (
    BUY,
    SELL,
    Cancel,
    CancelReason,
    Equity,
    ManualClock,
    Order,
    RejectReason,
    Replace,
    Simulator,
    TimeInForce,
)
from exsim_core import events as ev

from .scenarios import Cancel as CancelStep
from .scenarios import New, Scenario, Step
from .scenarios import Replace as ReplaceStep

if TYPE_CHECKING:
    from exsim_core import InstrumentBase, Venue

__all__ = ["ORDER_KINDS", "Player", "describe", "run_in_process", "scenario_instrument"]

NS_PER_MS = 1_000_000

#: Short-form kinds an order-entry session sees (the others are market data).
ORDER_KINDS = frozenset({"accepted", "rejected", "fill", "canceled", "replaced", "cancel_rejected"})

_SIDES = {BUY: "buy", SELL: "sell"}


def scenario_instrument(scenario: Scenario) -> Equity:
    """The instrument a scenario trades: ACME, tick 0.01, lot 1, its reference price."""
    return Equity.model_validate({"symbol": "ACME", "reference_price": scenario.reference_price})


def describe(event: tuple[Any, ...], refs: dict[int, str], inst: InstrumentBase) -> tuple[Any, ...]:
    """The short form of ``event``; ``refs`` names orders by order id."""
    kind = event[0]

    def px(units: int | None) -> str | None:
        return None if units is None else str(inst.units_to_price(units))

    def qty(units: int) -> int | str:
        value = inst.units_to_qty(units)
        return int(value) if value == value.to_integral_value() else str(value)

    if kind == ev.ACCEPTED:
        return ("accepted", refs[event[1].order_id])
    if kind == ev.REJECTED:
        return ("rejected", refs[event[1].order_id], RejectReason(event[2]).name.lower(), event[3])
    if kind == ev.FILL:
        _, order, last_qty, last_px, *_rest = event
        return ("fill", refs[order.order_id], qty(last_qty), px(last_px), qty(event[8]))
    if kind == ev.TRADE:
        return ("trade", qty(event[4]), px(event[3]))
    if kind == ev.CANCELED:
        order = event[1]
        reason = CancelReason(event[2]).name.lower()
        return ("canceled", refs[order.order_id], reason, qty(event[3]), qty(event[4]))
    if kind == ev.REPLACED:
        order = event[1]
        return ("replaced", refs[order.order_id], qty(order.qty), px(order.price))
    if kind == ev.CANCEL_REJECTED:
        reason = RejectReason(event[2]).name.lower()
        return ("cancel_rejected", refs.get(event[1].order_id, "?"), reason)
    if kind == ev.ADDED:
        return ("added", refs[event[1].order_id], px(event[2]), qty(event[3]))
    if kind == ev.BOOK:
        return ("book", _SIDES[event[2]], px(event[3]), qty(event[4]), event[5])
    return (ev.KIND_NAMES.get(kind, str(kind)),)


def run_in_process(
    scenario: Scenario, *, sim: Simulator | None = None, configure: str = "instrument"
) -> tuple[tuple[int | float, tuple[tuple[Any, ...], ...]], ...]:
    """Play ``scenario`` and return its batches as ``(ms after start, events)``.

    :param sim: a simulator on a :class:`~exsim_core.ManualClock` whose plugins include
        the behaviours (default: a new one that loads them by module name only).
    :param configure: where the behaviour is configured: ``"instrument"`` (the
        instrument's ``engine``), ``"venue"`` (the venue's settings) or ``"switch"``
        (price-time first, then :meth:`~exsim_core.Venue.set_engine`).
    """
    if sim is None:
        sim = Simulator(clock=ManualClock(), autoload=False, plugins=["exsim_behaviours.plugin"])
    clock = sim.clock
    if not isinstance(clock, ManualClock):
        raise TypeError("scenarios need a simulator on a ManualClock")
    base = scenario_instrument(scenario)
    if configure == "instrument":
        venue = sim.create_venue("XSIM")
        inst = base.model_copy(update={"engine": scenario.engine, "engine_params": scenario.params})
        venue.add_instrument(inst)
    elif configure == "venue":
        venue = sim.create_venue("XSIM", engine=scenario.engine, engine_params=scenario.params)
        venue.add_instrument(base)
    elif configure == "switch":
        venue = sim.create_venue("XSIM")
        venue.add_instrument(base)
        venue.set_engine(base.symbol, scenario.engine, scenario.params)
    else:
        raise ValueError(f"configure must be instrument, venue or switch, not {configure!r}")
    traded = venue.instruments[base.symbol]
    start = clock.now_ns()
    refs: dict[int, str] = {}
    batches: list[tuple[int | float, tuple[tuple[Any, ...], ...]]] = []

    def record(batch: list[tuple[Any, ...]], now: int) -> None:
        ms = (now - start) / NS_PER_MS
        when = int(ms) if ms.is_integer() else ms
        batches.append((when, tuple(describe(e, refs, traded) for e in batch)))

    venue.subscribe(record)
    player = Player(venue, traded, refs, clock)
    for step in scenario.steps:
        player.play(step)
    return tuple(batches)


class Player:
    """Sends a scenario's steps to ``venue`` as the client session ``client``; a
    :class:`~exsim_behaviours.scenarios.Wait` advances ``clock`` (or calls ``advance(ns)``
    when given, e.g. a daemon's journaled clock operation).

    ``refs`` (order id to the name a step gave the order) is filled as orders are sent;
    ``ids`` is its inverse. Both stay valid when the player is pointed at a rebuilt
    venue (:attr:`venue` may be reassigned), since a rebuilt venue keeps order ids.
    """

    def __init__(
        self,
        venue: Venue,
        inst: InstrumentBase,
        refs: dict[int, str],
        clock: ManualClock,
        advance: Callable[[int], object] | None = None,
    ) -> None:
        self.venue = venue
        self.inst = inst
        self.refs = refs
        self.ids: dict[str, int] = {}
        self.clock = clock
        self.advance = advance

    def units(self, price: str | None) -> int | None:
        return None if price is None else self.inst.price_to_units(price)

    def play(self, step: Step) -> None:
        venue, inst = self.venue, self.inst
        if isinstance(step, New):
            order = Order(
                inst.symbol,
                BUY if step.side == "buy" else SELL,
                inst.qty_to_units(step.qty) or 0,
                self.units(step.price),
                step.ord_type,
                int(TimeInForce[step.tif.upper()]),
                cl_ord_id=step.ref,
                session="client",
            )
            # the id the venue will give it (ids are sequential), so that its own
            # batch can already name it
            self.refs[venue.last_order_id + 1] = step.ref
            self.ids[step.ref] = venue.last_order_id + 1
            venue.submit(order)
        elif isinstance(step, CancelStep):
            leaves_to = inst.qty_to_units(step.leaves_to) or 0
            venue.cancel(Cancel(self.ids[step.ref], "client", f"{step.ref}.cancel", leaves_to))
        elif isinstance(step, ReplaceStep):
            qty = None if step.qty is None else inst.qty_to_units(step.qty)
            request = Replace(
                self.ids[step.ref],
                "client",
                f"{step.ref}.replace",
                qty=qty,
                price=self.units(step.price),
            )
            venue.replace(request)
        elif self.advance is not None:
            self.advance(step.ms * NS_PER_MS)
        else:
            self.clock.advance(step.ms * NS_PER_MS)
