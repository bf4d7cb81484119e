"""What the bots of this distribution share: the fair value, ticks and lots, reports.

Every bot here trades one instrument around that instrument's shared fair-value process
(:mod:`exsim_bots.fairvalue`), counts prices in ticks and sizes in lots of the
instrument, and reschedules itself at once when reconfigured while running.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field

from exsim_core import Bot, BotParams

from .fairvalue import FairValue, FairValueParams, share_fair_value

if TYPE_CHECKING:
    from exsim_core import Order, Venue

__all__ = ["NS_PER_MS", "NS_PER_S", "MarketBot", "MarketBotParams"]

NS_PER_MS = 1_000_000
NS_PER_S = 1_000_000_000


class MarketBotParams(BotParams):
    """Parameters every bot of this distribution has."""

    fair_value: FairValueParams | None = Field(
        None,
        description="Parameters of the instrument's fair-value process, shared by every "
        "bot of the instrument: given here, they (re)configure it; left out, the bot uses "
        "the process as it is (created with the defaults when there is none).",
    )


class MarketBot(Bot):
    """Base of the bots that trade around a fair value.

    Subclasses implement :meth:`schedule` (set their timers with :meth:`every` and
    :meth:`after`); it runs on start and again, with fresh timers, after a
    reconfiguration while running.
    """

    Params: ClassVar[type[MarketBotParams]] = MarketBotParams
    params: MarketBotParams

    def __init__(
        self,
        venue: Venue,
        symbol: str,
        params: Mapping[str, Any] | None = None,
        *,
        seed: int = 0,
        name: str | None = None,
    ) -> None:
        super().__init__(venue, symbol, params, seed=seed, name=name)
        book = self.book
        self.tick = book.tick
        self.lot = book.lot
        #: the smallest order, in lots: one lot, or the instrument's minimum quantity
        self.min_lots = max(1, math.ceil(book.min_qty / book.lot)) if book.min_qty else 1
        self.fv: FairValue | None = None
        self.cancels_sent = 0
        self.replaces_sent = 0

    # ------------------------------------------------------------------ life cycle
    def on_start(self) -> None:
        self.fv = share_fair_value(self.book, self.params.fair_value, self.seed)
        self.schedule()

    def schedule(self) -> None:
        """Set the bot's timers (on start, and after a reconfiguration)."""
        raise NotImplementedError

    def on_reconfigure(self, old: BotParams) -> None:
        if self.params.fair_value is not None:
            self.fv = share_fair_value(self.book, self.params.fair_value, self.seed)
        self.cancel_timers()
        self.schedule()

    # ------------------------------------------------------------------ prices, sizes
    def fair_ticks(self) -> float:
        """The fair value now, in ticks (not rounded)."""
        assert self.fv is not None, "the bot has not started"
        return self.fv.value_units() / self.tick

    def qty(self, lots: int) -> int:
        """``lots`` lots (at least the smallest order) in quantity units."""
        return max(lots, self.min_lots) * self.lot

    def interval_ns(self, ms: float) -> int:
        return max(1, round(ms * NS_PER_MS))

    # ------------------------------------------------------------------ order messages
    def cancel(self, order: Order | int) -> None:
        self.cancels_sent += 1
        super().cancel(order)

    def replace(self, order: Order | int, **changes: Any) -> None:
        self.replaces_sent += 1
        super().replace(order, **changes)

    @property
    def messages_sent(self) -> int:
        """Order messages sent: new orders, cancels and replaces."""
        return self.sent + self.cancels_sent + self.replaces_sent

    # ------------------------------------------------------------------ report
    def report(self) -> dict[str, Any]:
        """The base report plus cancels and replaces sent, the fair value and the live
        orders."""
        out = super().report()
        inst = self.book.instrument
        out["cancels_sent"] = self.cancels_sent
        out["replaces_sent"] = self.replaces_sent
        out["fair_value"] = None if self.fv is None else str(self.fv.price())
        out["orders"] = [_describe(o, inst) for o in sorted(self.orders.values(), key=_oid)]
        return out


def _oid(order: Order) -> int:
    return order.order_id


def _describe(order: Order, inst: Any) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "side": "buy" if order.side == 1 else "sell",
        "price": None if order.price is None else str(inst.units_to_price(order.price)),
        "leaves": str(inst.units_to_qty(order.leaves)),
    }
