"""A replace that raises an order's working quantity loses time priority, even when the
order was reduced by a cancel first (its total quantity then overstates what works)."""

from __future__ import annotations

from exsim_core import BUY, SELL, Cancel, Equity, ManualClock, Order, Replace, Simulator


def test_a_size_increase_after_a_reduce_loses_priority_and_shows_everything() -> None:
    sim = Simulator(ManualClock(), autoload=False)
    venue = sim.create_venue("XSIM")
    venue.add_instrument(Equity(symbol="ACME"))
    first = venue.submit(Order("ACME", BUY, 200, 1000, session="a"))
    second = venue.submit(Order("ACME", BUY, 100, 1000, session="b"))
    venue.cancel(Cancel(first.order_id, "a", leaves_to=50))
    venue.replace(Replace(first.order_id, "a", qty=150))
    resting = venue.book("ACME").resting(BUY)
    assert [(o.order_id, o.leaves, o.shown) for o in resting] == [
        (second.order_id, 100, 100),
        (first.order_id, 150, 150),
    ]
    taker = venue.submit(Order("ACME", SELL, 300, 1000, tif=3, session="c"))
    assert taker.cum_qty == 250
