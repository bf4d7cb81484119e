"""The market maker: Avellaneda-Stoikov quotes with inventory skew and position limits.

With ``s`` the fair value and ``q`` the position (in lots), the bot quotes around the
reservation price ``r = s - q * gamma * sigma**2 * tau`` with a total spread
``spread = gamma * sigma**2 * tau + (2 / gamma) * ln(1 + gamma / kappa)``: its bid is
``floor(r - spread / 2)``, its ask ``ceil(r + spread / 2)`` (all in ticks). ``gamma`` is
the risk aversion, ``sigma`` the volatility of the fair value (ticks per square root of a
second), ``tau`` the time left to the horizon, and ``kappa`` the decay of the intensity
``A * exp(-kappa * d)`` at which orders arrive to trade with a quote ``d`` ticks from
``r``. The horizon rolls: ``tau`` stays ``horizon_s``, so quotes depend on inventory and
volatility, not on the time of day. A long position lowers both quotes (selling becomes
more likely, buying less), a short one raises them.
"""

from __future__ import annotations

import math

from pydantic import Field

from .base import MarketBot, MarketBotParams
from .fairvalue import NS_PER_HOUR
from .liquidity import keep_both_sides

__all__ = ["MarketMakerBot", "MarketMakerParams", "quotes"]

_SQRT_S_PER_SQRT_HOUR = math.sqrt(NS_PER_HOUR / 1e9)


class MarketMakerParams(MarketBotParams):
    gamma: float = Field(
        0.1, gt=0, description="Risk aversion gamma, per tick (inventory counted in lots)."
    )
    kappa: float = Field(
        1.5, gt=0, description="Decay kappa of the order-arrival intensity, per tick."
    )
    horizon_s: float = Field(
        10, gt=0, description="Time to the horizon tau, in seconds (kept constant: rolling)."
    )
    sigma_ticks: float | None = Field(
        None,
        ge=0,
        description="Volatility sigma of the fair value, in ticks per square root of a second. "
        "Default: the "
        "fair-value process's volatility at the current price.",
    )
    qty_lots: int = Field(2, ge=1, description="Size of each quote, in lots.")
    max_position_lots: int = Field(
        10,
        ge=0,
        description="Position limit, in lots either way: the bot stops bidding when "
        "another fill of its bid would take it above the limit, and stops offering "
        "likewise.",
    )
    refresh_ms: float = Field(
        250, gt=0, description="Time between two updates of the quotes, in milliseconds."
    )


def quotes(
    fair: float, position_lots: float, *, gamma: float, sigma: float, tau: float, kappa: float
) -> tuple[int, int]:
    """Avellaneda-Stoikov bid and ask, in ticks, for a fair value in ticks."""
    risk = gamma * sigma * sigma * tau
    reservation = fair - position_lots * risk
    half = (risk + (2 / gamma) * math.log1p(gamma / kappa)) / 2
    return math.floor(reservation - half), math.ceil(reservation + half)


class MarketMakerBot(MarketBot):
    """Quotes one bid and one ask, Avellaneda-Stoikov style, skewed by inventory and
    within position limits, updated every ``refresh_ms``."""

    name = "market_maker"
    description = "market maker: Avellaneda-Stoikov quotes with inventory skew and limits"
    Params = MarketMakerParams
    params: MarketMakerParams

    def schedule(self) -> None:
        self.refresh()
        self.every(self.interval_ns(self.params.refresh_ms), self.refresh)

    def sigma(self) -> float:
        """The volatility used, in ticks per square root of a second."""
        p = self.params
        if p.sigma_ticks is not None:
            return p.sigma_ticks
        assert self.fv is not None
        return self.fv.volatility * self.fair_ticks() / _SQRT_S_PER_SQRT_HOUR

    def refresh(self) -> None:
        p = self.params
        size = self.qty(p.qty_lots)
        position_lots = self.position / self.lot
        bid, ask = quotes(
            self.fair_ticks(),
            position_lots,
            gamma=p.gamma,
            sigma=self.sigma(),
            tau=p.horizon_s,
            kappa=p.kappa,
        )
        limit = p.max_position_lots * self.lot
        can_buy = bid > 0 and self.position + size <= limit
        can_sell = self.position - size >= -limit
        bids = [bid * self.tick] if can_buy else []
        keep_both_sides(self, bids, [ask * self.tick] if can_sell else [], size)
