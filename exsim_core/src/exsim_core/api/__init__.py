"""The management API (FastAPI): :func:`create_app` builds one per daemon."""

from __future__ import annotations

from .app import API_VERSION, create_app

__all__ = ["API_VERSION", "create_app"]
