"""The momentum trader: follows the trend of the market price."""

from __future__ import annotations

import math

from pydantic import Field, model_validator

from exsim_core import BUY, SELL, TimeInForce

from .base import MarketBot, MarketBotParams

__all__ = ["MomentumBot", "MomentumParams"]


class MomentumParams(MarketBotParams):
    interval_ms: float = Field(
        1000, gt=0, description="Time between two looks at the market, in milliseconds."
    )
    fast_s: float = Field(
        5, gt=0, description="Time constant of the fast moving average, in seconds."
    )
    slow_s: float = Field(
        30, gt=0, description="Time constant of the slow moving average, in seconds."
    )
    threshold_ticks: float = Field(
        2,
        ge=0,
        description="The bot buys when the fast average is this far above the slow one, "
        "and sells when it is this far below, in ticks.",
    )
    qty_lots: int = Field(1, ge=1, description="Size of each order, in lots.")
    max_position_lots: int = Field(
        10, ge=0, description="Position limit, in lots either way."
    )
    slippage_ticks: int = Field(
        2,
        ge=0,
        description="Orders are IOC limits this far through the opposite best price, in ticks.",
    )

    @model_validator(mode="after")
    def _averages(self) -> MomentumParams:
        if self.fast_s >= self.slow_s:
            raise ValueError("fast_s must be shorter than slow_s")
        return self


class MomentumBot(MarketBot):
    """Tracks a fast and a slow exponential moving average of the market price (the mid
    of the best bid and offer, else the last trade) and trades in the direction of the
    trend when they part by ``threshold_ticks``, with IOC limit orders, within its
    position limit."""

    name = "momentum"
    description = "trend follower: trades when a fast average of the price leaves a slow one"
    Params = MomentumParams
    params: MomentumParams
    #: the moving averages, in price units (None until the first look at a price)
    fast: float | None = None
    slow: float | None = None

    def schedule(self) -> None:
        self.every(self.interval_ns(self.params.interval_ms), self.look)

    def market_price(self) -> float | None:
        book = self.book
        bid, ask = book.best_bid, book.best_ask
        if bid is not None and ask is not None:
            return (bid + ask) / 2
        return None if book.last_price is None else float(book.last_price)

    def look(self) -> None:
        p = self.params
        price = self.market_price()
        if price is None:
            return
        if self.fast is None or self.slow is None:
            self.fast = self.slow = price
            return
        dt = p.interval_ms / 1000
        self.fast += (price - self.fast) * -math.expm1(-dt / p.fast_s)
        self.slow += (price - self.slow) * -math.expm1(-dt / p.slow_s)
        signal = (self.fast - self.slow) / self.tick
        size = self.qty(p.qty_lots)
        limit = p.max_position_lots * self.lot
        book = self.book
        if signal > p.threshold_ticks and self.position + size <= limit:
            ask = book.best_ask
            if ask is not None:
                self.send(BUY, size, ask + p.slippage_ticks * self.tick, tif=TimeInForce.IOC)
        elif signal < -p.threshold_ticks and self.position - size >= -limit:
            bid = book.best_bid
            if bid is not None and bid - p.slippage_ticks * self.tick > 0:
                self.send(SELL, size, bid - p.slippage_ticks * self.tick, tif=TimeInForce.IOC)

