"""Instruments: one model per asset class, each with tick and lot sizes, quantity bounds and
price precision. Prices and quantities are exact integers in instrument units inside exsim;
decimals appear only at the edges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from exsim_core import (
    BUY,
    SELL,
    ConfigError,
    Crypto,
    Equity,
    Future,
    FxSpot,
    Instrument,
    Ndf,
    Option,
    Order,
    OrderStatus,
    RejectReason,
)
from exsim_core.events import FILL, REJECTED

instrument = TypeAdapter(Instrument)


def test_equity_defaults_to_a_cent_tick_and_a_lot_of_one():
    acme = Equity(symbol="ACME")

    assert (acme.tick_size, acme.lot_size) == (Decimal("0.01"), Decimal(1))
    assert (acme.tick_units, acme.lot_units, acme.price_scale) == (1, 1, 100)


def test_option_has_underlying_strike_expiry_put_call_and_multiplier():
    option = Option(
        symbol="ACME260320C00010000",
        underlying="ACME",
        strike="10",
        expiry=dt.date(2026, 3, 20),
        put_call="call",
    )

    assert (option.underlying, option.strike, option.put_call) == ("ACME", Decimal(10), "call")
    assert option.expiry == dt.date(2026, 3, 20)
    assert option.multiplier == 100


def test_option_must_be_a_put_or_a_call():
    with pytest.raises(ValidationError):
        Option(symbol="X", underlying="ACME", strike="10", expiry="2026-03-20", put_call="both")


def test_future_has_expiry_and_multiplier():
    future = Future(symbol="ESH6", expiry=dt.date(2026, 3, 20), multiplier=50, tick_size="0.25")

    assert (future.expiry, future.multiplier, future.tick_units) == (dt.date(2026, 3, 20), 50, 25)


def test_fx_spot_has_a_currency_pair_and_settlement():
    spot = FxSpot(symbol="EURUSD", pair="eur/usd", tick_size="0.00001")

    assert spot.pair == "EUR/USD"
    assert spot.settlement_days == 2
    assert spot.price_to_units("1.08765") == 108765


@pytest.mark.parametrize("pair", ["EURUSD", "EU/USD", "EUR/US1"])
def test_fx_pair_must_look_like_base_slash_quote(pair):
    with pytest.raises(ValidationError, match="currency pair"):
        FxSpot(symbol="X", pair=pair)


def test_ndf_has_a_fixing_date_and_a_settlement_currency():
    ndf = Ndf(
        symbol="USDINR1M",
        pair="USD/INR",
        fixing_date=dt.date(2026, 2, 3),
        settlement_date=dt.date(2026, 2, 5),
        settlement_currency="USD",
    )

    assert (ndf.fixing_date, ndf.settlement_currency) == (dt.date(2026, 2, 3), "USD")


def test_ndf_cannot_settle_before_it_fixes():
    with pytest.raises(ValidationError, match="settlement_date"):
        Ndf(
            symbol="X",
            pair="USD/INR",
            fixing_date=dt.date(2026, 2, 5),
            settlement_date=dt.date(2026, 2, 3),
        )


def test_crypto_has_base_and_quote_and_fractional_quantities():
    btc = Crypto(symbol="BTC-USD", base="BTC", quote="USD", lot_size="0.0001", tick_size="0.5")

    assert (btc.base, btc.quote) == ("BTC", "USD")
    assert btc.qty_to_units("0.5") == 5000
    assert btc.units_to_qty(5000) == Decimal("0.5")
    assert btc.lot_units == 1


def test_crypto_fractional_quantities_trade_exactly(venue, events):
    btc = Crypto(symbol="BTC-USD", base="BTC", quote="USD", lot_size="0.0001", tick_size="0.5")
    venue.add_instrument(btc)
    price = btc.price_to_units("64000.5")
    venue.submit(Order("BTC-USD", SELL, btc.qty_to_units("0.75"), price=price))
    taker = venue.submit(Order("BTC-USD", BUY, btc.qty_to_units("0.2501"), price=price))

    fill = events.for_order(taker.order_id, FILL)[0]
    assert btc.units_to_qty(fill["last_qty"]) == Decimal("0.2501")
    assert btc.units_to_price(fill["last_px"]) == Decimal("64000.5")
    assert taker.status == OrderStatus.FILLED


def test_crypto_min_quantity_is_fractional(venue, events):
    btc = Crypto(symbol="BTC-USD", base="BTC", quote="USD", lot_size="0.0001", min_qty="0.001")
    venue.add_instrument(btc)
    venue.submit(Order("BTC-USD", BUY, btc.qty_to_units("0.0009"), price=100))

    assert events.one(REJECTED)["reason"] == RejectReason.QTY_OUT_OF_RANGE


def test_price_precision_can_be_finer_than_the_tick():
    acme = Equity(symbol="ACME", tick_size="0.01", price_precision=4)

    assert (acme.price_scale, acme.tick_units) == (10_000, 100)
    assert acme.price_to_units("10.0001") == 100_001


def test_price_precision_must_express_the_tick():
    with pytest.raises(ValidationError, match="price_precision"):
        Equity(symbol="ACME", tick_size="0.001", price_precision=2)


def test_price_conversion_is_exact_both_ways():
    acme = Equity(symbol="ACME")

    assert acme.price_to_units("10.07") == 1007
    assert acme.units_to_price(1007) == Decimal("10.07")
    assert isinstance(acme.units_to_price(1007), Decimal)


def test_price_finer_than_the_precision_is_not_rounded():
    acme = Equity(symbol="ACME")

    assert acme.price_to_units("10.075") is None


def test_float_with_binary_noise_is_not_taken_as_a_price():
    acme = Equity(symbol="ACME")

    assert acme.price_to_units(0.1 + 0.2) is None
    assert acme.price_to_units(10.1) == 1010


@pytest.mark.parametrize("text", ["nan", "inf", "ten", ""])
def test_what_is_not_a_number_is_not_a_price(text):
    assert Equity(symbol="ACME").price_to_units(text) is None


def test_min_qty_above_max_qty_is_refused():
    with pytest.raises(ValidationError, match="min_qty"):
        Equity(symbol="ACME", min_qty=100, max_qty=10)


@pytest.mark.parametrize(
    "field", [{"tick_size": "0"}, {"lot_size": "-1"}, {"symbol": "bad symbol"}, {"colour": "red"}]
)
def test_invalid_instrument_fields_are_refused(field):
    with pytest.raises(ValidationError):
        Equity(**({"symbol": "ACME"} | field))


@pytest.mark.parametrize(
    ("data", "cls"),
    [
        ({"asset_class": "equity", "symbol": "ACME"}, Equity),
        ({"asset_class": "future", "symbol": "ESH6", "expiry": "2026-03-20"}, Future),
        ({"asset_class": "crypto", "symbol": "ETH-USD", "base": "ETH", "quote": "USD"}, Crypto),
        ({"asset_class": "fx_spot", "symbol": "EURUSD", "pair": "EUR/USD"}, FxSpot),
    ],
)
def test_asset_class_selects_the_instrument_model(data, cls):
    assert type(instrument.validate_python(data)) is cls


def test_unknown_asset_class_is_refused():
    with pytest.raises(ValidationError):
        instrument.validate_python({"asset_class": "bond", "symbol": "T10"})


def test_instruments_are_immutable():
    acme = Equity(symbol="ACME")

    with pytest.raises(ValidationError):
        acme.tick_size = Decimal("0.05")


def test_each_instrument_has_its_own_book(venue):
    venue.add_instrument(Equity(symbol="BOLT"))
    venue.submit(Order("ACME", BUY, 100, price=1000))

    assert venue.book("BOLT").depth(BUY) == []
    assert venue.book("ACME").depth(BUY) == [(1000, 100, 1)]


def test_a_venue_trades_an_instrument_once(venue):
    with pytest.raises(ConfigError, match="ACME"):
        venue.add_instrument(Equity(symbol="ACME"))


def test_average_price_is_exact(venue, events):
    venue.submit(Order("ACME", SELL, 1, price=1000))
    venue.submit(Order("ACME", SELL, 2, price=1001))
    taker = venue.submit(Order("ACME", BUY, 3, price=1001))

    last = events.for_order(taker.order_id, FILL)[-1]
    acme = venue.instruments["ACME"]
    average = acme.units_to_price(last["cum_cost"]) / last["cum_qty"]
    assert average == Decimal("3002") / Decimal("300")
    assert isinstance(last["cum_cost"], int)
