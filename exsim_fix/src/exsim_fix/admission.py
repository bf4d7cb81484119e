"""Admission of an in-sequence message: validation against the data dictionary, the
CompIDs, SendingTime and the PossDupFlag rules, answered with a session Reject (and a
Logout for CompID and SendingTime problems: test cases 2f, 2k, 2o).

A message that matched one of the session's layouts is already known to pass the
dictionary checks; one that passes them field by field teaches the session its layout
(see :mod:`exsim_fix.layouts`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .timefmt import parse_timestamp
from .validate import COMP_ID, REQUIRED_MISSING, SENDING_TIME, Problem, check

if TYPE_CHECKING:
    from .codec import FixMessage
    from .session import FixSession

__all__ = ["admit", "sending_time"]


def admit(fix: FixSession, msg: FixMessage, seq: int, consume: bool = True) -> bool:
    """Validate; on a problem send the session Reject (and end the session for
    CompID and SendingTime problems)."""
    if msg.checked:
        problem = None
    else:
        problem = check(
            msg.fields,
            msg.values,
            msg.bad_tag,
            msg.msg_type,
            fix.version,
            user_defined_tags=fix.params.user_defined_tags,
        )
        if problem is None:
            fix.layouts.learn(msg)
    values = msg.values
    if problem is None:
        if values[b"49"] != fix._their_b or values[b"56"] != fix._our_b:
            problem = Problem(COMP_ID)
        elif fix.tolerance_ns:
            sent = sending_time(fix, values[b"52"])
            if sent is None or abs(sent - fix.clock.now_ns()) > fix.tolerance_ns:
                problem = Problem(SENDING_TIME)
        if problem is None and values.get(b"43") == b"Y" and msg.msg_type != "4":
            orig = values.get(b"122")
            if orig is None:
                problem = Problem(REQUIRED_MISSING, b"122")
            else:
                orig_ns = parse_timestamp(orig)
                if orig_ns is not None and orig_ns > (parse_timestamp(values[b"52"]) or 0):
                    problem = Problem(SENDING_TIME)
    if problem is None:
        return True
    fix.reject(msg, seq, problem, consume=consume)
    if problem.reason in (COMP_ID, SENDING_TIME):
        fix.logout(problem.text)
    return False


def sending_time(fix: FixSession, value: bytes) -> int | None:
    """SendingTime in ns; clients repeat the same text often, so the last is kept."""
    last = fix._last_time
    if value == last[0]:
        return last[1]
    sent = parse_timestamp(value)
    fix._last_time = (value, sent)
    return sent
