"""exsim-bots: bots that keep books alive, and activity levels.

Bots are internal sessions: they send orders, cancels and replaces through the venue's
front door like any client, so their orders obey every venue rule, show in market data
and trade with clients' orders. They run on the venue's clock and draw randomness only
from their own seeded generator: the same seed on the same clock gives the same order
stream.

Bot kinds (registered through the ``exsim`` entry-point group):

* ``noise`` — zero-intelligence trader: Poisson arrivals of limit, market and cancel
  orders around the fair value;
* ``liquidity`` — liquidity provider: a ladder of resting orders N levels deep on both
  sides, refreshed as the fair value moves;
* ``market_maker`` — Avellaneda-Stoikov quotes with inventory skew and position limits;
* ``momentum`` — trend follower;
* ``activity`` — an activity level (``none``, ``slow``, ``fast``) for one book: a preset
  of the kinds above around a shared fair value (:mod:`exsim_bots.levels`), with any
  parameter overridable, changeable while it runs.

Every bot of an instrument trades around that instrument's fair-value process
(:mod:`exsim_bots.fairvalue`). :class:`MarketWatch` measures a book while bots trade on
it (uncrossed, two-sided, tracking its fair value) and digests the event stream.

Errors: this package raises no exceptions of its own. Bad parameters fail when a bot
is created or reconfigured, with :class:`pydantic.ValidationError` (unknown key, value
out of range) or :class:`exsim_core.ConfigError` (e.g. no price to start a fair value
from); nothing changes on error.
"""

from __future__ import annotations

from .activity import ActivityBot, ActivityParams
from .base import MarketBot, MarketBotParams
from .fairvalue import FairValue, FairValueParams, fair_value_of, share_fair_value
from .levels import KINDS, LEVELS
from .liquidity import LiquidityBot, LiquidityParams
from .marketmaker import MarketMakerBot, MarketMakerParams
from .momentum import MomentumBot, MomentumParams
from .noise import NoiseBot, NoiseParams
from .plugin import BOTS
from .watch import MarketWatch

__all__ = [
    "BOTS",
    "KINDS",
    "LEVELS",
    "ActivityBot",
    "ActivityParams",
    "FairValue",
    "FairValueParams",
    "LiquidityBot",
    "LiquidityParams",
    "MarketBot",
    "MarketBotParams",
    "MarketMakerBot",
    "MarketMakerParams",
    "MarketWatch",
    "MomentumBot",
    "MomentumParams",
    "NoiseBot",
    "NoiseParams",
    "fair_value_of",
    "share_fair_value",
]
