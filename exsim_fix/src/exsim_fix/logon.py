"""Logon: the first message of a connection, and the acceptor's answer.

Rules (FIX session test cases 1S, 2S; PROTOCOLS 5.5 rules 1-7):

* the first message must be a Logon, and not garbled: otherwise disconnect, sending
  nothing (a reply would consume a sequence number of a session not established);
* an identity that is not configured (CompIDs, BeginString), a bad SendingTime or a
  FIXT Logon without DefaultApplVerID: disconnect, sending nothing;
* a session that is already logged on: the *new* connection is closed silently;
* credentials, heartbeat bounds, the session schedule and the ``exsim_session_logon``
  hook refuse with a Logout whose Text says why, then disconnect;
* a valid Logon is answered with a Logon (HeartBtInt echoed, ResetSeqNumFlag echoed,
  NextExpectedMsgSeqNum when the client sent one, DefaultApplVerID on FIXT); a MsgSeqNum
  above the expected one is followed by a ResendRequest, one below it (without a reset)
  ends the session with "MsgSeqNum too low".
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from typing import TYPE_CHECKING

from exsim_core import LogonRequest

from .codec import FixMessage
from .timefmt import parse_timestamp
from .validate import check

if TYPE_CHECKING:
    from .connection import Connection
    from .protocol import FixProtocol
    from .session import FixSession

__all__ = ["accept_logon", "logon_answer"]

log = logging.getLogger("exsim.fix")


def accept_logon(protocol: FixProtocol, conn: Connection, msg: FixMessage) -> None:
    """Handle the first message of ``conn``; binds it to its session on success."""
    values = msg.values
    if msg.msg_type != "A":
        conn.close(f"first message not a logon (MsgType {msg.msg_type})")
        return
    key = (values.get(b"49", b""), values.get(b"56", b""))
    session = protocol.by_comp_ids.get(key)
    if session is None:
        conn.close(f"no session for SenderCompID {key[0]!r} and TargetCompID {key[1]!r}")
        return
    version = session.version
    if msg.begin_string != version.begin_string:
        conn.close(f"BeginString {msg.begin_string} on a {version.begin_string} session")
        return
    if (session.their_sub_id and values.get(b"50") != session.their_sub_id.encode()) or (
        session.our_sub_id and values.get(b"57") != session.our_sub_id.encode()
    ):
        conn.close("SenderSubID(50) or TargetSubID(57) does not match the session")
        return
    if session.conn is not None:
        conn.close(f"session {session.id} is already logged on")
        return
    problem = check(msg.fields, values, msg.bad_tag, "A", version)
    if problem is not None:
        conn.close(f"invalid Logon: {problem.text} ({problem.tag!r})")
        return
    if version.is_fixt and b"1137" not in values:
        conn.close("FIXT Logon without DefaultApplVerID(1137)")
        return
    now = protocol.context.clock.now_ns()
    sent = parse_timestamp(values[b"52"])
    if session.tolerance_ns and (sent is None or abs(sent - now) > session.tolerance_ns):
        conn.close("Logon SendingTime(52) outside the accepted tolerance")
        return
    refusal = _refusal(protocol, session, conn, msg)
    session.out.writer = conn
    if refusal is not None:
        session.out.send(b"5", b"58=%s\x01" % refusal.encode())
        session.out.writer = None
        session.out.persist()
        conn.close(f"Logon refused: {refusal}")
        return
    _establish(protocol, session, conn, msg)


def _refusal(
    protocol: FixProtocol, session: FixSession, conn: Connection, msg: FixMessage
) -> str | None:
    """Why a well-formed Logon for a configured session is refused, or None."""
    values = msg.values
    params = session.params
    if values[b"98"] != b"0":
        return f"EncryptMethod(98) {values[b'98'].decode('latin-1')} is not supported: use 0 (none)"
    heartbeat = int(values[b"108"])
    if not params.heartbeat_min <= heartbeat <= params.heartbeat_max:
        return (
            f"HeartBtInt {heartbeat} outside the accepted range {params.heartbeat_min}"
            f"-{params.heartbeat_max}"
        )
    password = values.get(b"554", values.get(b"96"))
    username = values.get(b"553")
    if session.username is not None and username != session.username.encode():
        return "invalid username or password"
    if session.session.password is not None and (
        password is None or password != session.session.password.encode()
    ):
        return "invalid username or password"
    identity = {"sender_comp_id": session.their_comp_id, "target_comp_id": session.our_comp_id}
    if username is not None:
        identity["username"] = username.decode("latin-1")
    request = LogonRequest(
        identity, password.decode("latin-1") if password is not None else None, conn.peer
    )
    decision = protocol.context.logon_decision(session.session, request)
    if decision is False:
        return "logon refused by the venue"
    if isinstance(decision, str):
        return decision
    if not in_schedule(session, protocol.context.clock.now_ns()):
        return "outside the session's schedule"
    return None


def in_schedule(session: FixSession, now_ns: int) -> bool:
    """Is ``now_ns`` inside the session's daily window (always, without one)?"""
    params = session.params
    if params.start_time is None or params.end_time is None:
        return True
    zone = zoneinfo.ZoneInfo(params.timezone)
    local = dt.datetime.fromtimestamp(now_ns / 1e9, zone).time()
    start, end = params.start_time, params.end_time
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def end_of_window(session: FixSession, now_ns: int) -> int | None:
    """When the session's current daily window ends (ns), or None without a schedule."""
    params = session.params
    if params.start_time is None or params.end_time is None:
        return None
    zone = zoneinfo.ZoneInfo(params.timezone)
    local = dt.datetime.fromtimestamp(now_ns / 1e9, zone)
    end = dt.datetime.combine(local.date(), params.end_time, zone)
    if end <= local:
        end += dt.timedelta(days=1)
    return int(end.timestamp()) * 1_000_000_000


def period_of(session: FixSession, now_ns: int) -> str:
    """The date of the session period containing ``now_ns`` (its start's local date)."""
    params = session.params
    zone = zoneinfo.ZoneInfo(params.timezone)
    local = dt.datetime.fromtimestamp(now_ns / 1e9, zone)
    start = params.start_time
    if start is None:
        return ""
    day = local.date()
    if local.time() < start:
        day -= dt.timedelta(days=1)
    return day.isoformat()


def _establish(
    protocol: FixProtocol, session: FixSession, conn: Connection, msg: FixMessage
) -> None:
    values = msg.values
    out = session.out
    seq = int(values[b"34"])
    reset = values.get(b"141") == b"Y"
    store = out.store
    period = period_of(session, protocol.context.clock.now_ns())
    if period and store.get(out.ns, "period") != period:
        out.reset()
        store.put(out.ns, "period", period)
    if reset or session.params.reset_on_logon:
        out.reset()
    expected = out.next_in
    if seq < expected:
        out.send(b"5", b"58=MsgSeqNum too low, expecting %d but received %d\x01" % (expected, seq))
        out.writer = None
        out.persist()
        conn.close("Logon MsgSeqNum too low")
        return
    conn.session = session
    heartbeat = int(values[b"108"])
    next_expected = values.get(b"789") if session.version.has_next_expected else None
    our_next = out.next_out
    if next_expected is not None and next_expected.isdigit() and int(next_expected) > our_next:
        out.send(
            b"5",
            b"58=NextExpectedMsgSeqNum %s is higher than the next message %d\x01"
            % (next_expected, our_next),
        )
        out.writer = None
        out.persist()
        conn.session = None
        conn.close("NextExpectedMsgSeqNum too high")
        return
    if seq == expected:
        out.next_in = seq + 1
    out.send(b"A", logon_answer(session, msg))
    session.started(conn, heartbeat)
    if next_expected is not None and next_expected.isdigit() and int(next_expected) < our_next:
        out.resend(int(next_expected), our_next - 1)
    if seq > expected:
        session.queue[seq] = None
        session.resend_until = seq
        end = 0 if session.version.rank >= 42 else 999999
        out.send(b"2", b"7=%d\x0116=%d\x01" % (expected, end))
    log.info(
        "session %s: %s logon accepted (their MsgSeqNum %d, ours next %d, heartbeat %d s)",
        session.id,
        session.version.begin_string,
        seq,
        out.next_out,
        heartbeat,
    )


def logon_answer(session: FixSession, msg: FixMessage) -> bytes:
    """The body of our Logon answering ``msg``."""
    values = msg.values
    body = b"98=%s\x01108=%s\x01" % (values.get(b"98", b"0"), values[b"108"])
    if values.get(b"141") == b"Y":
        body += b"141=Y\x01"
    if b"789" in values and session.version.has_next_expected:
        body += b"789=%d\x01" % session.out.next_in
    if session.version.is_fixt:
        body += b"1137=%s\x01" % session.params.default_appl_ver_id.encode()
    return body
