"""Instruments on the wire: finding the venue's instrument an order names, and
describing instruments in SecurityList / SecurityDefinition messages.

An order names its instrument by Symbol(55); the other instrument fields a client may
send (SecurityType 167, MaturityMonthYear 200, MaturityDate 541, StrikePrice 202,
PutOrCall 201, Currency 15, SettlDate 64) must agree with the venue's instrument, or the
order is rejected with a Text that says which field disagrees. Options and futures can
also be named by their underlying in Symbol(55) plus those fields.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from .amounts import format_units

if TYPE_CHECKING:
    from exsim_core import InstrumentBase, Venue

__all__ = ["describe", "resolve", "security_type"]

#: SecurityType(167) values each asset class answers to
_TYPES: dict[str, frozenset[bytes]] = {
    "equity": frozenset({b"CS", b"PS", b"COMMON", b"PREFERRED", b"ETF", b"MF"}),
    "option": frozenset({b"OPT"}),
    "future": frozenset({b"FUT"}),
    "fx_spot": frozenset({b"FOR", b"FXSPOT"}),
    "ndf": frozenset({b"FOR", b"FXNDF"}),
    "crypto": frozenset({b"CS", b"FOR", b"FXSPOT", b"CASH", b"?"}),
}
_MAIN_TYPE = {
    "equity": b"CS",
    "option": b"OPT",
    "future": b"FUT",
    "fx_spot": b"FOR",
    "ndf": b"FOR",
    "crypto": b"FOR",
}


def security_type(instrument: InstrumentBase, rank: int) -> bytes:
    """The SecurityType(167) of ``instrument`` (FIX 4.3+ spells FX spot ``FXSPOT``)."""
    kind = str(getattr(instrument, "asset_class", "equity"))
    if rank >= 43 and kind == "fx_spot":
        return b"FXSPOT"
    if rank >= 43 and kind == "ndf":
        return b"FXNDF"
    return _MAIN_TYPE.get(kind, b"CS")


def resolve(venue: Venue, values: dict[bytes, bytes]) -> tuple[InstrumentBase | None, str]:
    """The instrument ``values`` (an order's fields) name, or None and why not."""
    symbol_b = values.get(b"55", b"")
    symbol = symbol_b.decode("latin-1")
    instrument = venue.instruments.get(symbol)
    if instrument is None or (
        values.get(b"167") in (b"OPT", b"FUT")
        and getattr(instrument, "asset_class", "") not in ("option", "future")
    ):
        # a derivative named by its underlying and contract fields
        derivative = _by_underlying(venue, symbol, values)
        if derivative is not None:
            instrument = derivative
        elif instrument is None:
            return None, f"unknown symbol {symbol!r} at venue {venue.name}"
    if not _CHECKED.isdisjoint(values):
        problem = _mismatch(instrument, values)
        if problem:
            return None, problem
    return instrument, ""


_CHECKED = frozenset((b"167", b"200", b"541", b"202", b"201", b"15", b"64"))


def _by_underlying(venue: Venue, symbol: str, values: dict[bytes, bytes]) -> Any:
    if values.get(b"167") not in (b"OPT", b"FUT"):
        return None
    for instrument in venue.instruments.values():
        if getattr(instrument, "underlying", None) == symbol and not _mismatch(instrument, values):
            return instrument
    return None


def _mismatch(instrument: InstrumentBase, values: dict[bytes, bytes]) -> str:
    kind = str(getattr(instrument, "asset_class", "equity"))
    name = f"instrument {instrument.symbol} ({kind.replace('_', ' ')})"
    sec_type = values.get(b"167")
    if sec_type is not None and sec_type not in _TYPES.get(kind, frozenset()):
        return f"SecurityType(167) {sec_type.decode('latin-1')} does not match {name}"
    expiry: dt.date | None = getattr(instrument, "expiry", None)
    mmy = values.get(b"200")
    if mmy is not None:
        if expiry is None:
            return f"MaturityMonthYear(200) given for {name}, which has no maturity"
        text = mmy.decode("latin-1")
        if text[:6] != expiry.strftime("%Y%m") or (
            len(text) == 8 and text.isdigit() and text != expiry.strftime("%Y%m%d")
        ):
            return f"MaturityMonthYear(200) {text} does not match {name}, expiring {expiry}"
    date = values.get(b"541")
    if date is not None and (expiry is None or date.decode("latin-1") != expiry.strftime("%Y%m%d")):
        return f"MaturityDate(541) {date.decode('latin-1')} does not match {name}"
    strike = values.get(b"202")
    if strike is not None:
        have = getattr(instrument, "strike", None)
        try:
            ok = have is not None and Decimal(strike.decode("latin-1")) == have
        except InvalidOperation:
            ok = False
        if not ok:
            return f"StrikePrice(202) {strike.decode('latin-1')} does not match {name}"
    put_call = values.get(b"201")
    if put_call is not None:
        want = {b"0": "put", b"1": "call"}.get(put_call)
        if getattr(instrument, "put_call", None) != want:
            return f"PutOrCall(201) {put_call.decode('latin-1')} does not match {name}"
    currency = values.get(b"15")
    if currency is not None and currency.decode("latin-1") != instrument.currency:
        return (
            f"Currency(15) {currency.decode('latin-1')} does not match {name}, priced in "
            f"{instrument.currency}"
        )
    settl = values.get(b"64")
    settlement: dt.date | None = getattr(instrument, "settlement_date", None)
    if (
        settl is not None
        and settlement is not None
        and (settl.decode("latin-1") != settlement.strftime("%Y%m%d"))
    ):
        return f"SettlDate(64) {settl.decode('latin-1')} does not match {name}"
    return ""


def describe(instrument: InstrumentBase, rank: int) -> bytes:
    """The Instrument fields of ``instrument``, for SecurityList entries and
    SecurityDefinition (Symbol, SecurityType, maturity, strike, put/call, currency, lot
    from FIX 4.3 and tick from FIX 5.0)."""
    out = [b"55=%s\x01167=%s\x01" % (instrument.symbol.encode(), security_type(instrument, rank))]
    expiry = getattr(instrument, "expiry", None)
    if expiry is not None:
        out.append(b"200=%s\x01" % expiry.strftime("%Y%m").encode())
        if rank >= 43:
            out.append(b"541=%s\x01" % expiry.strftime("%Y%m%d").encode())
    put_call = getattr(instrument, "put_call", None)
    if put_call is not None:
        out.append(b"201=%s\x01" % (b"1" if put_call == "call" else b"0"))
        out.append(b"202=%s\x01" % str(getattr(instrument, "strike", "")).encode())
    out.append(b"15=%s\x01" % instrument.currency.encode())
    if rank >= 43:
        out.append(b"561=%s\x01" % str(instrument.lot_size).encode())
    if rank >= 50:  # MinPriceIncrement(969) is a FIX 5.0 field: 4.4 peers refuse the tag
        out.append(b"969=%s\x01" % format_units(instrument.tick_units, _decimals(instrument)))
    return b"".join(out)


def _decimals(instrument: InstrumentBase) -> int:
    return len(str(instrument.price_scale)) - 1
