"""The noise trader: zero-intelligence order flow around the fair value."""

from __future__ import annotations

from pydantic import Field, model_validator

from exsim_core import BUY, SELL, TimeInForce

from .base import NS_PER_S, MarketBot, MarketBotParams

__all__ = ["NoiseBot", "NoiseParams"]


class NoiseParams(MarketBotParams):
    rate: float = Field(
        1.0, gt=0, description="Arrivals per second (a Poisson process); each arrival is "
        "one limit order, market order or cancel."
    )
    market_share: float = Field(
        0.1, ge=0, le=1, description="Share of arrivals that are market orders."
    )
    cancel_share: float = Field(
        0.2,
        ge=0,
        le=1,
        description="Share of arrivals that cancel one of the bot's live orders, chosen at "
        "random (a limit order instead when it has none).",
    )
    depth_ticks: int = Field(
        10, ge=0, description="Limit prices reach this far from the fair value on the "
        "passive side, in ticks."
    )
    cross_ticks: int = Field(
        2, ge=0, description="Limit prices reach this far through the fair value on the "
        "aggressive side, in ticks."
    )
    min_lots: int = Field(1, ge=1, description="Smallest order, in lots.")
    max_lots: int = Field(5, ge=1, description="Largest order, in lots.")
    max_orders: int = Field(
        20,
        ge=1,
        description="Most live limit orders the bot keeps; at the limit it cancels its "
        "oldest before sending a new one.",
    )

    @model_validator(mode="after")
    def _sizes(self) -> NoiseParams:
        if self.min_lots > self.max_lots:
            raise ValueError("min_lots is larger than max_lots")
        if self.market_share + self.cancel_share > 1:
            raise ValueError("market_share and cancel_share add up to more than 1")
        return self


class NoiseBot(MarketBot):
    """Zero-intelligence trader: at Poisson-distributed times, sends a limit order at a
    price drawn uniformly around the fair value, a market order, or a cancel; sides
    and sizes are drawn uniformly."""

    name = "noise"
    description = "zero-intelligence trader: Poisson arrivals of limit, market and cancel orders"
    Params = NoiseParams
    params: NoiseParams

    def schedule(self) -> None:
        self.every(self._next_interval, self._arrive)

    def _next_interval(self) -> int:
        return max(1, round(self.rng.expovariate(self.params.rate) * NS_PER_S))

    def _arrive(self) -> None:
        p = self.params
        rng = self.rng
        u = rng.random()
        side = BUY if rng.random() < 0.5 else SELL
        lots = rng.randint(p.min_lots, p.max_lots)
        if u < p.market_share:
            self.send(side, self.qty(lots), None, "market", TimeInForce.IOC)
            return
        if u < p.market_share + p.cancel_share and self.orders:
            self.cancel(rng.choice(sorted(self.orders)))
            return
        if len(self.orders) >= p.max_orders:
            self.cancel(min(self.orders))
        k = rng.randint(-p.cross_ticks, p.depth_ticks)
        fair = round(self.fair_ticks())
        ticks = fair - k if side == BUY else fair + k
        self.send(side, self.qty(lots), max(1, ticks) * self.tick)
