"""The management event queue: numbered events, long polls, explicit gaps."""

from __future__ import annotations

import anyio
import pytest

from exsim_core import BUY, Equity, ManualClock, Order, Simulator
from exsim_core.daemon import EventQueue


def _venue_with_queue(bound: int) -> tuple[object, EventQueue]:
    sim = Simulator(ManualClock(), autoload=False)
    venue = sim.create_venue("XSIM")
    venue.add_instrument(Equity(symbol="ACME"))
    queue = EventQueue(bound)
    venue.subscribe(queue.listener(venue))
    return venue, queue


def _submit(venue: object, n: int) -> None:
    for i in range(n):
        venue.submit(Order("ACME", BUY, 10, price=1000 + i))  # type: ignore[attr-defined]


def test_every_event_is_numbered_and_read_in_order() -> None:
    venue, queue = _venue_with_queue(1000)
    _submit(venue, 3)
    events = queue.read(0)
    assert [e["cursor"] for e in events] == list(range(1, len(events) + 1))
    assert [e["kind"] for e in events[:3]] == ["accepted", "added", "book"]
    assert queue.read(events[-1]["cursor"]) == []


def test_reading_after_a_cursor_returns_only_later_events() -> None:
    venue, queue = _venue_with_queue(1000)
    _submit(venue, 1)
    seen = queue.read(0)[-1]["cursor"]
    _submit(venue, 1)
    later = queue.read(seen)
    assert later[0]["cursor"] == seen + 1


def test_a_client_behind_the_bound_gets_a_dropped_marker_not_a_gap() -> None:
    venue, queue = _venue_with_queue(10)
    _submit(venue, 10)  # 30 events, only the last 10 kept
    events = queue.read(0)
    assert events[0] == {"cursor": 20, "kind": "dropped", "from": 1, "to": 20}
    assert [e["cursor"] for e in events[1:]] == list(range(21, 31))


def test_an_order_event_shows_the_state_the_order_had_then() -> None:
    venue, queue = _venue_with_queue(100)
    order = Order("ACME", BUY, 10, price=1000)
    venue.submit(order)  # type: ignore[attr-defined]
    from exsim_core import Cancel

    venue.cancel(Cancel(order.order_id))  # type: ignore[attr-defined]
    states = [(e["kind"], e["order"]["state"]) for e in queue.read(0) if "order" in e]
    assert states[0] == ("accepted", "new")
    assert states[-1] == ("canceled", "canceled")


@pytest.mark.anyio
async def test_a_long_poll_returns_as_soon_as_an_event_arrives() -> None:
    venue, queue = _venue_with_queue(100)
    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            tg.start_soon(queue.wait, 0, 10.0)
            await anyio.sleep(0.01)
            _submit(venue, 1)
    assert queue.read(0)


@pytest.mark.anyio
async def test_a_long_poll_without_events_ends_at_its_timeout() -> None:
    _venue, queue = _venue_with_queue(100)
    with anyio.fail_after(5):
        await queue.wait(0, 0.05)
    assert queue.read(0) == []


def test_a_replaced_event_gives_the_new_quantity_and_price_as_they_were_then() -> None:
    from exsim_core import Replace

    venue, queue = _venue_with_queue(100)
    order = Order("ACME", BUY, 10, price=1000)
    venue.submit(order)  # type: ignore[attr-defined]
    venue.replace(Replace(order.order_id, qty=20, price=1001))  # type: ignore[attr-defined]
    venue.replace(Replace(order.order_id, qty=30, price=1002))  # type: ignore[attr-defined]
    replaced = [(e["qty"], e["price"]) for e in queue.read(0) if e["kind"] == "replaced"]
    assert replaced == [("20", "10.01"), ("30", "10.02")]
