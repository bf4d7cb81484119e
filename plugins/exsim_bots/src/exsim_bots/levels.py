"""Activity levels: named presets of bot kinds and their rates.

=========  =====================================================================
level      what runs on the book
=========  =====================================================================
``none``   no bot: only clients trade
``slow``   a readable book for manual testing, a few order messages per second:
           a fair value moving about half a tick per second, a 5-level ladder
           refreshed every 2 s, a market maker updating every 2 s, and a noise
           trader at two arrivals per second on average
``fast``   a busy book for soak tests, over 200 order messages per second: a
           fair value moving about 1.5 ticks per second, a 10-level ladder
           refreshed every 100 ms, a market maker updating every 100 ms, a noise
           trader at 160 arrivals per second and a momentum trader looking every
           500 ms
=========  =====================================================================

Order messages are new orders, cancels and replaces; how many a ladder or a market
maker sends grows with how often the fair value crosses a tick. The fair value's
volatility is set in ticks (``volatility_ticks``), so a level looks alike on a 10.00
stock, a future and a currency pair.
"""

from __future__ import annotations

from typing import Any, Final

from .base import MarketBot
from .liquidity import LiquidityBot
from .marketmaker import MarketMakerBot
from .momentum import MomentumBot
from .noise import NoiseBot

__all__ = ["FAIR_VALUE", "KINDS", "LEVELS"]

#: The bot kinds a level can run, by the name their parameters are given under.
KINDS: Final[dict[str, type[MarketBot]]] = {
    "liquidity": LiquidityBot,
    "market_maker": MarketMakerBot,
    "noise": NoiseBot,
    "momentum": MomentumBot,
}

#: For each level, the fair value's parameters (the rest default).
FAIR_VALUE: Final[dict[str, dict[str, Any]]] = {
    "none": {},
    "slow": {"volatility_ticks": 0.5},
    "fast": {"volatility_ticks": 1.5},
}

#: For each level, the bot kinds it runs and their parameters (the rest default).
LEVELS: Final[dict[str, dict[str, dict[str, Any]]]] = {
    "none": {},
    "slow": {
        "liquidity": {"levels": 5, "qty_lots": 5, "refresh_ms": 2000},
        "market_maker": {"qty_lots": 2, "refresh_ms": 2000},
        "noise": {"rate": 2, "max_orders": 10},
    },
    "fast": {
        "liquidity": {"levels": 10, "qty_lots": 10, "refresh_ms": 100},
        "market_maker": {"qty_lots": 5, "refresh_ms": 100},
        "noise": {"rate": 160, "max_orders": 50},
        "momentum": {"interval_ms": 500},
    },
}
