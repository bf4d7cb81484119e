"""The management API application: a FastAPI app per daemon.

Every path is under ``/v1``. Every call but ``GET /v1/health`` needs the daemon's token
as ``Authorization: Bearer <token>`` (when the daemon has one); a missing or wrong token
gets 401 and a log line. Errors are JSON, always shaped like FastAPI's validation errors
(``{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}``): 422 for invalid input
(``loc`` names the field), 404 for an unknown name, 409 for a conflict with the current
state. A rejected request changes nothing.
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from exsim_core.errors import ConfigError, Conflict, InvalidField, NotFound

from .limits import BodyLimit
from .routes_query import query_routes
from .routes_system import system_routes
from .routes_trading import trading_routes
from .routes_venues import venue_routes

if TYPE_CHECKING:
    from exsim_core.daemon.state import Daemon
    from exsim_core.sim import Simulator

__all__ = ["API_VERSION", "create_app"]

log = logging.getLogger("exsim.api")

API_VERSION = "v1"

ERROR_SCHEMA: dict[str, Any] = {
    "description": "Error",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "detail": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "loc": {
                                    "type": "array",
                                    "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                                },
                                "msg": {"type": "string"},
                                "type": {"type": "string"},
                            },
                            "required": ["loc", "msg", "type"],
                        },
                    }
                },
                "required": ["detail"],
            }
        }
    },
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    400: ERROR_SCHEMA,
    401: ERROR_SCHEMA,
    404: ERROR_SCHEMA,
    409: ERROR_SCHEMA,
    413: ERROR_SCHEMA,
    422: ERROR_SCHEMA,
}


#: the token scheme (resolved by name from the route signatures below)
BEARER = HTTPBearer(auto_error=False, description="The daemon's token (see the ready file).")


def _error(status: int, loc: list[Any], msg: str, kind: str, **headers: str) -> JSONResponse:
    return JSONResponse(
        {"detail": [{"loc": loc, "msg": msg, "type": kind}]},
        status_code=status,
        headers=headers or None,
    )


def create_app(target: Daemon | Simulator, token: str | None = None) -> FastAPI:
    """The management API of ``target`` (a daemon, or a simulator that gets wrapped in
    one); ``token`` is required on every call but health when given."""
    from exsim_core.daemon.state import Daemon

    daemon = target if isinstance(target, Daemon) else Daemon(simulator=target)

    async def authorized(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
    ) -> None:
        if token is None:
            return
        given = credentials.credentials if credentials is not None else ""
        if not secrets.compare_digest(given.encode(), token.encode()):
            client = request.client.host if request.client else "unknown"
            log.warning(
                "refused %s %s from %s: missing or wrong token",
                request.method,
                request.url.path,
                client,
            )
            raise _UnauthorizedError

    app = FastAPI(
        title="exsim management API",
        version=API_VERSION,
        description=__doc__,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.daemon = daemon

    @app.exception_handler(_UnauthorizedError)
    async def unauthorized(_request: Request, _exc: Exception) -> JSONResponse:
        return _error(
            401,
            ["header", "Authorization"],
            "missing or wrong bearer token",
            "unauthorized",
            **{"WWW-Authenticate": "Bearer"},
        )

    @app.exception_handler(InvalidField)
    async def invalid_field(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, InvalidField)
        return _error(422, ["body", *exc.loc], exc.message, "value_error")

    @app.exception_handler(NotFound)
    async def not_found(_request: Request, exc: Exception) -> JSONResponse:
        return _error(404, [], str(exc), "not_found")

    @app.exception_handler(Conflict)
    async def conflict(_request: Request, exc: Exception) -> JSONResponse:
        return _error(409, [], str(exc), "conflict")

    @app.exception_handler(ConfigError)
    async def config_error(_request: Request, exc: Exception) -> JSONResponse:
        return _error(422, ["body"], str(exc), "value_error")

    @app.exception_handler(ValidationError)
    async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ValidationError)
        detail = [
            {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]}
            for e in exc.errors(include_url=False, include_context=False, include_input=False)
        ]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def request_validation_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        detail = [
            {
                "loc": list(e.get("loc", ())),
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors()
        ]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return _error(exc.status_code, [], str(exc.detail), "http_error", **(exc.headers or {}))

    @app.exception_handler(ArithmeticError)
    async def arithmetic(_request: Request, exc: Exception) -> JSONResponse:
        return _error(422, ["body"], f"number out of range: {type(exc).__name__}", "value_error")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        daemon.record_error(f"{request.method} {request.url.path}: {type(exc).__name__}: {exc}")
        return _error(500, [], f"internal error: {type(exc).__name__}: {exc}", "internal")

    open_router = APIRouter(prefix=f"/{API_VERSION}")

    @open_router.get("/health", summary="Is the daemon up? (no token needed)")
    async def health() -> dict[str, Any]:
        return {"status": "ok"}

    router = APIRouter(
        prefix=f"/{API_VERSION}", dependencies=[Depends(authorized)], responses=RESPONSES
    )
    venue_routes(router, daemon)
    trading_routes(router, daemon)
    query_routes(router, daemon)
    system_routes(router, daemon)
    app.include_router(open_router)
    app.include_router(router)
    app.add_middleware(BodyLimit)
    return app


class _UnauthorizedError(Exception):
    """A request without the right token."""
