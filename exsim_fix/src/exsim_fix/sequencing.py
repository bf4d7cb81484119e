"""MsgSeqNum rules of an established session: too high, too low, the queue of
messages received ahead of a gap, and SequenceReset-Reset (PROTOCOLS 5.5 rules 8-11
and 20-21; FIX session test cases 2b, 2c, 2e-2g, 10, 11, 20)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from .admission import admit
from .timefmt import parse_timestamp
from .validate import REQUIRED_MISSING, SENDING_TIME, Problem, check

if TYPE_CHECKING:
    from .codec import FixMessage
    from .session import FixSession

__all__ = ["drain", "sequence_reset", "too_high", "too_low"]

log = logging.getLogger("exsim.fix")
MAX_QUEUED = 100_000


def too_high(fix: FixSession, msg: FixMessage, seq: int, expected: int) -> None:
    mt = msg.msg_type
    if mt == "5":
        fix.on_logout()
        return
    if len(fix.queue) >= MAX_QUEUED:
        fix.logout("too many messages out of sequence", disconnect=True)
        return
    if mt == "2" and admit(fix, msg, seq, consume=False):
        fix.on_resend_request(msg)
        fix.queue[seq] = None  # acted on already: only its number is pending
    else:
        fix.queue[seq] = msg
    if fix.resend_until and expected < fix.resend_until:
        return  # this gap is already asked for
    fix.resend_until = seq
    end = 0 if fix.version.rank >= 42 else 999999
    fix.out.send(b"2", b"7=%d\x0116=%d\x01" % (expected, end))


def too_low(fix: FixSession, msg: FixMessage, seq: int, expected: int) -> None:
    values = msg.values
    if values.get(b"43") == b"Y":
        if msg.msg_type != "4":
            orig = values.get(b"122")
            if orig is None:
                fix.reject(msg, seq, Problem(REQUIRED_MISSING, b"122"), consume=False)
                return
            sent = parse_timestamp(values.get(b"52", b""))
            orig_ns = parse_timestamp(orig)
            if sent is not None and orig_ns is not None and orig_ns > sent:
                fix.reject(msg, seq, Problem(SENDING_TIME), consume=False)
                fix.logout("SendingTime accuracy problem")
        return
    fix.logout(f"MsgSeqNum too low, expecting {expected} but received {seq}", disconnect=True)


def drain(fix: FixSession) -> None:
    queue = fix.queue
    while fix.conn is not None:
        expected = fix.out.next_in
        if expected not in queue:
            break
        msg = queue.pop(expected)
        if msg is None:
            fix.out.next_in = expected + 1
        else:
            fix._process(msg, expected)
    for seq in [s for s in queue if s < fix.out.next_in]:
        del queue[seq]
    if fix.resend_until and fix.out.next_in >= fix.resend_until:
        fix.resend_until = 0
        if queue and fix.conn is not None:
            # a gap is left (test case 20): ask again
            first = min(queue)
            fix.resend_until = first
            end = 0 if fix.version.rank >= 42 else 999999
            fix.out.send(b"2", b"7=%d\x0116=%d\x01" % (fix.out.next_in, end))


def sequence_reset(fix: FixSession, msg: FixMessage, seq: int) -> None:
    problem = check(
        msg.fields,
        msg.values,
        msg.bad_tag,
        "4",
        fix.version,
        user_defined_tags=fix.params.user_defined_tags,
    )
    if problem is not None:
        fix.reject(msg, seq, problem, consume=False)
        return
    new = int(msg.values[b"36"])
    expected = fix.out.next_in
    if new > expected:
        fix.out.next_in = new
        for s in [s for s in fix.queue if s < new]:
            del fix.queue[s]
        drain(fix)
    elif new < expected:
        fix.reject(msg, seq, Problem(5), consume=False)
    else:
        log.warning("session %s: SequenceReset to the expected number %d", fix.id, new)
