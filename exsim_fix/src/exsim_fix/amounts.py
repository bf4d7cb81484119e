"""Prices and quantities between FIX decimal strings and instrument units, fast.

The hot path converts every price and quantity of every order and report, so these
work on bytes with integer arithmetic instead of going through :class:`decimal.Decimal`.
"""

from __future__ import annotations

__all__ = ["format_avg", "format_units", "to_units"]

_POW: list[int] = [int(10**i) for i in range(19)]


def to_units(value: bytes, decimals: int) -> int | None:
    """``value`` (e.g. ``b"189.25"``) in units of ``10**-decimals``; None when it is not a
    plain decimal or is finer than ``decimals``."""
    if value.isdigit():  # a whole number: most quantities
        return int(value) * _POW[decimals]
    negative = value[:1] == b"-"
    if negative:
        value = value[1:]
    whole, dot, frac = value.partition(b".")
    if not (whole.isdigit() or (dot and not whole)) or (frac and not frac.isdigit()):
        return None
    if len(frac) > decimals:
        if frac[decimals:].strip(b"0"):
            return None
        frac = frac[:decimals]
    units = int(whole or b"0") * _POW[decimals]
    if frac:
        units += int(frac) * _POW[decimals - len(frac)]
    return -units if negative else units


def format_units(units: int, decimals: int) -> bytes:
    """``units`` of ``10**-decimals`` as a FIX decimal (``18925, 2`` -> ``b"189.25"``)."""
    if not decimals:
        return b"%d" % units
    sign = b"-" if units < 0 else b""
    whole, frac = divmod(abs(units), _POW[decimals])
    return b"%s%d.%0*d" % (sign, whole, decimals, frac)


def format_avg(cost: int, qty: int, price_decimals: int) -> bytes:
    """The average price of ``qty`` units that cost ``cost`` (price units x qty units)."""
    if not qty:
        return b"0"
    if cost % qty == 0:
        return format_units(cost // qty, price_decimals)
    text = b"%.*f" % (price_decimals + 6, cost / qty / _POW[price_decimals])
    return text.rstrip(b"0").rstrip(b".")
