"""The session layer of one FIX session, as an acceptor.

A :class:`FixSession` lives as long as its configured session (across connections and,
through the store, across restarts). Once a connection has logged on (see
:mod:`exsim_fix.logon`) every inbound message goes through :meth:`FixSession.on_message`,
which applies the rules of the FIX session test cases:

* MsgSeqNum as expected: validate (session Reject on a problem, the number is still
  consumed), check CompIDs and SendingTime, then act;
* too high: queue it and ask for the gap once (ResendRequest ``expected..0``); a Logout
  or ResendRequest is acted on at once all the same;
* too low: a PossDupFlag=Y duplicate is ignored (after OrigSendingTime checks), anything
  else ends the session with "MsgSeqNum too low, expecting X but received Y";
* SequenceReset-Reset is accepted whatever its MsgSeqNum; a GapFill follows the rules
  above.

Nothing here raises to the connection: a problem with a message is answered on the
wire and logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from exsim_core.clock import Timer

from .admission import admit
from .codec import FixMessage, Garbled
from .config import FixSessionParams
from .faults import Faults
from .heartbeat import Heartbeats
from .layouts import Layouts
from .logon import end_of_window, logon_answer
from .outbound import Outbound
from .routing import reverse_route
from .sequencing import drain, sequence_reset, too_high, too_low
from .validate import Problem
from .versions import version_of

if TYPE_CHECKING:
    from exsim_core import Session

    from .application import Application
    from .connection import Connection
    from .protocol import FixProtocol

__all__ = ["FixSession"]

log = logging.getLogger("exsim.fix")
NS = 1_000_000_000


class FixSession:
    """One configured FIX session and its state (see the module documentation)."""

    def __init__(self, protocol: FixProtocol, session: Session) -> None:
        from .application import Application

        self.protocol = protocol
        self.session = session
        self.id = session.id
        self.params = FixSessionParams.model_validate(session.params)
        self.version = version_of(self.params.begin_string)
        ident = session.identity
        self.their_comp_id = ident["sender_comp_id"]
        self.our_comp_id = ident["target_comp_id"]
        self.their_sub_id = ident.get("sender_sub_id") or None
        self.our_sub_id = ident.get("target_sub_id") or None
        self.username = ident.get("username") or None
        sender = b"49=%s\x01" % self.our_comp_id.encode()
        if self.our_sub_id:
            sender += b"50=%s\x01" % self.our_sub_id.encode()
        target = b"56=%s\x01" % self.their_comp_id.encode()
        if self.their_sub_id:
            target += b"57=%s\x01" % self.their_sub_id.encode()
        context = protocol.context
        self.clock = context.clock
        self._now = self.clock.reader()
        self.faults = Faults(self.clock)
        self.out = Outbound(
            session.id,
            self.version,
            sender,
            target,
            store=context.store,
            clock=self.clock,
            faults=self.faults,
        )
        self.conn: Connection | None = None
        self.logout_sent = False
        self.queue: dict[int, FixMessage | None] = {}
        self.resend_until = 0
        self.heartbeats: Heartbeats | None = None
        self._logout_timer: Timer | None = None
        self._end_timer: Timer | None = None
        self.tolerance_ns = int(self.params.sending_time_tolerance * NS)
        self._their_b = self.their_comp_id.encode()
        self._our_b = self.our_comp_id.encode()
        self._last_time: tuple[bytes, int | None] = (b"", None)
        #: the layouts of the messages this session's client sends (the fast path)
        self.layouts = Layouts(self.version)
        for fault in self.params.faults:
            self.faults.apply(fault, self.out)
        self.app: Application = Application(self)

    @property
    def logged_on(self) -> bool:
        return self.conn is not None

    # ------------------------------------------------------------------ life cycle
    def started(self, conn: Connection, heartbeat_s: int) -> None:
        """The connection ``conn`` has logged on (the Logon answer is sent)."""
        self.conn = conn
        self.heartbeats = Heartbeats(
            self.clock,
            interval_s=heartbeat_s,
            last_sent=lambda: self.out.last_sent_ns,
            send_heartbeat=self._timed_heartbeat,
            send_test_request=self.send_test_request,
            dead=lambda: self.drop("no answer to a TestRequest"),
        )
        self.heartbeats.start()
        end = end_of_window(self, self.clock.now_ns())
        if end is not None:
            self._end_timer = self.clock.call_at(end, self._window_ended, conn)
        self.protocol.context.session_started(self.session)
        self.session.peer = conn.peer

    def _window_ended(self, conn: Connection) -> None:
        if self.conn is conn:
            self.logout("end of the session's schedule")

    def connection_lost(self, reason: str) -> None:
        """The logged-on connection is gone (closed by either side)."""
        if self.conn is None:
            return
        self.conn = None
        self.out.writer = None
        if self.heartbeats is not None:
            self.heartbeats.stop()
            self.heartbeats = None
        for timer in (self._logout_timer, self._end_timer):
            if timer is not None:
                timer.cancel()
        self._logout_timer = self._end_timer = None
        self.queue.clear()
        self.resend_until = 0
        self.logout_sent = False
        self.app.disconnected()
        self.out.persist()
        self.out.store.flush()
        self.protocol.context.session_ended(self.session, reason)

    def drop(self, reason: str) -> None:
        """Close the connection now (after writing what is queued), without Logout."""
        log.warning("session %s: disconnecting: %s", self.id, reason)
        if self.conn is not None:
            self.conn.close(reason)

    def logout(self, text: str = "", disconnect: bool = False) -> None:
        """Send a Logout; wait ``logout_timeout`` for the answer (or close at once when
        ``disconnect``)."""
        if self.conn is None:
            return
        if not self.logout_sent:
            self.logout_sent = True
            self.out.send(b"5", b"58=%s\x01" % text.encode() if text else b"")
        if disconnect:
            self.drop(text or "logout")
        elif self._logout_timer is None:
            self._logout_timer = self.clock.call_later(
                int(self.params.logout_timeout * NS), self.drop, "no answer to our Logout"
            )

    # ------------------------------------------------------------------ inbound
    def garbled(self, item: Garbled) -> None:
        """A garbled message: ignored, no sequence number consumed (test cases 2d, 3b)."""
        log.warning("session %s: ignoring garbled message (%s)", self.id, item.reason)

    def on_message(self, msg: FixMessage) -> None:
        """Handle one inbound message of the logged-on connection."""
        hb = self.heartbeats
        if hb is not None:
            hb.received(self._now())
        if msg.begin_string != self.version.begin_string:
            self.logout("Incorrect BeginString", disconnect=True)
            return
        seq_b = msg.values.get(b"34")
        if seq_b is None or not seq_b.isdigit():
            self.logout("MsgSeqNum(34) is missing or not a number", disconnect=True)
            return
        seq = int(seq_b)
        mt = msg.msg_type
        if mt == "4" and msg.values.get(b"123") != b"Y":
            sequence_reset(self, msg, seq)
            return
        if mt == "A" and msg.values.get(b"141") == b"Y" and seq == 1:
            # an in-session reset: both directions restart at 1, whatever came before
            self.queue.clear()
            self.resend_until = 0
            self.out.next_in = 1
        expected = self.out.next_in
        if seq == expected:
            self._process(msg, seq)
            if self.queue:
                drain(self)
        elif seq > expected:
            too_high(self, msg, seq, expected)
        else:
            too_low(self, msg, seq, expected)

    def _process(self, msg: FixMessage, seq: int) -> None:
        if not admit(self, msg, seq):
            return
        self.out.next_in = seq + 1
        mt = msg.msg_type
        if len(mt) == 1 and mt in "012345A":
            self._admin(msg, mt, seq)
        else:
            self.app.on_message(msg, seq)

    def _admin(self, msg: FixMessage, mt: str, seq: int) -> None:
        values = msg.values
        if mt == "0":
            return
        if mt == "1":
            if not self.faults.heartbeats_stopped():
                self.out.send(b"0", b"112=%s\x01" % values[b"112"])
        elif mt == "2":
            self.on_resend_request(msg)
        elif mt == "4":
            new = int(values[b"36"])
            if new <= seq:
                self.reject(
                    msg,
                    seq,
                    Problem(
                        5, b"36", f"attempt to lower sequence number, invalid value NewSeqNo={new}"
                    ),
                    consume=False,
                )
            else:
                self.out.next_in = new
        elif mt == "5":
            self.on_logout()
        elif mt == "A":
            if values.get(b"141") == b"Y":
                self.out.reset()
                self.out.next_in = seq + 1 if seq == 1 else 2
                self.out.send(b"A", logon_answer(self, msg))
            else:
                self.logout("Logon received on a session already logged on", disconnect=True)

    def on_resend_request(self, msg: FixMessage) -> None:
        values = msg.values
        self.out.resend(int(values[b"7"]), int(values[b"16"]))

    def on_logout(self) -> None:
        if self.logout_sent:
            self.drop("logged out")
        else:
            self.logout_sent = True
            self.out.send(b"5")
            self.drop("logged out by the peer")

    def reject(self, msg: FixMessage, seq: int, problem: Problem, consume: bool = True) -> None:
        """Send a session Reject for ``msg``; ``consume`` moves past its number."""
        if consume and seq == self.out.next_in:
            self.out.next_in = seq + 1
        body = b"45=%d\x0158=%s\x01" % (seq, problem.text.encode())
        if self.version.has_session_reject_fields:
            if problem.tag is not None:
                body += b"371=%s\x01" % problem.tag
            body += b"372=%s\x01" % msg.msg_type.encode()
            reason = problem.reason
            rank = self.version.rank
            if reason <= self.version.max_reject_reason and (reason <= 11 or rank >= 43):
                body += b"373=%d\x01" % reason
        log.warning("session %s: rejecting message %d: %s", self.id, seq, problem.text)
        self.out.send(b"3", body, reverse_route(msg.values))

    def business_reject(
        self, msg: FixMessage, seq: int, reason: int, text: str, ref_id: bytes | None = None
    ) -> None:
        """BusinessMessageReject (4.2+), or a session Reject with the text before 4.2."""
        route = reverse_route(msg.values)
        if not self.version.has_business_reject:
            self.out.send(b"3", b"45=%d\x0158=%s\x01" % (seq, text.encode()), route)
            return
        body = b"45=%d\x0158=%s\x01372=%s\x01" % (seq, text.encode(), msg.msg_type.encode())
        if ref_id:
            body += b"379=%s\x01" % ref_id
        self.out.send(b"j", body + b"380=%d\x01" % reason, route)

    def send_test_request(self, test_req_id: str) -> None:
        self.out.send(b"1", b"112=%s\x01" % test_req_id.encode())

    def _timed_heartbeat(self) -> None:
        if not self.faults.heartbeats_stopped():
            self.out.send(b"0")

    def inject(self, spec: Any) -> str:
        """Apply a fault (see :class:`~exsim_fix.config.FaultSpec`)."""
        done = self.faults.apply(spec, self.out)
        if done == "disconnecting":
            self.drop("fault injected: disconnect")
        elif self.conn is not None:
            self.conn.kick()
        return done
