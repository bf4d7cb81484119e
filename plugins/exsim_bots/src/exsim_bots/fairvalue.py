"""The fair value of an instrument: a seeded random process that bots trade around.

One process per book, shared by every bot of that instrument (:func:`share_fair_value`).
It moves on a fixed time grid (every ``step_ms`` of the venue's clock, counted from its
creation) and is advanced lazily, when read: its value at a given time depends only on
its parameters, its seed and its creation time, never on who reads it or how often, so
the same seed on the same clock gives the same path.

Models, per step of ``dt`` hours, with ``Z`` a standard normal draw and ``S0`` the
start value:

* ``gbm`` (geometric Brownian motion):
  ``S = S * exp((drift - volatility**2 / 2) * dt + volatility * sqrt(dt) * Z)``;
* ``random_walk`` (arithmetic): ``S = S + S0 * (drift * dt + volatility * sqrt(dt) * Z)``;

either with optional jumps: with probability ``jump_rate * dt`` per step, a jump of
relative size ``jump_size * Z`` (``S = S * exp(jump_size * Z)`` for gbm,
``S = S + S0 * jump_size * Z`` for the walk). The value never falls below one tick.
"""

from __future__ import annotations

import math
import random
import weakref
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from exsim_core import ConfigError

if TYPE_CHECKING:
    from exsim_core import Book

__all__ = ["FairValue", "FairValueParams", "fair_value_of", "share_fair_value"]

NS_PER_HOUR = 3_600 * 10**9
NS_PER_MS = 10**6


class FairValueParams(BaseModel):
    """Parameters of a fair-value process."""

    model_config = ConfigDict(extra="forbid")

    model: Literal["gbm", "random_walk"] = Field(
        "gbm", description="'gbm' (geometric Brownian motion) or 'random_walk' (arithmetic)."
    )
    start: Decimal | None = Field(
        None,
        gt=0,
        description="Value when the process is created, as an instrument price. Default: "
        "the last trade price, else the instrument's reference_price.",
    )
    volatility: float = Field(
        0.01,
        ge=0,
        description="Standard deviation of the relative change over one hour (0.01 = 1 %).",
    )
    volatility_ticks: float | None = Field(
        None,
        ge=0,
        description="Standard deviation of the change over one second, in ticks at the "
        "start value; when given, it sets the volatility (so that books of any price and "
        "tick size move alike).",
    )
    drift: float = Field(0.0, description="Expected relative change per hour.")
    jump_rate: float = Field(0.0, ge=0, description="Expected number of jumps per hour.")
    jump_size: float = Field(
        0.005, ge=0, description="Standard deviation of a jump's relative size."
    )
    step_ms: float = Field(
        100, gt=0, description="Time between two moves, in milliseconds of the venue clock."
    )
    seed: int | None = Field(
        None, description="Seed of the process (default: the seed of the bot that creates it)."
    )


class FairValue:
    """The fair-value process of one book.

    :param book: the book whose instrument it values.
    :param params: its parameters.
    :param seed: its seed when ``params.seed`` is None.
    :raises ConfigError: when no start value is given and the book has neither a last
        trade nor a reference price.
    """

    def __init__(self, book: Book, params: FairValueParams, seed: int) -> None:
        self.book = book
        self.clock = book.venue.clock
        self.tick = book.tick
        start = self._start_units(params)
        self.start = start
        self.units = float(start)
        self.since_ns = self.clock.now_ns()
        self.rng = random.Random(f"fair-value:{params.seed if params.seed is not None else seed}")
        self.params = params
        self._derive()

    def _start_units(self, params: FairValueParams) -> int:
        inst = self.book.instrument
        if params.start is not None:
            units = inst.price_to_units(params.start)
            if units is None:
                raise ConfigError(
                    f"fair value start {params.start} is finer than {inst.symbol}'s prices "
                    f"(tick size {inst.tick_size})"
                )
            return units
        book = self.book
        units = book.last_price if book.last_price is not None else book.reference_price
        if units is None:
            why = (
                "no reference_price"
                if inst.reference_price is None
                else f"a reference_price ({inst.reference_price}) finer than its tick size "
                f"({inst.tick_size})"
            )
            raise ConfigError(
                f"{inst.symbol} has no last trade and {why} to start its fair value from; "
                f"set the instrument's reference_price (on tick) or fair_value.start"
            )
        return units

    def _derive(self) -> None:
        p = self.params
        self.step_ns = max(1, round(p.step_ms * NS_PER_MS))
        dt = self.step_ns / NS_PER_HOUR
        vol = p.volatility
        if p.volatility_ticks is not None:
            vol = p.volatility_ticks * self.tick / self.start * math.sqrt(NS_PER_HOUR / 10**9)
        #: the volatility in effect: standard deviation of the relative change per hour
        self.volatility = vol
        self.scale = vol * math.sqrt(dt)
        self.shift = (p.drift - vol**2 / 2) * dt if p.model == "gbm" else p.drift * dt
        self.jump_p = p.jump_rate * dt

    def configure(self, params: FairValueParams) -> None:
        """Use ``params`` from now on (the path so far is kept; ``start`` and ``seed``
        only matter when a process is created)."""
        self.value_units()
        self.params = params
        self._derive()

    def value_units(self) -> float:
        """The value now, in price units (not rounded to the tick)."""
        now = self.clock.now_ns()
        steps = (now - self.since_ns) // self.step_ns
        if steps > 0:
            self._advance(steps)
            self.since_ns += steps * self.step_ns
        return self.units

    def _advance(self, steps: int) -> None:
        gauss = self.rng.gauss
        draw = self.rng.random
        x = self.units
        scale, shift, jump_p = self.scale, self.shift, self.jump_p
        jump = self.params.jump_size
        floor = float(self.tick)
        if self.params.model == "gbm":
            exp = math.exp
            for _ in range(steps):
                x *= exp(shift + scale * gauss(0.0, 1.0))
                if jump_p and draw() < jump_p:
                    x *= exp(jump * gauss(0.0, 1.0))
                x = max(x, floor)
        else:
            s0 = float(self.start)
            for _ in range(steps):
                x += s0 * (shift + scale * gauss(0.0, 1.0))
                if jump_p and draw() < jump_p:
                    x += s0 * jump * gauss(0.0, 1.0)
                x = max(x, floor)
        self.units = x

    def price(self) -> Decimal:
        """The value now as an instrument price, rounded to the tick."""
        tick = self.tick
        return self.book.instrument.units_to_price(round(self.value_units() / tick) * tick)

    def __repr__(self) -> str:
        return f"<FairValue {self.book.symbol} {self.params.model} {self.units:.2f} units>"


# One process per book. Keyed weakly by the book object, so a process lives exactly as
# long as its book and two simulators never share one.
_PROCESSES: weakref.WeakKeyDictionary[Book, FairValue] = weakref.WeakKeyDictionary()


def fair_value_of(book: Book) -> FairValue | None:
    """The book's fair-value process, if a bot has created one."""
    return _PROCESSES.get(book)


def share_fair_value(book: Book, params: FairValueParams | None, seed: int) -> FairValue:
    """The book's fair-value process, created on first use (with ``params`` or the
    defaults, and ``seed``). Given ``params``, an existing process is reconfigured with
    them; given None, it is used as it is."""
    process = _PROCESSES.get(book)
    if process is None:
        process = FairValue(book, params or FairValueParams.model_validate({}), seed)
        _PROCESSES[book] = process
    elif params is not None and params != process.params:
        process.configure(params)
    return process
