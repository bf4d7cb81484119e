"""Prices and quantities between FIX decimal strings and instrument units, against
:class:`decimal.Decimal` on the same inputs."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from hypothesis import given, settings
from hypothesis import strategies as st

from exsim_fix.amounts import format_units, to_units

decimal_texts = st.from_regex(r"-?[0-9]{0,12}(\.[0-9]{0,10})?", fullmatch=True).map(str.encode)
garbage = st.binary(max_size=12)
scales = st.integers(0, 8)


def reference(value: bytes, decimals: int) -> int | None:
    """What ``to_units`` must answer: the exact number of units, or None."""
    text = value.decode("latin-1")
    body = text[1:] if text.startswith("-") else text
    whole, _, frac = body.partition(".")
    if not (whole.isascii() and frac.isascii()):
        return None
    if not ((whole.isdigit() or ("." in body and not whole)) and (not frac or frac.isdigit())):
        return None
    try:
        amount = Decimal(text) if whole or frac else None
    except InvalidOperation:
        return None
    if amount is None:
        return 0 if "." in body else None
    units = amount.scaleb(decimals)
    return int(units) if units == units.to_integral_value() else None


@settings(max_examples=500, deadline=None)
@given(st.one_of(decimal_texts, garbage), scales)
def test_to_units_is_exact_or_refuses(value, decimals):
    assert to_units(value, decimals) == reference(value, decimals)


@settings(max_examples=300, deadline=None)
@given(st.integers(-(10**15), 10**15), scales)
def test_formatted_units_convert_back(units, decimals):
    assert to_units(format_units(units, decimals), decimals) == units


def test_whole_numbers_scale_to_the_instrument_precision():
    assert to_units(b"100", 0) == 100
    assert to_units(b"100", 2) == 10_000
    assert to_units(b"0012", 1) == 120
