"""Orders and the commands that act on them.

An :class:`Order` is both the *NewOrder* command a session sends and the order the book
then keeps: the engine accepts it in place, so nothing is copied on the way in. Its prices
and quantities are integers in the instrument's units (see :mod:`exsim_core.instrument`).

The other commands (:class:`Cancel`, :class:`Replace`, :class:`MassCancel`) are small
slotted objects. Commands are protocol-neutral: a FIX NewOrderSingle, an OUCH Enter Order,
a bot's decision and a management API call all become the same :class:`Order`.
"""

from __future__ import annotations

from typing import Any

from .enums import OrderStatus, PegType, TimeInForce

__all__ = ["Cancel", "MassCancel", "Order", "Replace"]

_PENDING_NEW = int(OrderStatus.PENDING_NEW)


class Order:
    """An order: the request fields a session sets, and the state the venue keeps.

    Request fields (set by the sender): ``cl_ord_id``, ``session``, ``account``,
    ``symbol``, ``side``, ``ord_type``, ``tif``, ``price``, ``stop_price``, ``qty``,
    ``display``, ``min_qty``, ``post_only``, ``peg``, ``peg_offset``, ``expire_ns``,
    ``tag``.

    State (set by the venue): ``order_id`` (assigned on receipt, deterministic),
    ``status``, ``leaves`` (quantity still working), ``cum_qty`` (filled so far),
    ``cum_cost`` (sum of fill price × fill quantity, in units, for the average price),
    ``shown`` (the displayed part of ``leaves``), ``seq`` (time priority: lower is older),
    ``entered_ns`` (when the venue received it), ``level`` (the price level it rests in,
    None when it is not resting).

    ``tag`` belongs to the sender (a protocol keeps its own per-order state there); the
    venue never reads it.
    """

    __slots__ = (
        "account",
        "cl_ord_id",
        "cum_cost",
        "cum_qty",
        "display",
        "entered_ns",
        "expire_ns",
        "leaves",
        "level",
        "min_qty",
        "ord_type",
        "order_id",
        "peg",
        "peg_offset",
        "post_only",
        "price",
        "qty",
        "seq",
        "session",
        "shown",
        "side",
        "status",
        "stop_price",
        "symbol",
        "tag",
        "tif",
    )

    order_id: int
    cl_ord_id: str
    session: str
    account: str | None
    symbol: str
    side: int
    ord_type: str
    tif: int
    price: int | None
    stop_price: int | None
    qty: int
    leaves: int
    cum_qty: int
    cum_cost: int
    status: int
    display: int
    shown: int
    min_qty: int
    post_only: bool
    peg: int
    peg_offset: int
    expire_ns: int | None
    entered_ns: int
    seq: int
    tag: Any
    level: Any

    def __init__(
        self,
        symbol: str,
        side: int,
        qty: int,
        price: int | None = None,
        ord_type: str = "limit",
        tif: int = 0,
        cl_ord_id: str = "",
        session: str = "",
        account: str | None = None,
        stop_price: int | None = None,
        display: int = 0,
        min_qty: int = 0,
        post_only: bool = False,
        peg: int = 0,
        peg_offset: int = 0,
        expire_ns: int | None = None,
        tag: Any = None,
    ) -> None:
        self.symbol = symbol
        self.side = side
        self.qty = qty
        self.price = price
        self.ord_type = ord_type
        self.tif = tif
        self.cl_ord_id = cl_ord_id
        self.session = session
        self.account = account
        self.stop_price = stop_price
        self.display = display
        self.min_qty = min_qty
        self.post_only = post_only
        self.peg = peg
        self.peg_offset = peg_offset
        self.expire_ns = expire_ns
        self.tag = tag
        self.order_id = 0
        self.status = _PENDING_NEW
        self.leaves = qty
        self.shown = qty
        self.cum_qty = 0
        self.cum_cost = 0
        self.entered_ns = 0
        self.seq = 0
        self.level = None

    @property
    def is_live(self) -> bool:
        """True while the order can still trade or be canceled."""
        return self.leaves > 0 and self.status not in _DONE

    @property
    def avg_px_units(self) -> float:
        """Average fill price in units (0.0 before the first fill); use it for display."""
        return self.cum_cost / self.cum_qty if self.cum_qty else 0.0

    def clone(self) -> Order:
        """A copy with every field, used when an order moves in the book (new priority)."""
        new = Order.__new__(Order)
        for name in Order.__slots__:
            setattr(new, name, getattr(self, name))
        return new

    def __repr__(self) -> str:
        status = _status_name(self.status)
        tif = _tif_name(self.tif)
        side = "BUY" if self.side == 1 else "SELL" if self.side == 2 else f"side={self.side}"
        price = "" if self.price is None else f" @{self.price}"
        peg = f" peg={PegType(self.peg).name}{self.peg_offset:+d}" if self.peg else ""
        return (
            f"<Order {self.order_id} {self.symbol} {side} {self.qty}{price} {self.ord_type}"
            f"/{tif}{peg} {status} leaves={self.leaves} cum={self.cum_qty}"
            f" cl_ord_id={self.cl_ord_id!r} session={self.session!r}>"
        )


_DONE = frozenset(
    int(s)
    for s in (
        OrderStatus.FILLED,
        OrderStatus.CANCELED,
        OrderStatus.REPLACED,
        OrderStatus.REJECTED,
        OrderStatus.EXPIRED,
    )
)


def _status_name(value: int) -> str:
    try:
        return OrderStatus(value).name
    except ValueError:
        return str(value)


def _tif_name(value: int) -> str:
    try:
        return TimeInForce(value).name
    except ValueError:
        return str(value)


class Cancel:
    """Cancel an order, or reduce it: ``leaves_to`` is the quantity left working after
    the cancel (0, the default, cancels everything that is left)."""

    __slots__ = ("cl_ord_id", "leaves_to", "order_id", "session", "tag")

    def __init__(
        self,
        order_id: int,
        session: str = "",
        cl_ord_id: str = "",
        leaves_to: int = 0,
        tag: Any = None,
    ) -> None:
        self.order_id = order_id
        self.session = session
        self.cl_ord_id = cl_ord_id
        self.leaves_to = leaves_to
        self.tag = tag

    def __repr__(self) -> str:
        return (
            f"<Cancel order_id={self.order_id} session={self.session!r}"
            f" cl_ord_id={self.cl_ord_id!r} leaves_to={self.leaves_to}>"
        )


class Replace:
    """Change an order's quantity, price, stop price or display quantity.

    ``qty`` is the new *total* quantity, including what has already filled (as FIX
    OrderQty on a cancel/replace). Fields left as None keep their value. A price change,
    a quantity increase or a display change loses time priority; a quantity decrease
    keeps it.
    """

    __slots__ = (
        "cl_ord_id",
        "display",
        "order_id",
        "price",
        "qty",
        "session",
        "stop_price",
        "tag",
        "tif",
    )

    def __init__(
        self,
        order_id: int,
        session: str = "",
        cl_ord_id: str = "",
        qty: int | None = None,
        price: int | None = None,
        stop_price: int | None = None,
        display: int | None = None,
        tif: int | None = None,
        tag: Any = None,
    ) -> None:
        self.order_id = order_id
        self.session = session
        self.cl_ord_id = cl_ord_id
        self.qty = qty
        self.price = price
        self.stop_price = stop_price
        self.display = display
        self.tif = tif
        self.tag = tag

    def __repr__(self) -> str:
        return (
            f"<Replace order_id={self.order_id} session={self.session!r}"
            f" cl_ord_id={self.cl_ord_id!r} qty={self.qty} price={self.price}"
            f" stop_price={self.stop_price} display={self.display}>"
        )


class MassCancel:
    """Cancel every live order that matches all the given criteria (None matches all)."""

    __slots__ = ("account", "cl_ord_id", "session", "side", "symbol", "tag")

    def __init__(
        self,
        session: str | None = None,
        symbol: str | None = None,
        side: int | None = None,
        account: str | None = None,
        cl_ord_id: str = "",
        tag: Any = None,
    ) -> None:
        self.session = session
        self.symbol = symbol
        self.side = side
        self.account = account
        self.cl_ord_id = cl_ord_id
        self.tag = tag

    def matches(self, order: Order) -> bool:
        return (
            (self.session is None or order.session == self.session)
            and (self.symbol is None or order.symbol == self.symbol)
            and (self.side is None or order.side == self.side)
            and (self.account is None or order.account == self.account)
        )

    def __repr__(self) -> str:
        return (
            f"<MassCancel session={self.session!r} symbol={self.symbol!r}"
            f" side={self.side} account={self.account!r}>"
        )
