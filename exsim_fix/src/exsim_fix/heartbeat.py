"""Heartbeat and TestRequest timers of a logged-on session, on the venue clock.

* Nothing sent for HeartBtInt → send a Heartbeat.
* Nothing received for 1.2 x HeartBtInt → send a TestRequest (the "reasonable
  transmission time" of the FIX session test cases is 20 % of the interval).
* Still nothing received at 2.4 x HeartBtInt → the link is dead: disconnect.

HeartBtInt 0 disables all three. One timer per direction is armed at a time; when it
fires early (traffic moved the deadline) it re-arms itself, so busy sessions do not
churn timers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from exsim_core.clock import Clock, Timer

__all__ = ["Heartbeats"]

NS = 1_000_000_000


class Heartbeats:
    """The two timers of one logged-on connection.

    :param interval_s: HeartBtInt in seconds.
    :param last_sent: reads when we last sent something (ns).
    :param send_heartbeat: send a Heartbeat now.
    :param send_test_request: send a TestRequest with this TestReqID now.
    :param dead: the peer has been silent too long; disconnect.
    """

    def __init__(
        self,
        clock: Clock,
        *,
        interval_s: int,
        last_sent: Callable[[], int],
        send_heartbeat: Callable[[], None],
        send_test_request: Callable[[str], None],
        dead: Callable[[], None],
    ) -> None:
        self.clock = clock
        self.interval = interval_s * NS
        self.last_sent = last_sent
        self.send_heartbeat = send_heartbeat
        self.send_test_request = send_test_request
        self.dead = dead
        self.last_recv_ns = clock.now_ns()
        self.test_requests = 0
        self._out: Timer | None = None
        self._in: Timer | None = None
        self._stopped = False

    def start(self) -> None:
        if not self.interval:
            return
        now = self.clock.now_ns()
        self.last_recv_ns = now
        self._out = self.clock.call_at(now + self.interval, self._check_out)
        self._in = self.clock.call_at(now + self.interval * 6 // 5, self._check_in)

    def stop(self) -> None:
        self._stopped = True
        for timer in (self._out, self._in):
            if timer is not None:
                timer.cancel()
        self._out = self._in = None

    def received(self, now: int) -> None:
        self.last_recv_ns = now
        self.test_requests = 0

    def answered(self) -> None:
        """A Heartbeat answered our TestRequest."""
        self.test_requests = 0

    def _check_out(self) -> None:
        if self._stopped:
            return
        now = self.clock.now_ns()
        due = self.last_sent() + self.interval
        if now >= due:
            self.send_heartbeat()
            due = now + self.interval
        self._out = self.clock.call_at(due, self._check_out)

    def _check_in(self) -> None:
        if self._stopped:
            return
        now = self.clock.now_ns()
        silent = now - self.last_recv_ns
        limit = self.interval * 6 // 5
        if silent >= self.interval * 12 // 5:
            self.dead()
            return
        if silent >= limit:
            if not self.test_requests:
                self.test_requests += 1
                self.send_test_request("TEST")
            due = self.last_recv_ns + self.interval * 12 // 5
        else:
            due = self.last_recv_ns + limit
        self._in = self.clock.call_at(due, self._check_in)
