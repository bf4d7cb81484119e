"""Time, injectable: a wall clock for standalone venues, a manual clock for tests.

Every time-dependent behaviour in exsim (DAY and GTD expiry, delays in engine behaviours,
bot schedules, session heartbeats in managed mode) reads the venue's clock and schedules
timers on it, so a test that advances a :class:`ManualClock` sees exactly the same events
every run.

Timers run in due-time order; timers due at the same instant run in the order they were
scheduled. On a :class:`ManualClock` they run inside :meth:`ManualClock.advance`, with the
clock reading set to each timer's due time. On a :class:`WallClock` something must drive
them: :meth:`WallClock.run` (an async task, as the daemon does) or :meth:`Clock.run_due`
(a synchronous call, for programs without an event loop).
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Callable
from typing import Any

import anyio
import anyio.lowlevel

__all__ = ["Clock", "ManualClock", "Timer", "WallClock"]

NS_PER_SECOND = 1_000_000_000


class Timer:
    """A scheduled call; :meth:`cancel` stops it from running."""

    __slots__ = ("args", "callback", "cancelled", "when_ns")

    def __init__(self, when_ns: int, callback: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.when_ns = when_ns
        self.callback = callback
        self.args = args
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def __repr__(self) -> str:
        state = " cancelled" if self.cancelled else ""
        return f"<Timer at {self.when_ns}{state} {self.callback!r}>"


class Clock:
    """Base of both clocks: a reading in nanoseconds since the epoch, and timers."""

    def __init__(self) -> None:
        self._heap: list[tuple[int, int, Timer]] = []
        self._order = itertools.count()
        self._changed: anyio.Event | None = None

    def now_ns(self) -> int:
        raise NotImplementedError

    def call_at(self, when_ns: int, callback: Callable[..., Any], *args: Any) -> Timer:
        """Run ``callback(*args)`` once the clock reads ``when_ns`` or later."""
        timer = Timer(when_ns, callback, args)
        heapq.heappush(self._heap, (when_ns, next(self._order), timer))
        if self._changed is not None and self._heap[0][2] is timer:
            self._changed.set()
        return timer

    def call_later(self, delay_ns: int, callback: Callable[..., Any], *args: Any) -> Timer:
        return self.call_at(self.now_ns() + delay_ns, callback, *args)

    def next_due_ns(self) -> int | None:
        """When the earliest pending timer is due, or None when none is pending."""
        heap = self._heap
        while heap and heap[0][2].cancelled:
            heapq.heappop(heap)
        return heap[0][0] if heap else None

    @property
    def pending(self) -> int:
        """How many timers are scheduled and not cancelled."""
        return sum(1 for _, _, t in self._heap if not t.cancelled)

    def run_due(self) -> int:
        """Run every timer that is due at the current reading; return how many ran."""
        return self._run_until(self.now_ns())

    def _run_until(self, now: int) -> int:
        ran = 0
        heap = self._heap
        while heap and heap[0][0] <= now:
            _, _, timer = heapq.heappop(heap)
            if timer.cancelled:
                continue
            timer.cancelled = True
            self._before_timer(timer.when_ns)
            timer.callback(*timer.args)
            ran += 1
        return ran

    def _before_timer(self, when_ns: int) -> None:
        """Hook for clocks whose reading follows the timers (the manual clock)."""


class WallClock(Clock):
    """The real time (``time.time_ns``)."""

    def now_ns(self) -> int:
        return time.time_ns()

    async def run(self) -> None:
        """Run timers as they fall due, forever (cancel the task to stop)."""
        while True:
            self._changed = anyio.Event()
            due = self.next_due_ns()
            if due is None:
                await self._changed.wait()
                continue
            delay = (due - time.time_ns()) / NS_PER_SECOND
            if delay > 0:
                with anyio.move_on_after(delay):
                    await self._changed.wait()
                continue
            self.run_due()
            await anyio.lowlevel.checkpoint()


class ManualClock(Clock):
    """A clock that moves only when told to, for deterministic tests.

    :param start_ns: the first reading (default 2026-01-05 09:30:00 UTC, a Monday morning).
    """

    DEFAULT_START_NS = 1_767_605_400 * NS_PER_SECOND

    def __init__(self, start_ns: int | None = None) -> None:
        super().__init__()
        self._now = self.DEFAULT_START_NS if start_ns is None else start_ns

    def now_ns(self) -> int:
        return self._now

    def _before_timer(self, when_ns: int) -> None:
        self._now = max(self._now, when_ns)

    def advance(self, ns: int = 0, *, seconds: float = 0.0) -> int:
        """Move forward by ``ns`` plus ``seconds``, running the timers that fall due on
        the way, each at its own due time. Returns how many timers ran."""
        delta = ns + round(seconds * NS_PER_SECOND)
        if delta < 0:
            raise ValueError("a clock cannot go backwards")
        return self.set(self._now + delta)

    def set(self, now_ns: int) -> int:
        """Move to ``now_ns`` (not backwards), running the timers due on the way."""
        if now_ns < self._now:
            raise ValueError(f"a clock cannot go backwards ({now_ns} < {self._now})")
        ran = self._run_until(now_ns)
        self._now = now_ns
        return ran
