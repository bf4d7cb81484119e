"""The daemon's log output: structlog renders every record (exsim's stdlib loggers,
Hypercorn's) as console lines or JSON, with the context bound to the task that logged
it (``venue``, ``endpoint``, ``session``: see :func:`bind`).

Libraries never configure logging; only ``exsim serve`` calls :func:`configure`. The
context lives in a plain context variable, so binding it costs nothing (and imports
nothing) in a daemon whose logging nobody configured.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping, MutableMapping
from contextvars import ContextVar
from typing import Any

__all__ = ["ErrorCollector", "bind", "configure"]

#: what every log line of the current task carries (tasks inherit it from their parent)
LOG_CONTEXT: ContextVar[Mapping[str, str] | None] = ContextVar("exsim_log_context", default=None)


def bind(**values: str) -> None:
    """Add ``values`` to the log context of the current task and the tasks it starts."""
    LOG_CONTEXT.set({**(LOG_CONTEXT.get() or {}), **values})


def _merge_context(
    _logger: Any, _name: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key, value in (LOG_CONTEXT.get() or {}).items():
        event.setdefault(key, value)
    return event


def configure(fmt: str = "console", level: int = logging.INFO) -> None:
    """Route every stdlib log record through structlog to stderr, as ``fmt``
    (``console`` or ``json``)."""
    import structlog

    shared: list[Any] = [
        _merge_context,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info if fmt == "json" else _identity,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def _identity(_logger: Any, _name: str, event: Any) -> Any:
    return event


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
