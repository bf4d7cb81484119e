"""The daemon's log output: every stdlib log record (exsim's loggers, Hypercorn's) as a
console line or a JSON object, with the context bound to the task that logged it
(``venue``, ``endpoint``, ``session``: see :func:`bind`).

Libraries never configure logging; only ``exsim serve`` calls :func:`configure`. The
context lives in a plain context variable, so binding it costs nothing (and imports
nothing) in a daemon whose logging nobody configured. Records are rendered by stdlib
formatters: a structured-logging library would add a tenth of a second or more to every
start (rich's console comes with it) for no line these two formats cannot write.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

__all__ = ["ConsoleFormatter", "ErrorCollector", "JsonFormatter", "bind", "configure"]

#: what every log line of the current task carries (tasks inherit it from their parent)
LOG_CONTEXT: ContextVar[Mapping[str, str] | None] = ContextVar("exsim_log_context", default=None)

#: where the console format puts the logger name: the message is padded to this width
EVENT_WIDTH = 30


def bind(**values: str) -> None:
    """Add ``values`` to the log context of the current task and the tasks it starts."""
    LOG_CONTEXT.set({**(LOG_CONTEXT.get() or {}), **values})


def _timestamp(record: logging.LogRecord) -> str:
    when = dt.datetime.fromtimestamp(record.created, dt.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class ConsoleFormatter(logging.Formatter):
    """One line for people: ``<UTC time> [<level>] <message> [<logger>] key=value ...``,
    the traceback of an exception on the lines after it."""

    def format(self, record: logging.LogRecord) -> str:
        context = " ".join(f"{k}={v}" for k, v in (LOG_CONTEXT.get() or {}).items())
        line = (
            f"{_timestamp(record)} [{record.levelname.lower():<9}] "
            f"{record.getMessage():<{EVENT_WIDTH}} [{record.name}]"
        )
        if context:
            line += " " + context
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        elif record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per record for machines: ``timestamp``, ``level``, ``logger``,
    ``event`` (the message), the bound context, and ``exception`` (the traceback) when
    there is one."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "timestamp": _timestamp(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in (LOG_CONTEXT.get() or {}).items():
            out.setdefault(key, value)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str)


def configure(fmt: str = "console", level: int = logging.INFO) -> None:
    """Route every stdlib log record to stderr, as ``fmt`` (``console`` or ``json``)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else ConsoleFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


class ErrorCollector(logging.Handler):
    """Keeps the text of error records logged by one thread (a daemon's event loop), so
    that ``check`` can report server-side errors to the test that caused them."""

    def __init__(self, sink: Any, thread: int) -> None:
        super().__init__(logging.ERROR)
        self.sink = sink
        self.thread = thread

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread or not record.name.startswith("exsim"):
            return
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            text += f": {type(exc).__name__}: {exc}"
        self.sink(f"{record.name}: {text}")
