"""The activity bot: one book's activity level, as one bot that runs a preset of bots.

``activity`` is the bot kind that config files and the management API use to give a
book a level (``none``, ``slow``, ``fast``): it configures the instrument's fair-value
process and runs the level's bots around it (see :mod:`exsim_bots.levels`), each an
internal session of its own named ``<activity name>/<kind>``. Reconfiguring it while
it runs changes the level or the overrides at once: bots the new level does not run
stop (their orders are canceled), bots it keeps are reconfigured in place (their
orders stay), bots it adds start. Its report adds up its bots' orders, position and
P&L, and lists each bot's own report.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from exsim_core import Bot, BotParams

from .fairvalue import FairValue, FairValueParams, share_fair_value
from .levels import FAIR_VALUE, KINDS, LEVELS

if TYPE_CHECKING:
    from .base import MarketBot

__all__ = ["ActivityBot", "ActivityParams"]

Overrides = dict[str, Any]


class ActivityParams(BotParams):
    level: Literal["none", "slow", "fast"] = Field(
        "slow", description="The activity level: 'none', 'slow' or 'fast'."
    )
    fair_value: Overrides = Field(
        default_factory=dict,
        description="Overrides of the parameters of the instrument's fair-value process "
        "(the level sets its volatility_ticks).",
    )
    liquidity: Overrides = Field(
        default_factory=dict, description="Overrides of the liquidity provider's parameters."
    )
    market_maker: Overrides = Field(
        default_factory=dict, description="Overrides of the market maker's parameters."
    )
    noise: Overrides = Field(
        default_factory=dict, description="Overrides of the noise trader's parameters."
    )
    momentum: Overrides = Field(
        default_factory=dict, description="Overrides of the momentum trader's parameters."
    )

    @model_validator(mode="after")
    def _overrides_are_valid(self) -> ActivityParams:
        self.fair_value_params()
        for kind in KINDS:
            self.bot_params(kind)
        return self

    def fair_value_params(self) -> FairValueParams:
        """The fair value's parameters at this level, overrides applied (a volatility
        given either way replaces the level's)."""
        preset = dict(FAIR_VALUE[self.level])
        if {"volatility", "volatility_ticks"} & set(self.fair_value):
            preset.pop("volatility", None)
            preset.pop("volatility_ticks", None)
        return FairValueParams.model_validate(preset | self.fair_value)

    def bot_params(self, kind: str) -> dict[str, Any]:
        """The complete parameters of ``kind`` at this level, overrides applied
        (validated: an unknown key or a bad value raises)."""
        preset = LEVELS[self.level].get(kind, {})
        override: Overrides = getattr(self, kind)
        merged = KINDS[kind].Params.model_validate(preset | override)
        return merged.model_dump()


class ActivityBot(Bot):
    """Runs the bots of an activity level on one book, around its fair value."""

    name = "activity"
    description = "an activity level (none, slow, fast): a preset of bots around a fair value"
    Params = ActivityParams
    params: ActivityParams

    def __init__(
        self,
        venue: Any,
        symbol: str,
        params: Mapping[str, Any] | None = None,
        *,
        seed: int = 0,
        name: str | None = None,
    ) -> None:
        super().__init__(venue, symbol, params, seed=seed, name=name)
        #: the running bots, by kind
        self.bots: dict[str, MarketBot] = {}
        self.fv: FairValue | None = None

    # ------------------------------------------------------------------ life cycle
    def on_start(self) -> None:
        self._share_fair_value()
        self._apply()

    def on_reconfigure(self, old: BotParams) -> None:
        self._share_fair_value()
        self._apply()

    def on_stop(self) -> None:
        for bot in self.bots.values():
            bot.stop()
        self.bots.clear()

    def _share_fair_value(self) -> None:
        self.fv = share_fair_value(self.book, self.params.fair_value_params(), self.seed)

    def _apply(self) -> None:
        wanted = [kind for kind in KINDS if kind in LEVELS[self.params.level]]
        for kind in [k for k in self.bots if k not in wanted]:
            self.bots.pop(kind).stop()
        for kind in wanted:
            params = self.params.bot_params(kind)
            bot = self.bots.get(kind)
            if bot is None:
                bot = KINDS[kind](
                    self.venue,
                    self.symbol,
                    params,
                    seed=zlib.crc32(f"{self.seed}:{kind}".encode()),
                    name=f"{self.session}/{kind}",
                )
                self.bots[kind] = bot
                bot.start()
            elif bot.params.model_dump() != params:
                bot.reconfigure(params)

    # ------------------------------------------------------------------ report
    def report(self) -> dict[str, Any]:
        """The base report with the bots' totals, the fair value and each bot's report."""
        out = super().report()
        bots = list(self.bots.values())
        inst = self.book.instrument
        position = sum(b.position for b in bots)
        pnl = sum(b.pnl_units() for b in bots)
        scale = inst.price_scale * inst.qty_scale
        out.update(
            orders_sent=sum(b.sent for b in bots),
            cancels_sent=sum(b.cancels_sent for b in bots),
            replaces_sent=sum(b.replaces_sent for b in bots),
            live_orders=sum(len(b.orders) for b in bots),
            fills=sum(b.fills for b in bots),
            rejects=sum(b.rejects for b in bots),
            position=str(inst.units_to_qty(position)),
            pnl=str(inst.units_to_price(0) + Decimal(pnl) / scale),
            fair_value=None if self.fv is None else str(self.fv.price()),
            bots={kind: bot.report() for kind, bot in self.bots.items()},
        )
        return out
