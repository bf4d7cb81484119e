"""Documented sequences of ``auto_reject``, ``auto_cancel`` and ``partial_then_cancel``."""

from __future__ import annotations

from .model import Cancel, New, Replace, Scenario, Wait
from .model import fill as _fill

__all__ = ["AUTO_CANCEL", "AUTO_REJECT", "PARTIAL_THEN_CANCEL"]

BUY_100 = New("A", "buy", 100, "10.00")

AUTO_REJECT = (
    Scenario(
        "auto_reject: every order is rejected by the venue",
        "auto_reject",
        (BUY_100,),
        ((0, (("rejected", "A", "venue_decision", "rejected by the venue"),)),),
    ),
    Scenario(
        "auto_reject: reasons are used in turn",
        "auto_reject",
        (BUY_100, New("B", "sell", 5, "10.00"), New("C", "buy", 1, "9.00")),
        (
            (0, (("rejected", "A", "venue_decision", "credit limit exceeded"),)),
            (0, (("rejected", "B", "halted", "instrument is halted"),)),
            (0, (("rejected", "C", "venue_decision", "credit limit exceeded"),)),
        ),
        params={"reasons": ["credit limit exceeded", {"code": "halted"}]},
    ),
    Scenario(
        "auto_reject: a cancel of a rejected order is rejected as too late",
        "auto_reject",
        (BUY_100, Cancel("A")),
        (
            (0, (("rejected", "A", "venue_decision", "rejected by the venue"),)),
            (0, (("cancel_rejected", "A", "too_late"),)),
        ),
    ),
)

AUTO_CANCEL = (
    Scenario(
        "auto_cancel: the order is acknowledged, then canceled unsolicited after the delay",
        "auto_cancel",
        (BUY_100, Wait(1000)),
        ((0, (("accepted", "A"),)), (500, (("canceled", "A", "unsolicited", 100, 0),))),
        params={"delay_ms": 500},
    ),
    Scenario(
        "auto_cancel: with no delay the cancel follows the acknowledgement at once",
        "auto_cancel",
        (BUY_100,),
        ((0, (("accepted", "A"), ("canceled", "A", "unsolicited", 100, 0))),),
    ),
    Scenario(
        "auto_cancel: a client cancel first is accepted and no unsolicited cancel follows",
        "auto_cancel",
        (BUY_100, Wait(200), Cancel("A"), Wait(1000)),
        ((0, (("accepted", "A"),)), (200, (("canceled", "A", "user", 100, 0),))),
        params={"delay_ms": 500},
    ),
    Scenario(
        "auto_cancel: a replace first is accepted and the replaced order is canceled",
        "auto_cancel",
        (BUY_100, Wait(200), Replace("A", qty=150), Wait(1000)),
        (
            (0, (("accepted", "A"),)),
            (200, (("replaced", "A", 150, "10.00"),)),
            (500, (("canceled", "A", "unsolicited", 150, 0),)),
        ),
        params={"delay_ms": 500},
    ),
    Scenario(
        "auto_cancel: a cancel after the unsolicited cancel is rejected as too late",
        "auto_cancel",
        (BUY_100, Wait(1000), Cancel("A")),
        (
            (0, (("accepted", "A"),)),
            (500, (("canceled", "A", "unsolicited", 100, 0),)),
            (1000, (("cancel_rejected", "A", "too_late"),)),
        ),
        params={"delay_ms": 500},
    ),
)

PARTIAL_THEN_CANCEL = (
    Scenario(
        "partial_then_cancel: half is filled, then the rest is canceled unsolicited",
        "partial_then_cancel",
        (BUY_100,),
        (
            (
                0,
                (
                    ("accepted", "A"),
                    *_fill("A", 50, "10.00", 50),
                    ("canceled", "A", "unsolicited", 50, 0),
                ),
            ),
        ),
    ),
    Scenario(
        "partial_then_cancel: the fill and the cancel follow their delays",
        "partial_then_cancel",
        (BUY_100, Wait(1000)),
        (
            (0, (("accepted", "A"),)),
            (100, _fill("A", 30, "10.00", 70)),
            (500, (("canceled", "A", "unsolicited", 70, 0),)),
        ),
        params={"size": "30", "delay_ms": 100, "cancel_delay_ms": 400},
    ),
    Scenario(
        "partial_then_cancel: a replace after the fill changes what the cancel cancels",
        "partial_then_cancel",
        (BUY_100, Wait(200), Replace("A", qty=80), Wait(1000)),
        (
            (0, (("accepted", "A"),)),
            (100, _fill("A", 30, "10.00", 70)),
            (200, (("replaced", "A", 80, "10.00"),)),
            (500, (("canceled", "A", "unsolicited", 50, 0),)),
        ),
        params={"size": "30", "delay_ms": 100, "cancel_delay_ms": 400},
    ),
    Scenario(
        "partial_then_cancel: a client cancel before the fill leaves nothing to do",
        "partial_then_cancel",
        (BUY_100, Wait(50), Cancel("A"), Wait(1000)),
        ((0, (("accepted", "A"),)), (50, (("canceled", "A", "user", 100, 0),))),
        params={"size": "30", "delay_ms": 100, "cancel_delay_ms": 400},
    ),
    Scenario(
        "partial_then_cancel: a cancel after the unsolicited cancel is rejected as too late",
        "partial_then_cancel",
        (BUY_100, Cancel("A")),
        (
            (
                0,
                (
                    ("accepted", "A"),
                    *_fill("A", 50, "10.00", 50),
                    ("canceled", "A", "unsolicited", 50, 0),
                ),
            ),
            (0, (("cancel_rejected", "A", "too_late"),)),
        ),
    ),
    Scenario(
        "partial_then_cancel: an order of one lot is simply filled",
        "partial_then_cancel",
        (New("A", "buy", 1, "10.00"),),
        ((0, (("accepted", "A"), *_fill("A", 1, "10.00", 0))),),
    ),
)
