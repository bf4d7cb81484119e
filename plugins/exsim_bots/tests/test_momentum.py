"""The momentum trader follows the trend of the market price, within its limits."""

from __future__ import annotations

from exsim_bots import MomentumBot
from exsim_core import BUY, SELL, Cancel, ManualClock, Order, Simulator, TimeInForce, Venue
from exsim_core import events as ev


class Market:
    """A client quoting a two-sided market whose mid the test moves."""

    def __init__(self, venue: Venue) -> None:
        self.venue = venue
        self.ids: list[int] = []

    def quote(self, mid: int) -> None:
        for order_id in self.ids:
            if self.venue.order(order_id) is not None:
                self.venue.cancel(Cancel(order_id, "mm"))
        bid = self.venue.submit(Order("ACME", BUY, 100, mid - 1, session="mm"))
        ask = self.venue.submit(Order("ACME", SELL, 100, mid + 1, session="mm"))
        self.ids = [bid.order_id, ask.order_id]


def _momentum(sim: Simulator, **params: object) -> MomentumBot:
    bot = sim.create_bot(
        "momentum",
        "XSIM",
        "ACME",
        {"interval_ms": 1000, "fast_s": 2, "slow_s": 10, "threshold_ticks": 2} | params,
    )
    assert isinstance(bot, MomentumBot)
    bot.start()
    return bot


def _trend(market: Market, clock: ManualClock, start: int, step: int, seconds: int) -> None:
    for i in range(seconds):
        market.quote(start + i * step)
        clock.advance(seconds=1)


def test_rising_market_makes_it_buy(sim: Simulator, venue: Venue, clock: ManualClock) -> None:
    bot = _momentum(sim)
    _trend(Market(venue), clock, 10_000, 2, 10)
    assert bot.position > 0
    assert all(o.side == BUY and o.tif == TimeInForce.IOC for o in bot.orders.values())


def test_falling_market_makes_it_sell(sim: Simulator, venue: Venue, clock: ManualClock) -> None:
    bot = _momentum(sim)
    _trend(Market(venue), clock, 10_000, -2, 10)
    assert bot.position < 0


def test_flat_market_makes_it_do_nothing(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    bot = _momentum(sim)
    _trend(Market(venue), clock, 10_000, 0, 30)
    assert (bot.sent, bot.position) == (0, 0)


def test_position_stays_within_its_limit(sim: Simulator, venue: Venue, clock: ManualClock) -> None:
    bot = _momentum(sim, qty_lots=2, max_position_lots=5)
    _trend(Market(venue), clock, 10_000, 3, 60)
    assert bot.position == 4


def test_orders_are_ioc_limits_slippage_ticks_through_the_best_offer(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    bot = _momentum(sim, slippage_ticks=3)
    book = venue.book("ACME")
    seen: list[tuple[int | None, int | None, int]] = []

    def bot_orders(batch: list[tuple[object, ...]], now: int) -> None:
        for e in batch:
            order = e[1]
            if e[0] == ev.ACCEPTED and isinstance(order, Order) and order.session == bot.session:
                # the client's offer has 100 lots: the bot's order leaves it in place
                seen.append((order.price, book.best_ask, order.tif))

    venue.subscribe(bot_orders)
    _trend(Market(venue), clock, 10_000, 2, 10)
    assert seen
    assert all(ask is not None and price == ask + 3 for price, ask, _ in seen)
    assert {tif for *_, tif in seen} == {TimeInForce.IOC}
