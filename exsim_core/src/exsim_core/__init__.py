"""exsim-core: an exchange simulator's model, plugin core and price-time engine.

The public API is what this module exports (``__all__``); submodules are
implementation details unless documented.

Every name is imported from its submodule on first use (PEP 562), so that
``import exsim_core`` costs next to nothing: a plugin module that needs only
:func:`hookimpl` and :class:`Registrar`, or a command that needs neither pydantic nor
the event loop, pays only for what it touches.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from .book import Book, Level
    from .bot import Bot, BotParams
    from .client import AsyncClient, Client, DaemonProcess, spawn
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
    from .instrument import (
        Crypto,
        Equity,
        Future,
        FxSpot,
        Instrument,
        InstrumentBase,
        Ndf,
        Option,
    )
    from .order import Cancel, MassCancel, Order, Replace
    from .ordertypes import OrderType
    from .plugins import PluginHost, Registrar, hookimpl
    from .protocol import Protocol, ProtocolParams, SessionParams
    from .session import Endpoint, LogonRequest, Session
    from .sim import Simulator
    from .venue import Venue, VenueSettings

    BUY = Side.BUY
    SELL = Side.SELL

#: the submodule of every public name
_SUBMODULES: dict[str, tuple[str, ...]] = {
    "book": ("Book", "Level"),
    "bot": ("Bot", "BotParams"),
    "client": ("AsyncClient", "Client", "DaemonProcess", "spawn"),
    "clock": ("Clock", "ManualClock", "Timer", "WallClock"),
    "engine": ("Engine", "EngineParams", "PriceTimeEngine"),
    "enums": (
        "CancelReason",
        "Liquidity",
        "OrderStatus",
        "PegType",
        "PostOnlyMode",
        "RejectReason",
        "Side",
        "STPMode",
        "STPScope",
        "TimeInForce",
        "TradingStatus",
    ),
    "errors": (
        "ConfigError",
        "Conflict",
        "DuplicateName",
        "ExsimError",
        "InvalidField",
        "NotFound",
        "PluginError",
        "PluginLoadError",
    ),
    "instrument": (
        "Crypto",
        "Equity",
        "Future",
        "FxSpot",
        "Instrument",
        "InstrumentBase",
        "Ndf",
        "Option",
    ),
    "order": ("Cancel", "MassCancel", "Order", "Replace"),
    "ordertypes": ("OrderType",),
    "plugins": ("PluginHost", "Registrar", "hookimpl"),
    "protocol": ("Protocol", "ProtocolParams", "SessionParams"),
    "session": ("Endpoint", "LogonRequest", "Session"),
    "sim": ("Simulator",),
    "venue": ("Venue", "VenueSettings"),
}
_SOURCE = {name: module for module, names in _SUBMODULES.items() for name in names}


def __getattr__(name: str) -> object:
    value: object
    if name == "BUY" or name == "SELL":  # the sides, for short order entry
        from .enums import Side

        value = Side[name]
    else:
        module = _SOURCE.get(name)
        if module is None:
            raise AttributeError(f"module 'exsim_core' has no attribute {name!r}")
        value = getattr(_importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # the next lookup is an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
