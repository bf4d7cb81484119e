"""The core's own plugin: the price-time and managed engines and the standard order types.

Registered first, through the same hooks any third-party plugin uses.
"""

from __future__ import annotations

from .engine import PriceTimeEngine
from .managed import ManagedEngine
from .ordertypes import BUILTIN_ORDER_TYPES
from .plugins import Registrar, hookimpl


@hookimpl
def exsim_register_engines(registry: Registrar) -> None:
    registry.add(PriceTimeEngine)
    registry.add(ManagedEngine)


@hookimpl
def exsim_register_order_types(registry: Registrar) -> None:
    for order_type in BUILTIN_ORDER_TYPES:
        registry.add(order_type)
