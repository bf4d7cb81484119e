"""Managed mode: the ``managed`` engine, scripted expectations, trade busts and
corrections, and explicit matching of two orders.

See :mod:`exsim_core.managed.engine` for the decisions and
:mod:`exsim_core.managed.trades` for what busts and corrections do to orders.
"""

from __future__ import annotations

from .engine import ManagedEngine, match_orders, perform, problem, schedule
from .script import Expectation, Script, Step, script_of
from .trades import TradeLog, TradeRecord, bust, correct, trade_log

__all__ = [
    "Expectation",
    "ManagedEngine",
    "Script",
    "Step",
    "TradeLog",
    "TradeRecord",
    "bust",
    "correct",
    "match_orders",
    "perform",
    "problem",
    "schedule",
    "script_of",
    "trade_log",
]
