"""Constants of the book's hot paths: plain ints, cheaper to compare than enum members."""

from __future__ import annotations

from exsim_core.enums import CancelReason, Liquidity, OrderStatus, TimeInForce

BUY = 1
SELL = 2
_MAKER = int(Liquidity.MAKER)
_TAKER = int(Liquidity.TAKER)
_SYNTHETIC = int(Liquidity.SYNTHETIC)
_NEW = int(OrderStatus.NEW)
_PARTIAL = int(OrderStatus.PARTIALLY_FILLED)
_FILLED = int(OrderStatus.FILLED)
_CANCELED = int(OrderStatus.CANCELED)
_EXPIRED = int(OrderStatus.EXPIRED)
_REJECTED = int(OrderStatus.REJECTED)
_REPLACED = int(OrderStatus.REPLACED)
_WAITING = int(OrderStatus.WAITING_TRIGGER)
_IOC = int(TimeInForce.IOC)
_FOK = int(TimeInForce.FOK)
_STP_SELF = int(CancelReason.SELF_TRADE)
_USER = int(CancelReason.USER)
_COMPACT_AT = 64
