"""The daemon's clocks: the standard ones, plus a way to pin the reading during replay.

While a journal is replayed every command must see the clock reading it saw when it
first ran; :meth:`pin` sets that reading, :meth:`unpin` returns to normal time (the wall
clock's real time; a manual clock simply stays at the last pinned reading). No timer runs
while pinned: timer firings are journal entries of their own.
"""

from __future__ import annotations

import time

from exsim_core.clock import ManualClock, WallClock

__all__ = ["DaemonClock", "DaemonManualClock", "DaemonWallClock", "make_clock"]


class DaemonWallClock(WallClock):
    """The wall clock, whose reading can be pinned for a replay."""

    _pinned: int | None = None

    def now_ns(self) -> int:
        pinned = self._pinned
        return time.time_ns() if pinned is None else pinned

    def pin(self, now_ns: int) -> None:
        self._pinned = now_ns

    def unpin(self) -> None:
        self._pinned = None


class DaemonManualClock(ManualClock):
    """The manual clock, which a replay moves without running timers."""

    def pin(self, now_ns: int) -> None:
        self._now = max(self._now, now_ns)

    def unpin(self) -> None:
        """A manual clock stays where the replay left it."""


DaemonClock = DaemonWallClock | DaemonManualClock


def make_clock(kind: str, start_ns: int | None = None) -> DaemonClock:
    """A ``"wall"`` or ``"manual"`` clock (a manual one starts at ``start_ns``)."""
    if kind == "wall":
        return DaemonWallClock()
    return DaemonManualClock(start_ns)
