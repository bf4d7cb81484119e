"""exsim-core: an exchange simulator's model, plugin core and price-time engine.

The public API is what this module exports (``__all__``); submodules are
implementation details unless documented.
"""

from __future__ import annotations

from .book import Book, Level
from .bot import Bot, BotParams
from .clock import Clock, ManualClock, Timer, WallClock
from .engine import Engine, EngineParams, PriceTimeEngine
from .enums import (
    CancelReason,
    Liquidity,
    OrderStatus,
    PegType,
    PostOnlyMode,
    RejectReason,
    Side,
    STPMode,
    STPScope,
    TimeInForce,
    TradingStatus,
)
from .errors import (
    ConfigError,
    Conflict,
    DuplicateName,
    ExsimError,
    InvalidField,
    NotFound,
    PluginError,
    PluginLoadError,
)
from .instrument import Crypto, Equity, Future, FxSpot, Instrument, InstrumentBase, Ndf, Option
from .order import Cancel, MassCancel, Order, Replace
from .ordertypes import OrderType
from .plugins import PluginHost, Registrar, hookimpl
from .protocol import Protocol, ProtocolParams, SessionParams
from .session import Endpoint, LogonRequest, Session
from .sim import Simulator
from .venue import Venue, VenueSettings

BUY = Side.BUY
SELL = Side.SELL

#: imported on first use, so that ``import exsim_core`` stays light
_LAZY = {
    "AsyncClient": "exsim_core.client",
    "Client": "exsim_core.client",
    "DaemonProcess": "exsim_core.client",
    "spawn": "exsim_core.client",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'exsim_core' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "BUY",
    "SELL",
    "AsyncClient",
    "Book",
    "Bot",
    "BotParams",
    "Cancel",
    "CancelReason",
    "Client",
    "Clock",
    "ConfigError",
    "Conflict",
    "Crypto",
    "DaemonProcess",
    "DuplicateName",
    "Endpoint",
    "Engine",
    "EngineParams",
    "Equity",
    "ExsimError",
    "Future",
    "FxSpot",
    "Instrument",
    "InstrumentBase",
    "InvalidField",
    "Level",
    "Liquidity",
    "LogonRequest",
    "ManualClock",
    "MassCancel",
    "Ndf",
    "NotFound",
    "Option",
    "Order",
    "OrderStatus",
    "OrderType",
    "PegType",
    "PluginError",
    "PluginHost",
    "PluginLoadError",
    "PostOnlyMode",
    "PriceTimeEngine",
    "Protocol",
    "ProtocolParams",
    "Registrar",
    "RejectReason",
    "Replace",
    "STPMode",
    "STPScope",
    "Session",
    "SessionParams",
    "Side",
    "Simulator",
    "TimeInForce",
    "Timer",
    "TradingStatus",
    "Venue",
    "VenueSettings",
    "WallClock",
    "hookimpl",
    "spawn",
]
