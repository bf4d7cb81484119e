"""The outbound side of a session: sequencing, the message store, resend, faults.

Every message the venue sends gets the next MsgSeqNum, is framed once and, when it is an
application message, appended to the store (stream ``fix:<session>:out``) *before* it is
written, so a ResendRequest can always be answered, across restarts. Session messages are
not stored: a sequence number with no stored message is gap-filled on resend, which is
what the FIX recovery rules ask for (Logon, Logout, Heartbeat, TestRequest,
ResendRequest, SequenceReset and session Reject are never resent).

Sequence numbers persist under the key space ``fix:<session>`` (``next_in``,
``next_out``), written once per batch of work by :meth:`Outbound.persist`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import simplefix  # type: ignore[import-untyped]

from .codec import FixMessage, checksum, parse
from .timefmt import format_timestamp

if TYPE_CHECKING:
    from exsim_core.clock import Clock
    from exsim_core.store import Store

    from .faults import Faults
    from .versions import FixVersion

__all__ = ["Outbound", "Writer"]

_ADMIN = frozenset({b"0", b"1", b"2", b"3", b"4", b"5", b"A"})
_HEADER_OUT = frozenset(
    {b"8", b"9", b"10", b"34", b"35", b"43", b"49", b"50", b"52", b"56", b"57", b"97", b"122"}
)


class Writer(Protocol):
    """Where framed messages go (a connection)."""

    def write(self, data: bytes) -> None: ...


class Outbound:
    """Sequenced, stored, fault-aware sending for one session.

    :param session_id: the session's id (names its store keys).
    :param version: the session's FIX version.
    :param sender: our CompID header fields, e.g. ``b"49=EXSIM\\x01"``.
    :param target: their CompID header fields, e.g. ``b"56=CLIENT\\x01"``.
    """

    def __init__(
        self,
        session_id: str,
        version: FixVersion,
        sender: bytes,
        target: bytes,
        *,
        store: Store,
        clock: Clock,
        faults: Faults,
    ) -> None:
        self.version = version
        self.begin = version.bytes
        self.sender = sender
        self.target = target
        self.store = store
        self.clock = clock
        self._now = clock.reader()
        self._start = b"8=%s\x019=" % self.begin
        self.faults = faults
        self.ns = f"fix:{session_id}"
        self.stream = f"fix:{session_id}:out"
        self.writer: Writer | None = None
        self.next_out = int(store.get(self.ns, "next_out") or 1)
        self.next_in = int(store.get(self.ns, "next_in") or 1)
        self.last_sent_ns = 0
        self._saved = (self.next_in, self.next_out)

    # ------------------------------------------------------------------ sending
    def send(self, msg_type: bytes, body: bytes = b"", route: bytes = b"") -> int:
        """Sequence, frame, store (application messages) and write one message; returns
        its MsgSeqNum. ``body`` holds the fields after the standard header; ``route``
        the routing header fields (see :mod:`exsim_fix.routing`)."""
        seq = self.next_out
        self.next_out = seq + 1
        now = self._now()
        body = b"35=%s\x0134=%d\x01%s52=%s\x01%s%s%s" % (
            msg_type,
            seq,
            self.sender,
            format_timestamp(now),
            self.target,
            route,
            body,
        )
        # codec.frame, inlined: this runs for every message sent
        msg = b"%s%d\x01%s" % (self._start, len(body), body)
        raw = b"%s10=%03d\x01" % (msg, checksum(msg))
        admin = msg_type in _ADMIN
        if not admin:
            self.store.append(self.stream, seq, raw)
        self.last_sent_ns = now
        writer = self.writer
        if writer is None:
            # queued while disconnected: the client asks for it with a ResendRequest
            self.persist()
            self.store.flush()
        elif self.faults.active:
            self.faults.write(self, writer, msg_type, raw, admin)
        else:
            writer.write(raw)
        return seq

    def skip(self, count: int) -> None:
        """Leave ``count`` sequence numbers unused (a gap the client must fill)."""
        self.next_out += count

    def sequence_reset(self, new_seq: int) -> None:
        """Send a SequenceReset-Reset: the peer expects ``new_seq`` next (its own
        MsgSeqNum does not count)."""
        self.send(b"4", b"36=%d\x01" % new_seq)
        self.next_out = new_seq

    def persist(self) -> None:
        """Write the sequence numbers to the store if they changed."""
        state = (self.next_in, self.next_out)
        if state != self._saved:
            self.store.put(self.ns, "next_in", str(state[0]))
            self.store.put(self.ns, "next_out", str(state[1]))
            self._saved = state

    def reset(self) -> None:
        """Both directions start again at 1; the stored messages are forgotten."""
        self.next_in = 1
        self.next_out = 1
        self.store.truncate(self.stream)
        self.persist()

    # ------------------------------------------------------------------ resend
    def resend(self, begin: int, end: int) -> None:
        """Answer a ResendRequest: stored application messages again with
        PossDupFlag=Y and OrigSendingTime, every other number in gap fills."""
        last = self.next_out - 1
        if end == 0 or end in self.version.resend_infinity or end > last:
            end = last
        begin = max(begin, 1)
        if begin > end:
            return
        writer = self.writer
        if writer is None:
            return
        stored = dict(self.store.read(self.stream, begin, end))
        gap_from = 0
        for seq in range(begin, end + 1):
            raw = stored.get(seq)
            if raw is None:
                if not gap_from:
                    gap_from = seq
                continue
            if gap_from:
                writer.write(self.gap_fill(gap_from, seq))
                gap_from = 0
            writer.write(self.poss_dup(raw))
        if gap_from:
            writer.write(self.gap_fill(gap_from, end + 1))
        self.last_sent_ns = self.clock.now_ns()

    def _message(self, msg_type: str, seq: int) -> simplefix.FixMessage:
        msg = simplefix.FixMessage()
        msg.append_pair(8, self.begin)
        msg.append_pair(35, msg_type)
        msg.append_pair(34, seq)
        return msg

    def _header(self, msg: simplefix.FixMessage, orig_time: bytes) -> None:
        msg.append_pair(43, "Y")
        for part in (
            self.sender,
            b"52=" + format_timestamp(self.clock.now_ns()) + b"\x01",
            self.target,
        ):
            for field in part.split(b"\x01")[:-1]:
                tag, _, value = field.partition(b"=")
                msg.append_pair(tag, value)
        msg.append_pair(122, orig_time)

    def gap_fill(self, seq: int, new_seq: int) -> bytes:
        """A SequenceReset-GapFill at ``seq`` moving the peer on to ``new_seq``."""
        msg = self._message("4", seq)
        self._header(msg, format_timestamp(self.clock.now_ns()))
        msg.append_pair(123, "Y")
        msg.append_pair(36, new_seq)
        return bytes(msg.encode())

    def poss_dup(self, raw: bytes) -> bytes:
        """``raw`` (a stored message) again, as a possible duplicate."""
        parsed = parse(raw)
        assert isinstance(parsed, FixMessage), "stored messages are well formed"
        values = parsed.values
        msg = self._message(parsed.msg_type, int(values[b"34"]))
        self._header(msg, values[b"52"])
        for tag, value in parsed.fields:
            if tag not in _HEADER_OUT:
                msg.append_pair(tag, value)
        return bytes(msg.encode())
