"""Documented sequences of ``auto_fill`` and ``auto_partial``."""

from __future__ import annotations

from .model import NO_PRICE, Cancel, New, Replace, Scenario, Wait
from .model import fill as _fill

__all__ = ["AUTO_FILL", "AUTO_PARTIAL"]

BUY_100 = New("A", "buy", 100, "10.00")

AUTO_FILL = (
    Scenario(
        "auto_fill: a limit order is acknowledged and filled at its limit",
        "auto_fill",
        (BUY_100,),
        ((0, (("accepted", "A"), *_fill("A", 100, "10.00", 0))),),
    ),
    Scenario(
        "auto_fill: a market order fills at the reference price",
        "auto_fill",
        (New("A", "sell", 50, ord_type="market"),),
        ((0, (("accepted", "A"), *_fill("A", 50, "10.00", 0))),),
    ),
    Scenario(
        "auto_fill: a market order fills at the configured price",
        "auto_fill",
        (New("A", "sell", 50, ord_type="market"),),
        ((0, (("accepted", "A"), *_fill("A", 50, "10.05", 0))),),
        params={"price": "10.05"},
    ),
    Scenario(
        "auto_fill: a market order fills at the last trade price",
        "auto_fill",
        (New("A", "buy", 10, "10.20"), New("B", "sell", 10, ord_type="market")),
        (
            (0, (("accepted", "A"), *_fill("A", 10, "10.20", 0))),
            (0, (("accepted", "B"), *_fill("B", 10, "10.20", 0))),
        ),
    ),
    Scenario(
        "auto_fill: a market order with no price known is rejected",
        "auto_fill",
        (New("A", "buy", 10, ord_type="market"),),
        ((0, (("rejected", "A", "no_liquidity", NO_PRICE),)),),
        reference_price=None,
    ),
    Scenario(
        "auto_fill: the fill follows the acknowledgement after the delay",
        "auto_fill",
        (BUY_100, Wait(1000)),
        ((0, (("accepted", "A"),)), (250, _fill("A", 100, "10.00", 0))),
        params={"delay_ms": 250},
    ),
    Scenario(
        "auto_fill: a cancel before the delayed fill cancels the order, which never fills",
        "auto_fill",
        (BUY_100, Wait(100), Cancel("A"), Wait(1000)),
        ((0, (("accepted", "A"),)), (100, (("canceled", "A", "user", 100, 0),))),
        params={"delay_ms": 250},
    ),
    Scenario(
        "auto_fill: a reduction before the delayed fill leaves less to fill",
        "auto_fill",
        (BUY_100, Wait(100), Cancel("A", leaves_to=40), Wait(1000)),
        (
            (0, (("accepted", "A"),)),
            (100, (("canceled", "A", "user", 60, 40),)),
            (250, _fill("A", 40, "10.00", 0)),
        ),
        params={"delay_ms": 250},
    ),
    Scenario(
        "auto_fill: a replace before the delayed fill is filled as replaced",
        "auto_fill",
        (BUY_100, Wait(100), Replace("A", qty=200, price="10.05"), Wait(1000)),
        (
            (0, (("accepted", "A"),)),
            (100, (("replaced", "A", 200, "10.05"),)),
            (250, _fill("A", 200, "10.05", 0)),
        ),
        params={"delay_ms": 250},
    ),
    Scenario(
        "auto_fill: a cancel of a filled order is rejected as too late",
        "auto_fill",
        (BUY_100, Cancel("A"), Replace("A", qty=50)),
        (
            (0, (("accepted", "A"), *_fill("A", 100, "10.00", 0))),
            (0, (("cancel_rejected", "A", "too_late"),)),
            (0, (("cancel_rejected", "A", "too_late"),)),
        ),
    ),
)

AUTO_PARTIAL = (
    Scenario(
        "auto_partial: two partial fills of a quarter each, then the rest rests",
        "auto_partial",
        (BUY_100,),
        (
            (
                0,
                (
                    ("accepted", "A"),
                    *_fill("A", 25, "10.00", 75),
                    *_fill("A", 25, "10.00", 50),
                    ("added", "A", "10.00", 50),
                    ("book", "buy", "10.00", 50, 1),
                ),
            ),
        ),
    ),
    Scenario(
        "auto_partial: fills of configured sizes, delayed, then the rest is filled",
        "auto_partial",
        (New("A", "sell", 100, "10.00"), Wait(1000)),
        (
            (0, (("accepted", "A"),)),
            (100, _fill("A", 10, "10.00", 90)),
            (200, _fill("A", 20, "10.00", 70)),
            (300, _fill("A", 70, "10.00", 0)),
        ),
        params={"sizes": ["10", "20"], "delay_ms": 100, "remainder": "fill"},
    ),
    Scenario(
        "auto_partial: a cancel once the remainder is filled is rejected as too late",
        "auto_partial",
        (New("A", "sell", 100, "10.00"), Cancel("A")),
        (
            (
                0,
                (
                    ("accepted", "A"),
                    *_fill("A", 25, "10.00", 75),
                    *_fill("A", 25, "10.00", 50),
                    *_fill("A", 50, "10.00", 0),
                ),
            ),
            (0, (("cancel_rejected", "A", "too_late"),)),
        ),
        params={"remainder": "fill"},
    ),
    Scenario(
        "auto_partial: a cancel between partial fills stops them",
        "auto_partial",
        (BUY_100, Wait(150), Cancel("A"), Wait(1000)),
        (
            (0, (("accepted", "A"),)),
            (100, _fill("A", 10, "10.00", 90)),
            (150, (("canceled", "A", "user", 90, 0),)),
        ),
        params={"sizes": ["10", "20"], "delay_ms": 100},
    ),
    Scenario(
        "auto_partial: a replace between partial fills carries on with the order as replaced",
        "auto_partial",
        (BUY_100, Wait(150), Replace("A", qty=25), Wait(1000)),
        (
            (0, (("accepted", "A"),)),
            (100, _fill("A", 10, "10.00", 90)),
            (150, (("replaced", "A", 25, "10.00"),)),
            (200, _fill("A", 15, "10.00", 0)),
        ),
        params={"sizes": ["10", "20"], "delay_ms": 100},
    ),
    Scenario(
        "auto_partial: the resting remainder is canceled like any resting order",
        "auto_partial",
        (BUY_100, Cancel("A")),
        (
            (
                0,
                (
                    ("accepted", "A"),
                    *_fill("A", 25, "10.00", 75),
                    *_fill("A", 25, "10.00", 50),
                    ("added", "A", "10.00", 50),
                    ("book", "buy", "10.00", 50, 1),
                ),
            ),
            (0, (("book", "buy", "10.00", 0, 0), ("canceled", "A", "user", 50, 0))),
        ),
    ),
    Scenario(
        "auto_partial: a replace of the resting remainder moves it in the book",
        "auto_partial",
        (BUY_100, Replace("A", price="10.01")),
        (
            (
                0,
                (
                    ("accepted", "A"),
                    *_fill("A", 25, "10.00", 75),
                    *_fill("A", 25, "10.00", 50),
                    ("added", "A", "10.00", 50),
                    ("book", "buy", "10.00", 50, 1),
                ),
            ),
            (
                0,
                (
                    ("book", "buy", "10.00", 0, 0),
                    ("replaced", "A", 100, "10.01"),
                    ("added", "A", "10.01", 50),
                    ("book", "buy", "10.01", 50, 1),
                ),
            ),
        ),
    ),
    Scenario(
        "auto_partial: a remainder that crosses a resting order trades with it",
        "auto_partial",
        (BUY_100, New("B", "sell", 100, "9.99")),
        (
            (
                0,
                (
                    ("accepted", "A"),
                    *_fill("A", 25, "10.00", 75),
                    *_fill("A", 25, "10.00", 50),
                    ("added", "A", "10.00", 50),
                    ("book", "buy", "10.00", 50, 1),
                ),
            ),
            (
                0,
                (
                    ("accepted", "B"),
                    *_fill("B", 25, "9.99", 75),
                    *_fill("B", 25, "9.99", 50),
                    ("fill", "B", 50, "10.00", 0),
                    ("fill", "A", 50, "10.00", 0),
                    ("trade", 50, "10.00"),
                    ("book", "buy", "10.00", 0, 0),
                ),
            ),
        ),
    ),
    Scenario(
        "auto_partial: the remainder of an IOC order is canceled",
        "auto_partial",
        (New("A", "buy", 100, "10.00", tif="ioc"),),
        (
            (
                0,
                (
                    ("accepted", "A"),
                    *_fill("A", 25, "10.00", 75),
                    *_fill("A", 25, "10.00", 50),
                    ("canceled", "A", "ioc_remainder", 50, 0),
                ),
            ),
        ),
    ),
)
