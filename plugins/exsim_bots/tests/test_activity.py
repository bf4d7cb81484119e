"""Activity levels: presets of bots per book, driven through the generic bot calls
(create, start, stop, reconfigure, report) that config files and the management API use."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pydantic
import pytest

from exsim_bots import ActivityBot, MarketBot
from exsim_core import (
    BUY,
    Bot,
    ConfigError,
    ManualClock,
    Order,
    Simulator,
    TimeInForce,
    TradingStatus,
    Venue,
)
from exsim_core import events as ev

Recorded = Callable[[], list[tuple[int, tuple[Any, ...]]]]


def _activity(sim: Simulator, level: str, seed: int = 7, **params: Any) -> ActivityBot:
    bot = sim.create_bot("activity", "XSIM", "ACME", {"level": level} | params, seed=seed)
    assert isinstance(bot, ActivityBot)
    bot.start()
    return bot


def _messages(bot: ActivityBot) -> int:
    return sum(b.messages_sent for b in bot.bots.values())


def _bot_orders(venue: Venue) -> list[Order]:
    return [o for o in venue.orders.values() if o.session.startswith("bot:")]


def test_level_none_sends_nothing(sim: Simulator, clock: ManualClock, record: Recorded) -> None:
    bot = _activity(sim, "none")
    clock.advance(seconds=600)
    assert (bot.bots, record()) == ({}, [])


def test_level_slow_sends_a_few_order_messages_per_second(
    sim: Simulator, clock: ManualClock
) -> None:
    bot = _activity(sim, "slow")
    clock.advance(seconds=600)
    assert 1 <= _messages(bot) / 600 <= 10


def test_level_slow_keeps_a_readable_two_sided_book(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    _activity(sim, "slow")
    clock.advance(seconds=300)
    book = venue.book("ACME")
    assert 5 <= len(book.bid_prices) <= 20
    assert 5 <= len(book.ask_keys) <= 20


def test_level_fast_sends_hundreds_of_order_messages_per_second(
    sim: Simulator, clock: ManualClock
) -> None:
    bot = _activity(sim, "fast")
    clock.advance(seconds=30)
    assert _messages(bot) / 30 >= 200


def test_each_bot_of_a_level_is_a_session_of_its_own(sim: Simulator, venue: Venue) -> None:
    bot = _activity(sim, "fast")
    assert sorted(b.session for b in bot.bots.values()) == [
        "bot:activity:ACME/liquidity",
        "bot:activity:ACME/market_maker",
        "bot:activity:ACME/momentum",
        "bot:activity:ACME/noise",
    ]


def test_changing_the_level_while_running_takes_effect_at_once(
    sim: Simulator, clock: ManualClock
) -> None:
    bot = _activity(sim, "slow")
    clock.advance(seconds=60)
    before = _messages(bot)
    bot.reconfigure({"level": "fast"})
    clock.advance(seconds=5)
    assert _messages(bot) - before >= 5 * 200
    assert sorted(bot.bots) == ["liquidity", "market_maker", "momentum", "noise"]


def test_bots_kept_by_the_new_level_keep_their_orders(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    bot = _activity(sim, "slow")
    clock.advance(seconds=10)
    ladder = bot.bots["liquidity"]
    kept = sorted(ladder.orders)
    bot.reconfigure({"liquidity": {"refresh_ms": 60_000}})
    assert sorted(ladder.orders) == kept
    assert bot.bots["liquidity"] is ladder


def test_level_none_while_running_cancels_every_bot_order(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    bot = _activity(sim, "fast")
    clock.advance(seconds=5)
    assert _bot_orders(venue)
    bot.reconfigure({"level": "none"})
    assert (_bot_orders(venue), bot.bots) == ([], {})
    clock.advance(seconds=60)
    assert _bot_orders(venue) == []


def test_overrides_change_the_preset_parameters(sim: Simulator) -> None:
    bot = _activity(sim, "slow", liquidity={"levels": 3}, noise={"rate": 9})
    assert bot.bots["liquidity"].params.levels == 3  # type: ignore[attr-defined]
    assert bot.bots["noise"].params.rate == 9  # type: ignore[attr-defined]
    assert bot.bots["liquidity"].params.refresh_ms == 2000  # type: ignore[attr-defined]


def test_overrides_stay_when_the_level_changes(sim: Simulator) -> None:
    bot = _activity(sim, "slow", noise={"rate": 9})
    bot.reconfigure({"level": "fast"})
    assert bot.bots["noise"].params.rate == 9  # type: ignore[attr-defined]
    assert bot.bots["noise"].params.max_orders == 50  # type: ignore[attr-defined]


def test_unknown_override_is_refused_and_changes_nothing(
    sim: Simulator, clock: ManualClock
) -> None:
    bot = _activity(sim, "slow")
    with pytest.raises(pydantic.ValidationError, match="speed"):
        bot.reconfigure({"level": "fast", "noise": {"speed": 3}})
    assert (bot.params.level, sorted(bot.bots), bot.running) == (
        "slow",
        ["liquidity", "market_maker", "noise"],
        True,
    )


def test_unknown_level_is_refused_with_the_known_ones(sim: Simulator) -> None:
    with pytest.raises(pydantic.ValidationError, match="'none', 'slow' or 'fast'"):
        sim.create_bot("activity", "XSIM", "ACME", {"level": "busy"})


def test_unknown_bot_kind_names_the_registered_kinds(sim: Simulator) -> None:
    with pytest.raises(ConfigError, match="registered: activity, liquidity, market_maker"):
        sim.create_bot("actvity", "XSIM", "ACME")


def test_fair_value_override_replaces_the_levels_volatility(sim: Simulator, venue: Venue) -> None:
    bot = _activity(sim, "slow", fair_value={"volatility": 0.05})
    assert bot.fv is not None
    assert (bot.fv.params.volatility, bot.fv.params.volatility_ticks) == (0.05, None)


def test_stop_cancels_the_orders_of_every_bot_and_start_resumes(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    bot = _activity(sim, "slow")
    clock.advance(seconds=10)
    bot.stop()
    clock.advance(seconds=10)
    assert (_bot_orders(venue), bot.running) == ([], False)
    bot.start()
    clock.advance(seconds=10)
    assert len(_bot_orders(venue)) >= 10


def test_bots_are_kept_by_name_and_deleted_through_the_simulator(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    bot = sim.create_bot("activity", "XSIM", "ACME", {"level": "slow"}, name="acme-activity")
    assert sim.bot("acme-activity") is bot
    bot.start()
    clock.advance(seconds=5)
    sim.delete_bot("acme-activity")
    assert ("acme-activity" in sim.bot_instances, _bot_orders(venue)) == (False, [])


def test_report_gives_orders_position_and_pnl_of_the_level_and_of_each_bot(
    sim: Simulator, venue: Venue, clock: ManualClock, record: Recorded
) -> None:
    bot = _activity(sim, "fast")
    venue.submit(Order("ACME", BUY, 50, None, "market", TimeInForce.IOC, session="client"))
    clock.advance(seconds=20)
    report = bot.report()
    parts = report["bots"].values()
    assert report["orders_sent"] == sum(p["orders_sent"] for p in parts) > 0
    assert report["live_orders"] == sum(p["live_orders"] for p in parts) > 0
    # the bots sold 50 to the client: together they are short 50
    assert Decimal(report["position"]) == sum(Decimal(p["position"]) for p in parts) == -50
    assert Decimal(report["pnl"]) == sum(Decimal(p["pnl"]) for p in parts)
    assert set(report) >= {"name", "kind", "running", "seed", "params", "fair_value", "fills"}
    ladder = report["bots"]["liquidity"]
    assert {o["side"] for o in ladder["orders"]} == {"buy", "sell"}


def test_reported_position_and_pnl_agree_with_the_bots_fills(
    sim: Simulator, venue: Venue, clock: ManualClock, record: Recorded
) -> None:
    bot = _activity(sim, "fast")
    clock.advance(seconds=20)
    for kind, member in bot.bots.items():
        position = cash = 0
        for _, e in record():
            if e[0] == ev.FILL and e[1].session == member.session:
                sign = 1 if e[1].side == BUY else -1
                position += sign * e[2]
                cash -= sign * e[2] * e[3]
        last = venue.book("ACME").last_price or 0
        report = member.report()
        assert Decimal(report["position"]) == position, kind
        assert Decimal(report["pnl"]) == Decimal(cash + position * last) / 100, kind


def test_bots_obey_venue_rules_and_count_their_rejects(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    bot = _activity(sim, "fast")
    clock.advance(seconds=2)
    venue.set_status(TradingStatus.HALTED, "ACME")
    clock.advance(seconds=2)
    assert bot.report()["rejects"] > 100
    venue.set_status(TradingStatus.OPEN, "ACME")
    clock.advance(seconds=2)
    assert venue.book("ACME").best_bid is not None


def test_every_bot_kind_is_registered_by_the_installed_distribution() -> None:
    sim = Simulator(clock=ManualClock(), autoload=True)
    info = sim.host.plugins["bots"]
    assert (info.distribution, info.source) == ("exsim-bots", "entry point")
    assert info.registered["bots"] == [
        "liquidity",
        "market_maker",
        "noise",
        "momentum",
        "activity",
    ]
    assert all(issubclass(sim.bots[k], Bot) for k in info.registered["bots"])
    assert all(issubclass(sim.bots[k], MarketBot) for k in info.registered["bots"][:-1])


def test_a_book_without_a_price_cannot_start_an_activity_and_nothing_runs(
    sim: Simulator, venue: Venue, clock: ManualClock
) -> None:
    from exsim_core import Equity

    venue.add_instrument(Equity(symbol="NOREF"))
    bot = sim.create_bot("activity", "XSIM", "NOREF", {"level": "fast"})
    with pytest.raises(ConfigError, match="NOREF has no last trade and no reference_price"):
        bot.start()
    clock.advance(seconds=10)
    assert (bot.running, venue.book("NOREF").best_bid, _bot_orders(venue)) == (False, None, [])
