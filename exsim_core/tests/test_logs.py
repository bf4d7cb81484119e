"""The daemon's log lines: what people and log collectors read from ``exsim serve``."""

from __future__ import annotations

import contextvars
import json
import logging
import sys

from exsim_core.daemon.logs import ConsoleFormatter, JsonFormatter, bind


def _record(msg: str, *args: object, exc: bool = False) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise ValueError("broken")
        except ValueError:
            exc_info = sys.exc_info()
    return logging.LogRecord(
        "exsim.endpoint.fix", logging.WARNING, __file__, 1, msg, args, exc_info
    )


def _in_context(formatter: logging.Formatter, record: logging.LogRecord) -> str:
    def run() -> str:
        bind(endpoint="fix", venue="XSIM")
        bind(session="a")
        return formatter.format(record)

    return contextvars.copy_context().run(run)


def test_a_json_line_carries_time_level_logger_message_and_the_bound_context() -> None:
    line = _in_context(JsonFormatter(), _record("session %s logged on", "a"))
    record = json.loads(line)
    assert record["event"] == "session a logged on"
    assert record["level"] == "warning"
    assert record["logger"] == "exsim.endpoint.fix"
    assert record["timestamp"].endswith("Z")
    assert (record["endpoint"], record["venue"], record["session"]) == ("fix", "XSIM", "a")


def test_a_json_line_of_an_exception_carries_its_traceback() -> None:
    record = json.loads(JsonFormatter().format(_record("failed", exc=True)))
    assert "ValueError: broken" in record["exception"]
    assert "Traceback" in record["exception"]


def test_a_console_line_reads_level_message_logger_and_context() -> None:
    line = _in_context(ConsoleFormatter(), _record("session %s logged on", "a"))
    assert "[warning  ] session a logged on" in line
    assert line.endswith("[exsim.endpoint.fix] endpoint=fix venue=XSIM session=a")


def test_a_console_line_of_an_exception_is_followed_by_its_traceback() -> None:
    first, *rest = ConsoleFormatter().format(_record("failed", exc=True)).splitlines()
    assert first.rstrip().endswith("[exsim.endpoint.fix]")
    assert rest[-1] == "ValueError: broken"
