"""exsim-behaviours: engines that answer orders without a counterparty.

Five canned behaviours for integration tests, configured per venue (``engine`` and
``engine_params`` of the venue's settings) or per instrument (its ``engine`` and
``engine_params``), and switched with ``Venue.set_engine``:

* ``auto_fill`` — acknowledged, then filled completely;
* ``auto_partial`` — filled in partial fills, then the rest rests or is filled;
* ``auto_reject`` — rejected with a configured reason, or reasons in turn;
* ``auto_cancel`` — acknowledged, then canceled unsolicited;
* ``partial_then_cancel`` — one partial fill, then the rest canceled unsolicited.

All timing uses the venue's clock. :mod:`exsim_behaviours.scenarios` lists the exact
events of each, as data that the tests check. Delayed steps are recorded in a daemon's
journal and replayed on restart (:meth:`Behaviour.replay`).

Errors: this package raises no exceptions of its own. Bad parameters fail when the
engine is configured, with :class:`pydantic.ValidationError` (unknown key, value out of
range) or :class:`exsim_core.ConfigError` (a price or quantity the instrument cannot
express); orders are never refused with an exception. :meth:`Behaviour.replay` raises
:class:`ValueError` when a journal names a step the engine does not have pending (the
daemon then refuses to start on a state it cannot rebuild).
"""

from __future__ import annotations

from .base import Behaviour, BehaviourParams
from .cancels import AutoCancel, AutoCancelParams, PartialThenCancel, PartialThenCancelParams
from .fills import AutoFill, AutoFillParams, AutoPartial, AutoPartialParams
from .plugin import ENGINES
from .reject import AutoReject, AutoRejectParams, Reason

__all__ = [
    "ENGINES",
    "AutoCancel",
    "AutoCancelParams",
    "AutoFill",
    "AutoFillParams",
    "AutoPartial",
    "AutoPartialParams",
    "AutoReject",
    "AutoRejectParams",
    "Behaviour",
    "BehaviourParams",
    "PartialThenCancel",
    "PartialThenCancelParams",
    "Reason",
]
