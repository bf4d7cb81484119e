"""Instruments: what a venue trades, one book each.

An instrument is described once, at the boundary, by a pydantic model of its asset class.
Prices and quantities are exact: inside exsim they are integers in the instrument's
smallest *units* (``10**-price_precision`` of a price, ``10**-qty_precision`` of a
quantity), and the tick and lot sizes are whole numbers of those units. Decimals appear
only at the edges (configuration, the management API, wire protocols), converted with
:meth:`InstrumentBase.price_to_units` and friends.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

__all__ = [
    "Crypto",
    "Equity",
    "Future",
    "FxSpot",
    "Instrument",
    "InstrumentBase",
    "Ndf",
    "Option",
    "decimals_of",
]

AssetClass = Literal["equity", "option", "future", "fx_spot", "ndf", "crypto"]
SYMBOL_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._/:-]{0,31}$"


def decimals_of(value: Decimal) -> int:
    """Number of decimal places ``value`` needs (``Decimal('0.050')`` needs 2)."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def _to_units(value: Decimal | str | int | float, scale: int) -> int | None:
    """``value * scale`` as an int, or None when ``value`` has more precision than ``scale``."""
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value))
        scaled = d * scale
        whole = scaled.to_integral_value(rounding=ROUND_DOWN)
    except (InvalidOperation, ValueError):
        return None
    if whole != scaled or not d.is_finite():
        return None
    return int(whole)


class InstrumentBase(BaseModel):
    """What every asset class has: symbol, tick and lot sizes, quantity bounds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    symbol: str = Field(pattern=SYMBOL_PATTERN, description="The instrument's symbol.")
    tick_size: Decimal = Field(Decimal("0.01"), gt=0, description="Smallest price increment.")
    lot_size: Decimal = Field(Decimal("1"), gt=0, description="Smallest quantity increment.")
    min_qty: Decimal | None = Field(None, gt=0, description="Smallest order quantity.")
    max_qty: Decimal | None = Field(None, gt=0, description="Largest order quantity.")
    price_precision: int | None = Field(
        None, ge=0, le=12, description="Decimal places of prices (default: the tick size's)."
    )
    currency: str = Field("USD", min_length=3, max_length=3, description="Price currency.")
    reference_price: Decimal | None = Field(
        None, gt=0, description="Price used for bands and bots before the first trade."
    )
    description: str = ""
    engine: str | None = Field(
        None, description="Engine for this instrument's book (default: the venue's)."
    )
    engine_params: dict[str, Any] = Field(default_factory=dict)

    _price_decimals: int = PrivateAttr(0)
    _qty_decimals: int = PrivateAttr(0)
    _price_scale: int = PrivateAttr(1)
    _qty_scale: int = PrivateAttr(1)

    @model_validator(mode="after")
    def _derive_scales(self) -> InstrumentBase:
        tick_decimals = decimals_of(self.tick_size)
        precision = tick_decimals if self.price_precision is None else self.price_precision
        if precision < tick_decimals:
            raise ValueError(
                f"price_precision {precision} cannot express tick_size {self.tick_size}"
            )
        qty_decimals = max(
            decimals_of(q) for q in (self.lot_size, self.min_qty, self.max_qty) if q is not None
        )
        self._price_decimals = precision
        self._qty_decimals = qty_decimals
        self._price_scale = 10**precision
        self._qty_scale = 10**qty_decimals
        if self.min_qty is not None and self.max_qty is not None and self.min_qty > self.max_qty:
            raise ValueError("min_qty is larger than max_qty")
        return self

    # Units ---------------------------------------------------------------------------
    @property
    def price_scale(self) -> int:
        """Units per 1.0 of price."""
        return self._price_scale

    @property
    def qty_scale(self) -> int:
        """Units per 1.0 of quantity."""
        return self._qty_scale

    @property
    def tick_units(self) -> int:
        return int(self.tick_size * self._price_scale)

    @property
    def lot_units(self) -> int:
        return int(self.lot_size * self._qty_scale)

    def price_to_units(self, price: Decimal | str | int | float) -> int | None:
        """The price in units, or None if it is finer than the instrument's precision."""
        return _to_units(price, self._price_scale)

    def units_to_price(self, units: int) -> Decimal:
        return Decimal(units).scaleb(-self._price_decimals)

    def qty_to_units(self, qty: Decimal | str | int | float) -> int | None:
        """The quantity in units, or None if it is finer than the instrument's precision."""
        return _to_units(qty, self._qty_scale)

    def units_to_qty(self, units: int) -> Decimal:
        return Decimal(units).scaleb(-self._qty_decimals)


class Equity(InstrumentBase):
    """A share (or any cash instrument quoted per unit)."""

    asset_class: Literal["equity"] = "equity"
    isin: str | None = Field(None, min_length=12, max_length=12)


class Option(InstrumentBase):
    """An option on ``underlying``: strike, expiry, put or call, contract multiplier."""

    asset_class: Literal["option"] = "option"
    underlying: str = Field(pattern=SYMBOL_PATTERN)
    strike: Decimal = Field(gt=0)
    expiry: dt.date
    put_call: Literal["put", "call"]
    multiplier: Decimal = Field(Decimal(100), gt=0)
    exercise_style: Literal["american", "european"] = "american"


class Future(InstrumentBase):
    """A future: expiry and contract multiplier."""

    asset_class: Literal["future"] = "future"
    underlying: str | None = Field(None, pattern=SYMBOL_PATTERN)
    expiry: dt.date
    multiplier: Decimal = Field(Decimal(1), gt=0)


def _check_pair(value: str) -> str:
    base, sep, quote = value.partition("/")
    if not sep or len(base) != 3 or len(quote) != 3 or not (base + quote).isalpha():
        raise ValueError("currency pair must look like 'EUR/USD'")
    return value.upper()


class FxSpot(InstrumentBase):
    """A spot FX currency pair, settled ``settlement_days`` after trade date."""

    asset_class: Literal["fx_spot"] = "fx_spot"
    pair: str = Field(description="Base/quote, e.g. 'EUR/USD'.")
    settlement_days: int = Field(2, ge=0, le=5, description="Value date offset (T+n).")

    _check = field_validator("pair")(classmethod(lambda cls, v: _check_pair(v)))


class Ndf(InstrumentBase):
    """A non-deliverable forward: fixed on ``fixing_date``, settled in ``settlement_currency``."""

    asset_class: Literal["ndf"] = "ndf"
    pair: str = Field(description="Base/quote, e.g. 'USD/INR'.")
    fixing_date: dt.date
    settlement_date: dt.date
    settlement_currency: str = Field("USD", min_length=3, max_length=3)

    _check = field_validator("pair")(classmethod(lambda cls, v: _check_pair(v)))

    @model_validator(mode="after")
    def _dates(self) -> Ndf:
        if self.settlement_date < self.fixing_date:
            raise ValueError("settlement_date is before fixing_date")
        return self


class Crypto(InstrumentBase):
    """A crypto pair, ``base`` quoted in ``quote``; set a fractional ``lot_size``."""

    asset_class: Literal["crypto"] = "crypto"
    base: str = Field(min_length=2, max_length=10)
    quote: str = Field(min_length=2, max_length=10)


Instrument = Annotated[
    Equity | Option | Future | FxSpot | Ndf | Crypto, Field(discriminator="asset_class")
]
"""Any instrument; the ``asset_class`` field says which model applies."""
