"""The daemon: a simulator served with network endpoints, the management API, a journal
and an event queue for management clients.

* :class:`Daemon` — the state, and :meth:`Daemon.execute` for every operation;
* :func:`serve` — run it in an event loop (what ``exsim serve`` does);
* :class:`ServeOptions` — how to serve it.
"""

from __future__ import annotations

from .events import EventQueue
from .journal import Journal
from .replay import ReplayError
from .runner import Runtime, ServeOptions, serve, write_ready_file
from .state import Daemon

__all__ = [
    "Daemon",
    "EventQueue",
    "Journal",
    "ReplayError",
    "Runtime",
    "ServeOptions",
    "serve",
    "write_ready_file",
]
