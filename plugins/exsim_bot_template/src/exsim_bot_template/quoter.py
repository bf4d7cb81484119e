"""The template's bot: quotes a two-sided market around the book's price.

Copy this file as the start of your own bot. A bot kind is a subclass of
:class:`exsim_core.Bot` with a ``name`` (the kind configuration and the management API
use), a ``description`` and a pydantic ``Params`` model (unknown keys are refused, each
field documents its unit and default). The bot:

* schedules itself in :meth:`on_start` with :meth:`~exsim_core.Bot.every` (and
  :meth:`~exsim_core.Bot.after`), on the venue's clock: never ``time.sleep`` or threads;
* draws randomness only from ``self.rng`` (seeded with the bot's seed);
* trades with :meth:`~exsim_core.Bot.send`, :meth:`~exsim_core.Bot.cancel` and
  :meth:`~exsim_core.Bot.replace`, through the venue's front door like any client;
* learns of its fills in :meth:`on_fill`; its position and P&L are kept by the base
  class and shown by :meth:`report`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from exsim_core import BUY, SELL, Bot, BotParams, Order

__all__ = ["QuoterBot", "QuoterParams"]

NS_PER_MS = 1_000_000


class QuoterParams(BotParams):
    """Parameters of ``template_quoter``."""

    spread_ticks: int = Field(
        4, ge=2, description="Distance between the bid and the ask, in ticks."
    )
    qty_lots: int = Field(1, ge=1, description="Size of each quote, in lots.")
    interval_ms: float = Field(
        1000, gt=0, description="Time between two updates of the quotes, in milliseconds."
    )
    jitter_ticks: int = Field(
        0,
        ge=0,
        description="Each update moves the quotes by a random whole number of ticks "
        "between -jitter_ticks and +jitter_ticks.",
    )


class QuoterBot(Bot):
    """Quotes one bid and one ask ``spread_ticks`` apart around the book's price (the
    mid of the best bid and offer, else the last trade, else the instrument's reference
    price), updated every ``interval_ms``."""

    name = "template_quoter"
    description = "quotes one bid and one ask around the book's price (a template to copy)"
    Params = QuoterParams
    params: QuoterParams
    #: quote updates sent so far
    quotes_sent = 0

    def on_start(self) -> None:
        self.quote()
        self.every(round(self.params.interval_ms * NS_PER_MS), self.quote)

    def on_reconfigure(self, old: BotParams) -> None:
        # the interval may have changed: schedule again from now
        self.cancel_timers()
        self.on_start()

    def reference(self) -> int | None:
        """The price to quote around, in price units (None when there is none)."""
        book = self.book
        bid, ask = book.best_bid, book.best_ask
        if bid is not None and ask is not None:
            return (bid + ask) // 2 // book.tick * book.tick
        return book.last_price if book.last_price is not None else book.reference_price

    def quote(self) -> None:
        center = self.reference()
        if center is None:
            return
        p = self.params
        tick = self.book.tick
        center += self.rng.randint(-p.jitter_ticks, p.jitter_ticks) * tick
        half = p.spread_ticks // 2 * tick
        size = p.qty_lots * self.book.lot
        self.cancel_all()
        if center - half > 0:
            self.send(BUY, size, center - half)
        self.send(SELL, size, center + half)
        self.quotes_sent += 1

    def on_fill(self, order: Order, qty: int, price: int) -> None:
        """A quote traded: quote again as soon as the clock runs timers. Fills arrive
        while the venue is delivering a batch of events, so a bot schedules its answer
        rather than trading from inside the handler."""
        self.after(0, self.quote)

    def report(self) -> dict[str, Any]:
        """The base report (orders, fills, position, P&L) plus the quote updates."""
        out = super().report()
        out["quotes_sent"] = self.quotes_sent
        return out
