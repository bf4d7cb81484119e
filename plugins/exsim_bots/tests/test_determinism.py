"""Same seed and same clock give the same order stream: the event-stream digests of two
runs are equal; another seed gives another stream."""

from __future__ import annotations

from exsim_bots import MarketWatch
from exsim_core import Equity, FxSpot, ManualClock, Order, Simulator, TimeInForce

SECONDS = 30


def digest(seed: int, *, client_order_at_s: int | None = None) -> MarketWatch:
    """Two books (an equity at `fast`, a currency pair at `slow`) for ``SECONDS`` of a
    manual clock, optionally with a client market order halfway."""
    clock = ManualClock()
    sim = Simulator(clock=clock, autoload=False, plugins=["exsim_bots.plugin"])
    venue = sim.create_venue("XSIM")
    venue.add_instrument(Equity(symbol="ACME", reference_price="100.00"))
    venue.add_instrument(
        FxSpot(
            symbol="EURUSD",
            pair="EUR/USD",
            tick_size="0.00001",
            lot_size="1000",
            reference_price="1.08765",
        )
    )
    watch = MarketWatch(venue, "ACME")
    sim.create_bot("activity", "XSIM", "ACME", {"level": "fast"}, seed=seed).start()
    sim.create_bot("activity", "XSIM", "EURUSD", {"level": "slow"}, seed=seed).start()
    if client_order_at_s is None:
        clock.advance(seconds=SECONDS)
    else:
        clock.advance(seconds=client_order_at_s)
        venue.submit(Order("ACME", 1, 20, None, "market", TimeInForce.IOC, session="client"))
        clock.advance(seconds=SECONDS - client_order_at_s)
    watch.stop()
    return watch


def test_same_seed_and_clock_give_identical_event_streams() -> None:
    first, second = digest(42), digest(42)
    assert first.events > 20_000
    assert first.digest == second.digest


def test_another_seed_gives_another_event_stream() -> None:
    assert digest(42).digest != digest(43).digest


def test_a_client_order_changes_the_stream_and_replays_identically() -> None:
    quiet = digest(42)
    first, second = digest(42, client_order_at_s=15), digest(42, client_order_at_s=15)
    assert first.digest == second.digest != quiet.digest
