"""The injectable clock: a manual clock that tests advance, and the wall clock."""

from __future__ import annotations

import time

import anyio
import pytest

from exsim_core import BUY, ManualClock, Order, WallClock


def test_manual_clock_starts_on_a_monday_morning_by_default():
    assert ManualClock().now_ns() == 1_767_605_400 * 10**9


def test_manual_clock_reads_what_it_was_given():
    assert ManualClock(start_ns=42).now_ns() == 42


def test_manual_clock_moves_only_when_told():
    clock = ManualClock()
    before = clock.now_ns()
    time.sleep(0.001)

    assert clock.now_ns() == before


def test_advance_moves_the_reading_by_nanoseconds_and_seconds():
    clock = ManualClock(start_ns=0)
    clock.advance(5)
    clock.advance(seconds=1.5)

    assert clock.now_ns() == 1_500_000_005


def test_timer_runs_when_the_clock_reaches_it_and_sees_its_due_time():
    clock = ManualClock(start_ns=0)
    seen = []
    clock.call_at(100, lambda: seen.append(clock.now_ns()))
    clock.advance(99)
    assert seen == []

    clock.advance(1)
    assert seen == [100]


def test_timers_passed_in_one_advance_run_in_due_order_each_at_its_time():
    clock = ManualClock(start_ns=0)
    seen = []
    clock.call_at(300, lambda: seen.append(("c", clock.now_ns())))
    clock.call_at(100, lambda: seen.append(("a", clock.now_ns())))
    clock.call_at(200, lambda: seen.append(("b", clock.now_ns())))
    ran = clock.advance(1000)

    assert seen == [("a", 100), ("b", 200), ("c", 300)]
    assert ran == 3
    assert clock.now_ns() == 1000


def test_timers_due_at_one_instant_run_in_the_order_they_were_scheduled():
    clock = ManualClock(start_ns=0)
    seen = []
    for name in "xyz":
        clock.call_at(50, seen.append, name)
    clock.advance(50)

    assert seen == ["x", "y", "z"]


def test_timer_scheduled_by_a_timer_runs_in_the_same_advance_when_due():
    clock = ManualClock(start_ns=0)
    seen = []

    def reschedule():
        clock.call_later(5, lambda: seen.append(clock.now_ns()))

    clock.call_at(10, reschedule)
    clock.advance(20)

    assert seen == [15]


def test_canceled_timer_does_not_run():
    clock = ManualClock(start_ns=0)
    seen = []
    timer = clock.call_at(10, seen.append, "ran")
    timer.cancel()
    clock.advance(20)

    assert seen == []
    assert clock.pending == 0


def test_call_later_counts_from_the_current_reading():
    clock = ManualClock(start_ns=1_000)
    timer = clock.call_later(500, lambda: None)

    assert timer.when_ns == 1_500
    assert clock.next_due_ns() == 1_500


def test_next_due_is_none_without_pending_timers():
    assert ManualClock().next_due_ns() is None


def test_manual_clock_cannot_go_backwards():
    clock = ManualClock(start_ns=1_000)

    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1)
    with pytest.raises(ValueError, match="backwards"):
        clock.set(999)
    assert clock.now_ns() == 1_000


def test_wall_clock_reads_the_real_time():
    before = time.time_ns()
    reading = WallClock().now_ns()

    assert before <= reading <= time.time_ns()


def test_wall_clock_runs_due_timers_on_request():
    clock = WallClock()
    seen = []
    clock.call_at(clock.now_ns() - 1, seen.append, "due")
    clock.call_later(60 * 10**9, seen.append, "later")

    assert clock.run_due() == 1
    assert seen == ["due"]


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.mark.anyio
async def test_wall_clock_runs_timers_as_they_fall_due():
    clock = WallClock()
    fired = anyio.Event()
    clock.call_later(1_000_000, fired.set)

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            tg.start_soon(clock.run)
            await fired.wait()
            tg.cancel_scope.cancel()


def test_venue_stamps_each_batch_with_its_clock_reading(venue, events, clock):
    clock.advance(seconds=7)
    order = venue.submit(Order("ACME", BUY, 100, price=1000))

    assert events.batches[-1][0] == clock.now_ns()
    assert order.entered_ns == clock.now_ns()
