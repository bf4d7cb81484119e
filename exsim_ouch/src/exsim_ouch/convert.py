"""Translations between the venue's vocabulary and Nasdaq's wire values.

Prices on the wire are integers with 4 implied decimals; inside exsim they are integers
in the instrument's units (:class:`PriceScale`). Timestamps are nanoseconds since
midnight in the venue's time zone (:class:`DayClock`). Reasons and flags map from the
core's enumerations to the letters (OUCH 4.2, ITCH) or codes (OUCH 5.0) of the
specification.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from exsim_core import CancelReason, Liquidity, RejectReason

__all__ = [
    "CANCEL_LETTER",
    "LIQUIDITY_LETTER",
    "MARKET_PRICES",
    "REJECT_CODE_50",
    "REJECT_LETTER_42",
    "DayClock",
    "PriceScale",
]

#: prices that mean "market" (0x7FFFFFFF, and $200,000.0000)
MARKET_PRICES: Final = frozenset({0x7FFFFFFF, 2_000_000_000})
#: the largest regular price, $199,999.9900
MAX_PRICE: Final = 1_999_999_900
#: shares must be below this on entry
MAX_SHARES: Final = 1_000_000


class PriceScale:
    """Converts 4-decimal wire prices to an instrument's price units and back.

    :param price_scale: the instrument's units per 1.0 of price (a power of ten).

    :ivar div: wire units per price unit (0 when the instrument is finer than 4
        decimals); the hot path of order entry converts with it inline.
    :ivar mul: price units per wire unit when ``div`` is 0.
    """

    __slots__ = ("div", "mul")

    def __init__(self, price_scale: int) -> None:
        if price_scale <= 10_000:
            self.div = 10_000 // price_scale
            self.mul = 0
        else:
            self.div = 0
            self.mul = price_scale // 10_000

    def to_units(self, p4: int) -> int | None:
        """The price in units, or None when it is finer than the instrument's precision."""
        div = self.div
        if div:
            return p4 // div if p4 % div == 0 else None
        return p4 * self.mul

    def to_wire(self, units: int) -> int:
        """The price with 4 implied decimals (truncated for instruments finer than that)."""
        div = self.div
        if div:
            return units * div
        return units // self.mul


class DayClock:
    """Nanoseconds since midnight in one time zone, for a clock reading in ns since the
    epoch (the day boundaries are cached).

    :ivar start: the epoch time of the midnight that starts the cached day.
    :ivar end: the epoch time of the next midnight: ``start <= now_ns < end`` is a
        reading of the cached day, ``now_ns - start`` its time (the hot path inlines it).
    """

    __slots__ = ("end", "start", "zone")

    def __init__(self, zone: dt.tzinfo) -> None:
        self.zone = zone
        self.start = 0
        self.end = -1

    def __call__(self, now_ns: int) -> int:
        if not self.start <= now_ns < self.end:
            self._roll(now_ns)
        return now_ns - self.start

    def midnight_ns(self, now_ns: int) -> int:
        """The epoch time of the midnight that starts ``now_ns``'s day."""
        self(now_ns)
        return self.start

    def _roll(self, now_ns: int) -> None:
        day = dt.datetime.fromtimestamp(now_ns // 1_000_000_000, self.zone).date()
        start = dt.datetime.combine(day, dt.time(0), self.zone)
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), self.zone)
        self.start = int(start.timestamp()) * 1_000_000_000
        self.end = int(end.timestamp()) * 1_000_000_000


R = RejectReason

#: OUCH 4.2 Rejected reason letter for each core reject reason ('O' other by default)
REJECT_LETTER_42: Final[dict[int, bytes]] = {
    R.UNKNOWN_INSTRUMENT: b"S",
    R.OFF_TICK: b"X",
    R.BAD_PRICE: b"X",
    R.PRICE_OUT_OF_BAND: b"X",
    R.MISSING_PRICE: b"X",
    R.UNEXPECTED_PRICE: b"X",
    R.HALTED: b"H",
    R.CLOSED: b"C",
    R.QTY_OUT_OF_RANGE: b"Z",
    R.BAD_LOT: b"e",
    R.BAD_MIN_QTY: b"N",
    R.BAD_DISPLAY_QTY: b"D",
    R.BAD_PEG: b"D",
    R.AUCTION_NOT_SUPPORTED: b"R",
}

#: OUCH 5.0 Rejected reason code for each core reject reason (0x000F other by default)
REJECT_CODE_50: Final[dict[int, int]] = {
    R.UNKNOWN_INSTRUMENT: 0x0017,
    R.OFF_TICK: 0x001D,
    R.BAD_PRICE: 0x001D,
    R.PRICE_OUT_OF_BAND: 0x001D,
    R.MISSING_PRICE: 0x001D,
    R.UNEXPECTED_PRICE: 0x001D,
    R.HALTED: 0x0007,
    R.CLOSED: 0x0002,
    R.QTY_OUT_OF_RANGE: 0x001E,
    R.BAD_LOT: 0x0013,
    R.BAD_QTY: 0x0013,
    R.BAD_MIN_QTY: 0x000D,
    R.BAD_DISPLAY_QTY: 0x0004,
    R.BAD_PEG: 0x0005,
    R.NO_LIQUIDITY: 0x0001,
    R.AUCTION_NOT_SUPPORTED: 0x0014,
    R.BAD_SIDE: 0x0009,
    R.PENDING: 0x000B,
    R.CHANGE_NOT_ALLOWED: 0x0015,
}

C = CancelReason

#: Canceled reason letter (OUCH 4.2 and 5.0) for each core cancel reason
CANCEL_LETTER: Final[dict[int, bytes]] = {
    C.USER: b"U",
    C.IOC_REMAINDER: b"I",
    C.FOK_UNFILLED: b"I",
    C.NO_LIQUIDITY: b"I",
    C.MIN_QTY_UNMET: b"I",
    C.EXPIRED: b"T",
    C.SELF_TRADE: b"Q",
    C.MASS_CANCEL: b"U",
    C.UNSOLICITED: b"S",
    C.DISCONNECT: b"Z",
}

#: Executed liquidity flag for each core liquidity role
LIQUIDITY_LETTER: Final[dict[int, bytes]] = {
    Liquidity.MAKER: b"A",
    Liquidity.TAKER: b"R",
    Liquidity.SYNTHETIC: b"R",
}
