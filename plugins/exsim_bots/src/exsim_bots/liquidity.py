"""The liquidity provider: a ladder of resting orders on both sides of the fair value."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pydantic import Field

from exsim_core import BUY, SELL

from .base import MarketBot, MarketBotParams

if TYPE_CHECKING:
    from exsim_core import Order

__all__ = ["LiquidityBot", "LiquidityParams", "keep_both_sides", "keep_quotes"]


class LiquidityParams(MarketBotParams):
    levels: int = Field(5, ge=1, le=100, description="Price levels on each side.")
    offset_ticks: int = Field(
        1, ge=1, description="Distance from the fair value to the best level, in ticks."
    )
    spacing_ticks: int = Field(1, ge=1, description="Distance between levels, in ticks.")
    qty_lots: int = Field(5, ge=1, description="Size of each level, in lots.")
    refresh_ms: float = Field(
        500, gt=0, description="Time between two refreshes of the ladder, in milliseconds."
    )


class LiquidityBot(MarketBot):
    """Keeps ``levels`` resting orders on each side, ``offset_ticks`` from the fair
    value and ``spacing_ticks`` apart. Every ``refresh_ms`` it moves the levels the fair
    value has left behind to the prices the ladder now needs (one replace each), re-sends
    levels that traded away, and tops up a level that has lost half its size."""

    name = "liquidity"
    description = "liquidity provider: a ladder of resting orders N levels deep on both sides"
    Params = LiquidityParams
    params: LiquidityParams

    def schedule(self) -> None:
        self.refresh()
        self.every(self.interval_ns(self.params.refresh_ms), self.refresh)

    def refresh(self) -> None:
        p = self.params
        fair = self.fair_ticks()
        tick = self.tick
        reach = [p.offset_ticks + i * p.spacing_ticks for i in range(p.levels)]
        bids = [(math.floor(fair - r)) * tick for r in reach]
        asks = [(math.ceil(fair + r)) * tick for r in reach]
        keep_both_sides(self, [b for b in bids if b > 0], asks, self.qty(p.qty_lots))


def keep_both_sides(bot: MarketBot, bids: list[int], asks: list[int], size: int) -> None:
    """:func:`keep_quotes` on both sides, the side moving away first: when the fair
    value has jumped, the new bids may reach the bot's old offers (or the new offers its
    old bids), and moving the other side first keeps the bot from trading with itself."""
    own_asks = [o.price for o in bot.orders.values() if o.side == SELL and o.price]
    if bids and own_asks and bids[0] >= min(own_asks):
        keep_quotes(bot, SELL, asks, size)
        keep_quotes(bot, BUY, bids, size)
    else:
        keep_quotes(bot, BUY, bids, size)
        keep_quotes(bot, SELL, asks, size)


def keep_quotes(bot: MarketBot, side: int, prices: list[int], size: int) -> None:
    """Make ``bot``'s live orders on ``side`` exactly one of ``size`` at each of
    ``prices`` (best first): orders at prices no longer wanted are replaced to wanted
    prices that have none (the furthest first), the surplus canceled, the shortfall
    sent; an order left with half its size or less is topped up."""
    mine: list[Order] = [o for o in bot.orders.values() if o.side == side]
    wanted = set(prices)
    have: dict[int, Order] = {}
    stale: list[Order] = []
    for order in mine:
        if order.price in wanted and order.price not in have:
            have[order.price] = order
        else:
            stale.append(order)
    # in price order (the lowest bid, the highest offer first): a deterministic pairing
    stale.sort(key=lambda o: o.price or 0, reverse=side == SELL)
    missing = [px for px in prices if px not in have]
    for order, px in zip(stale, missing, strict=False):
        bot.replace(order, price=px, qty=order.cum_qty + size)
    for order in stale[len(missing) :]:
        bot.cancel(order)
    for px in missing[len(stale) :]:
        bot.send(side, size, px)
    for order in have.values():
        if order.leaves * 2 <= size and order.order_id in bot.orders:
            bot.replace(order, qty=order.cum_qty + size)
