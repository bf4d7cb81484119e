"""Clients of the management API: :class:`Client` (synchronous, httpx) and
:class:`AsyncClient`, one design over a swappable transport; :func:`spawn` to run a
daemon in the background. The exceptions are drawn in :mod:`exsim_core.client.errors`.
"""

from __future__ import annotations

from .aio import AsyncClient
from .errors import (
    ApiError,
    ClientError,
    ConflictError,
    InvalidRequest,
    NotFoundError,
    ServerError,
    SpawnError,
    TransportError,
    Unauthorized,
    WaitTimeout,
)
from .process import DaemonProcess, spawn
from .sync import Client
from .transport import PortalTransport

__all__ = [
    "ApiError",
    "AsyncClient",
    "Client",
    "ClientError",
    "ConflictError",
    "DaemonProcess",
    "InvalidRequest",
    "NotFoundError",
    "PortalTransport",
    "ServerError",
    "SpawnError",
    "TransportError",
    "Unauthorized",
    "WaitTimeout",
    "spawn",
]
