"""The liquidity provider keeps a ladder N levels deep on both sides around fair value."""

from __future__ import annotations

import math

from exsim_bots import LiquidityBot, fair_value_of
from exsim_core import BUY, SELL, ManualClock, Order, Simulator, TimeInForce, Venue

STILL = {"volatility": 0}


def _ladder(venue: Venue, side: int) -> list[tuple[int, int]]:
    return [(px, qty) for px, qty, _ in venue.book("ACME").depth(side)]


def test_ladder_is_levels_deep_on_both_sides_at_offset_and_spacing(
    sim: Simulator, venue: Venue
) -> None:
    params = {"levels": 4, "offset_ticks": 2, "spacing_ticks": 3, "qty_lots": 7}
    sim.create_bot("liquidity", "XSIM", "ACME", params | {"fair_value": STILL}).start()
    assert _ladder(venue, BUY) == [(9998, 7), (9995, 7), (9992, 7), (9989, 7)]
    assert _ladder(venue, SELL) == [(10002, 7), (10005, 7), (10008, 7), (10011, 7)]


def test_ladder_follows_the_fair_value_at_every_refresh(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    fv = {"volatility_ticks": 5, "step_ms": 100}
    bot = sim.create_bot(
        "liquidity", "XSIM", "ACME", {"levels": 3, "refresh_ms": 500, "fair_value": fv}
    )
    bot.start()
    process = fair_value_of(venue.book("ACME"))
    assert process is not None
    tops = set()
    for _ in range(40):
        clock.advance(seconds=0.5)
        fair = process.value_units()
        want_bids = [math.floor(fair - r) for r in (1, 2, 3)]
        want_asks = [math.ceil(fair + r) for r in (1, 2, 3)]
        assert [px for px, _ in _ladder(venue, BUY)] == want_bids
        assert [px for px, _ in _ladder(venue, SELL)] == want_asks
        tops.add(want_bids[0])
    assert len(tops) > 10


def test_ladder_moves_by_replacing_orders_not_by_canceling_them(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    bot = sim.create_bot(
        "liquidity", "XSIM", "ACME", {"levels": 5, "fair_value": {"volatility_ticks": 3}}
    )
    bot.start()
    clock.advance(seconds=60)
    assert isinstance(bot, LiquidityBot)
    assert (bot.sent, bot.cancels_sent) == (10, 0)
    assert bot.replaces_sent > 50


def test_level_taken_by_a_client_is_sent_again_at_the_next_refresh(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    sim.create_bot(
        "liquidity", "XSIM", "ACME", {"levels": 3, "qty_lots": 5, "fair_value": STILL}
    ).start()
    taker = venue.submit(Order("ACME", BUY, 5, None, "market", TimeInForce.IOC, session="c"))
    assert (taker.cum_qty, _ladder(venue, SELL)) == (5, [(10002, 5), (10003, 5)])
    clock.advance(seconds=0.5)
    assert _ladder(venue, SELL) == [(10001, 5), (10002, 5), (10003, 5)]


def test_level_half_taken_is_topped_up(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    sim.create_bot(
        "liquidity", "XSIM", "ACME", {"levels": 1, "qty_lots": 10, "fair_value": STILL}
    ).start()
    venue.submit(Order("ACME", SELL, 6, 9999, session="client"))
    assert _ladder(venue, BUY) == [(9999, 4)]
    clock.advance(seconds=0.5)
    assert _ladder(venue, BUY) == [(9999, 10)]


def test_bots_orders_trade_with_clients_and_show_in_market_data(
    sim: Simulator, venue: Venue, record: object
) -> None:
    from exsim_core import events as ev

    seen = record()  # type: ignore[operator]
    bot = sim.create_bot("liquidity", "XSIM", "ACME", {"levels": 1, "fair_value": STILL})
    bot.start()
    venue.submit(Order("ACME", SELL, 2, 9999, session="client"))
    kinds = [ev.KIND_NAMES[e[0]] for _, e in seen]
    assert kinds.count("book") >= 3
    trades = [e for _, e in seen if e[0] == ev.TRADE]
    assert [(t[3], t[4], t[6].session, t[7].session) for t in trades] == [
        (9999, 2, bot.session, "client")
    ]
    assert bot.position == 2
