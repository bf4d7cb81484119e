"""The venue's vocabulary as enumerations.

Values are small integers so that the matching engine can compare them cheaply; where a
value has a FIX equivalent it is the FIX value (``Side``, ``TimeInForce``,
``OrderStatus``), so protocol translations are mostly identities.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Side(IntEnum):
    """Which way an order trades. Values are FIX Side(54)."""

    BUY = 1
    SELL = 2

    @property
    def opposite(self) -> Side:
        return Side.SELL if self is Side.BUY else Side.BUY


class TimeInForce(IntEnum):
    """When an order stops working. Values are FIX TimeInForce(59)."""

    DAY = 0
    GTC = 1
    OPG = 2
    IOC = 3
    FOK = 4
    GTX = 5
    GTD = 6
    ATC = 7


#: Time-in-force values that need an auction; rejected until the venue runs auctions.
AUCTION_TIFS = frozenset({TimeInForce.OPG, TimeInForce.ATC})


class OrderStatus(IntEnum):
    """Where an order is in its life. Values follow FIX OrdStatus(39) where one exists."""

    NEW = 0
    PARTIALLY_FILLED = 1
    FILLED = 2
    CANCELED = 4
    REPLACED = 5
    PENDING_CANCEL = 6
    REJECTED = 8
    PENDING_NEW = 10
    EXPIRED = 12
    PENDING_REPLACE = 14
    #: a stop order waiting for its trigger (FIX reports it as NEW)
    WAITING_TRIGGER = 20

    @property
    def is_terminal(self) -> bool:
        return self in _TERMINAL


_TERMINAL = frozenset(
    {
        OrderStatus.FILLED,
        OrderStatus.CANCELED,
        OrderStatus.REPLACED,
        OrderStatus.REJECTED,
        OrderStatus.EXPIRED,
    }
)


class Liquidity(IntEnum):
    """Which side of a trade an order was on."""

    MAKER = 1
    TAKER = 2
    #: a fill that no resting order took part in (managed engine, behaviours)
    SYNTHETIC = 3


class PegType(IntEnum):
    """What a pegged order's price follows (see the ``peg`` order type)."""

    NONE = 0
    #: pegged to the same side's best price (a buy pegs to the best bid)
    PRIMARY = 1
    #: pegged to the opposite side's best price (a buy pegs to the best offer)
    MARKET = 2
    #: pegged to the midpoint of the best bid and offer
    MIDPOINT = 3


class TradingStatus(StrEnum):
    """Whether an instrument trades."""

    OPEN = "open"
    #: new orders and replaces are rejected; cancels are accepted
    HALTED = "halted"
    #: as halted; the session is over
    CLOSED = "closed"


class STPMode(StrEnum):
    """Self-trade prevention: what happens when an order would trade with its own side."""

    OFF = "off"
    #: the incoming order's remainder is canceled, the resting order stays
    CANCEL_NEWEST = "cancel_newest"
    #: the resting order is canceled and the incoming order goes on matching
    CANCEL_OLDEST = "cancel_oldest"
    #: both are canceled
    CANCEL_BOTH = "cancel_both"
    #: both are reduced by the smaller quantity, without a trade
    DECREMENT = "decrement"


class STPScope(StrEnum):
    """What makes two orders "the same owner" for self-trade prevention."""

    SESSION = "session"
    ACCOUNT = "account"


class PostOnlyMode(StrEnum):
    """What a venue does with a post-only order that would take liquidity."""

    REJECT = "reject"
    #: re-price it one tick behind the opposite best price, so it rests
    REPRICE = "reprice"


class CancelReason(IntEnum):
    """Why an order (or part of it) stopped working without trading."""

    #: the owner asked for it
    USER = 1
    #: the unfilled remainder of an IOC or market order
    IOC_REMAINDER = 2
    #: a FOK order that could not fill completely on arrival
    FOK_UNFILLED = 3
    #: DAY at the venue's end of day, or GTD at its expire time
    EXPIRED = 4
    #: self-trade prevention
    SELF_TRADE = 5
    #: part of a mass cancel
    MASS_CANCEL = 6
    #: the venue canceled it (operator, managed engine, behaviour, disconnect)
    UNSOLICITED = 7
    #: the owning session disconnected and has cancel-on-disconnect set
    DISCONNECT = 8
    #: a market order found no (more) liquidity
    NO_LIQUIDITY = 9
    #: an order's minimum quantity could not be met on arrival
    MIN_QTY_UNMET = 10


class RejectReason(IntEnum):
    """Why an order or a request was refused. Each has a human text in ``REJECT_TEXT``."""

    UNKNOWN_INSTRUMENT = 1
    OFF_TICK = 2
    BAD_LOT = 3
    QTY_OUT_OF_RANGE = 4
    ORDER_TYPE_NOT_ALLOWED = 5
    TIF_NOT_ALLOWED = 6
    PRICE_OUT_OF_BAND = 7
    HALTED = 8
    CLOSED = 9
    MISSING_PRICE = 10
    UNEXPECTED_PRICE = 11
    MISSING_STOP_PRICE = 12
    POST_ONLY_WOULD_TAKE = 13
    BAD_EXPIRE_TIME = 14
    AUCTION_NOT_SUPPORTED = 15
    NO_LIQUIDITY = 16
    UNKNOWN_ORDER = 17
    TOO_LATE = 18
    NOT_OWNER = 19
    QTY_NOT_ABOVE_FILLED = 20
    CHANGE_NOT_ALLOWED = 21
    PENDING = 22
    BAD_SIDE = 23
    BAD_QTY = 24
    BAD_PRICE = 25
    BAD_MIN_QTY = 26
    BAD_DISPLAY_QTY = 27
    BAD_PEG = 28
    DUPLICATE_ORDER = 29
    VENUE_DECISION = 30
    UNEXPECTED_STOP_PRICE = 31
    NOTHING_TO_REDUCE = 32
    OTHER = 99


REJECT_TEXT: dict[RejectReason, str] = {
    RejectReason.UNKNOWN_INSTRUMENT: "unknown instrument",
    RejectReason.OFF_TICK: "price is not a multiple of the instrument's tick size",
    RejectReason.BAD_LOT: "quantity is not a multiple of the instrument's lot size",
    RejectReason.QTY_OUT_OF_RANGE: "quantity outside the instrument's minimum and maximum",
    RejectReason.ORDER_TYPE_NOT_ALLOWED: "order type not allowed at this venue",
    RejectReason.TIF_NOT_ALLOWED: "time in force not allowed at this venue",
    RejectReason.PRICE_OUT_OF_BAND: "price outside the venue's price band",
    RejectReason.HALTED: "instrument is halted",
    RejectReason.CLOSED: "instrument is closed",
    RejectReason.MISSING_PRICE: "this order type needs a limit price",
    RejectReason.UNEXPECTED_PRICE: "this order type takes no limit price",
    RejectReason.MISSING_STOP_PRICE: "this order type needs a stop price",
    RejectReason.POST_ONLY_WOULD_TAKE: "post-only order would take liquidity",
    RejectReason.BAD_EXPIRE_TIME: "GTD needs an expire time in the future",
    RejectReason.AUCTION_NOT_SUPPORTED: "auction time in force (OPG, ATC) needs a venue that runs "
    "auctions; this one does not",
    RejectReason.NO_LIQUIDITY: "no liquidity on the opposite side",
    RejectReason.UNKNOWN_ORDER: "unknown order",
    RejectReason.TOO_LATE: "order is already done (filled, canceled or expired)",
    RejectReason.NOT_OWNER: "order belongs to another session",
    RejectReason.QTY_NOT_ABOVE_FILLED: "new quantity must exceed the quantity already filled",
    RejectReason.CHANGE_NOT_ALLOWED: "side, instrument and order type cannot be changed",
    RejectReason.PENDING: "a previous cancel or replace of this order is still pending",
    RejectReason.BAD_SIDE: "side must be buy or sell",
    RejectReason.BAD_QTY: "quantity must be positive",
    RejectReason.BAD_PRICE: "price must be positive",
    RejectReason.BAD_MIN_QTY: "minimum quantity must be between 0 and the order quantity",
    RejectReason.BAD_DISPLAY_QTY: "display quantity must be between 0 and the order quantity",
    RejectReason.BAD_PEG: "pegged orders need a peg type (primary, market or midpoint)",
    RejectReason.DUPLICATE_ORDER: "duplicate client order id",
    RejectReason.VENUE_DECISION: "rejected by the venue",
    RejectReason.UNEXPECTED_STOP_PRICE: "this order type takes no stop price",
    RejectReason.NOTHING_TO_REDUCE: "the quantity to leave must be below the quantity still "
    "working",
    RejectReason.OTHER: "rejected",
}


def reject_text(reason: int) -> str:
    """The standard wording of a reject reason."""
    try:
        return REJECT_TEXT[RejectReason(reason)]
    except ValueError:
        return "rejected"
