"""The exceptions of the exsim client.

::

    ExsimError                      (exsim_core.errors) every error exsim raises on purpose
    └── ClientError                 something went wrong talking to a daemon
        ├── TransportError          the daemon could not be reached, or did not answer in time
        ├── ApiError                the daemon refused a request (``status``, ``detail``)
        │   ├── Unauthorized        401: missing or wrong token
        │   ├── NotFoundError       404: no such venue, order, draft...
        │   ├── ConflictError       409: it exists already, or its state refuses this
        │   ├── InvalidRequest      422: a field is invalid (``detail`` names it)
        │   └── ServerError         5xx: the daemon failed (a bug: please report it)
        ├── WaitTimeout             ``wait_for`` saw no matching event in time
        └── SpawnError              a spawned daemon did not start (its log is attached)
"""

from __future__ import annotations

from typing import Any

from exsim_core.errors import ExsimError

__all__ = [
    "ApiError",
    "ClientError",
    "ConflictError",
    "InvalidRequest",
    "NotFoundError",
    "ServerError",
    "SpawnError",
    "TransportError",
    "Unauthorized",
    "WaitTimeout",
]


class ClientError(ExsimError):
    """Something went wrong talking to a daemon."""


class TransportError(ClientError):
    """The daemon could not be reached, or did not answer in time."""


class ApiError(ClientError):
    """The daemon refused a request.

    :ivar status: the HTTP status.
    :ivar detail: the daemon's list of problems (``loc``, ``msg``, ``type`` each).
    """

    def __init__(self, status: int, detail: Any, method: str = "", path: str = "") -> None:
        self.status = status
        self.detail = detail
        problems = detail if isinstance(detail, list) else [{"msg": str(detail), "loc": []}]
        text = "; ".join(_problem(p) for p in problems)
        super().__init__(f"{method} {path} -> {status}: {text}".strip())


def _problem(problem: Any) -> str:
    if not isinstance(problem, dict):
        return str(problem)
    where = ".".join(str(x) for x in problem.get("loc", []) if x != "body")
    return f"{where}: {problem.get('msg')}" if where else str(problem.get("msg"))


class Unauthorized(ApiError):
    """401: the token is missing or wrong."""


class NotFoundError(ApiError):
    """404: no such venue, instrument, order, draft, endpoint, session or bot."""


class ConflictError(ApiError):
    """409: the name exists already, or the current state refuses the request."""


class InvalidRequest(ApiError):
    """422: a field is invalid; ``detail`` names it."""


class ServerError(ApiError):
    """5xx: the daemon failed."""


class WaitTimeout(ClientError):
    """No matching event arrived in time.

    :ivar seen: the events received while waiting.
    """

    def __init__(self, message: str, seen: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.seen = seen


class SpawnError(ClientError):
    """A spawned daemon exited or stayed silent during start-up.

    :ivar log: the end of its log.
    """

    def __init__(self, message: str, log: str = "") -> None:
        super().__init__(f"{message}\n--- daemon log ---\n{log}" if log else message)
        self.log = log


_BY_STATUS: dict[int, type[ApiError]] = {
    401: Unauthorized,
    404: NotFoundError,
    409: ConflictError,
    422: InvalidRequest,
}


def error_for(status: int, detail: Any, method: str, path: str) -> ApiError:
    cls = _BY_STATUS.get(status, ServerError if status >= 500 else ApiError)
    return cls(status, detail, method, path)
