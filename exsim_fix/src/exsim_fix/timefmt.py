"""FIX time values: UTCTimestamp, UTCDateOnly and MonthYear, to and from nanoseconds."""

from __future__ import annotations

import calendar
import datetime as dt
import re

__all__ = ["format_date", "format_timestamp", "parse_date", "parse_timestamp"]

NS = 1_000_000_000
_TIMESTAMP = re.compile(rb"(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?")
_DATE = re.compile(rb"(\d{4})(\d{2})(\d{2})")

_last_second = -1
_last_prefix = b""
_last_milli = -1
_last_text = b""


def format_timestamp(now_ns: int, millis: bool = True) -> bytes:
    """``YYYYMMDD-HH:MM:SS.sss`` (or without milliseconds) in UTC.

    The hot path stamps every message it sends (SendingTime) and every report
    (TransactTime), many within the same millisecond: the last text is kept, and the
    date and time of day are formatted only when the second changes."""
    global _last_second, _last_prefix, _last_milli, _last_text
    if not millis:
        second = now_ns // NS
        if second != _last_second:
            _last_prefix = time_prefix(second)
            _last_second = second
        return _last_prefix
    milli = now_ns // 1_000_000
    if milli != _last_milli:
        second = milli // 1000
        if second != _last_second:
            _last_prefix = time_prefix(second)
            _last_second = second
        _last_milli = milli
        _last_text = b"%s.%03d" % (_last_prefix, milli % 1000)
    return _last_text


def time_prefix(second: int) -> bytes:
    t = dt.datetime.fromtimestamp(second, dt.UTC)
    return b"%04d%02d%02d-%02d:%02d:%02d" % (t.year, t.month, t.day, t.hour, t.minute, t.second)


def parse_timestamp(value: bytes) -> int | None:
    """A UTCTimestamp in nanoseconds since the epoch, or None if it is not one."""
    m = _TIMESTAMP.fullmatch(value)
    if m is None:
        return None
    y, mo, d, h, mi, s, frac = m.groups()
    try:
        days = dt.date(int(y), int(mo), int(d)).toordinal() - 719163
    except ValueError:
        return None
    hour, minute, sec = int(h), int(mi), int(s)
    if hour > 23 or minute > 59 or sec > 60:
        return None
    ns = ((days * 24 + hour) * 60 + minute) * 60 + sec
    ns *= NS
    if frac:
        ns += int(frac.ljust(9, b"0"))
    return ns


def format_date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def parse_date(value: bytes) -> dt.date | None:
    """A UTCDateOnly / LocalMktDate (``YYYYMMDD``), or None."""
    m = _DATE.fullmatch(value)
    if m is None:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def epoch_ns(day: dt.date, time: dt.time | None = None) -> int:
    """Nanoseconds since the epoch of ``day`` at ``time`` (UTC)."""
    t = time or dt.time()
    return calendar.timegm((day.year, day.month, day.day, t.hour, t.minute, t.second)) * NS
