"""``exsim demo``: a venue in-process, a scripted mix of every order type, and tables.

The script runs on a manual clock, so it prints the same thing every time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table

from .clock import NS_PER_SECOND, ManualClock
from .enums import CancelReason, Liquidity, OrderStatus, PegType, RejectReason, TimeInForce
from .events import CANCEL_REJECTED, CANCELED, FILL, REJECTED, TRADE, TRIGGERED
from .instrument import Equity
from .order import Cancel, MassCancel, Order, Replace
from .sim import Simulator
from .venue import Venue

__all__ = ["run_demo"]

BUY, SELL = 1, 2


@dataclass
class _Tape:
    """What the demo saw: the story line by line, trades and the orders sent."""

    venue: Venue
    lines: list[tuple[str, str]] = field(default_factory=list)
    trades: list[tuple[Any, ...]] = field(default_factory=list)
    orders: dict[int, Order] = field(default_factory=dict)
    step: str = ""

    def listen(self, batch: list[tuple[Any, ...]], now: int) -> None:
        # fills of one order in one batch are summed: "filled 600 in 3 fills, avg 10.02"
        fills: dict[int, list[int]] = {}
        for ev in batch:
            kind = ev[0]
            if kind == TRADE:
                self.trades.append((now, *ev[1:]))
            elif kind == REJECTED:
                self.note(f"rejected {self.name(ev[1])}: {ev[3]}")
            elif kind == CANCELED and ev[2] != CancelReason.USER:
                self._flush_fills(fills)
                reason = CancelReason(ev[2]).name.lower().replace("_", " ")
                self.note(f"{self.name(ev[1])}: {ev[3]} canceled ({reason})")
            elif kind == TRIGGERED:
                self._flush_fills(fills)
                self.note(f"{self.name(ev[1])} triggered")
            elif kind == CANCEL_REJECTED:
                self.note(f"cancel/replace refused: {RejectReason(ev[2]).name.lower()}")
            elif kind == FILL and ev[6] != Liquidity.MAKER:
                acc = fills.setdefault(ev[1].order_id, [0, 0, 0])
                acc[0] += ev[2]
                acc[1] += ev[2] * ev[3]
                acc[2] += 1
            if len(ev) > 1 and isinstance(ev[1], Order):
                self.orders[ev[1].order_id] = ev[1]
        self._flush_fills(fills)

    def _flush_fills(self, fills: dict[int, list[int]]) -> None:
        for oid, (qty, cost, n) in fills.items():
            order = self.orders[oid]
            avg = self.px(round(cost / qty))
            several = f" in {n} fills, avg {avg}" if n > 1 else f" @ {avg}"
            self.note(f"{self.name(order)} filled {qty}{several}")
        fills.clear()

    def note(self, text: str) -> None:
        self.lines.append((self.step, text))
        self.step = ""

    def name(self, order: Order) -> str:
        return f"#{order.order_id} {order.cl_ord_id}"

    def px(self, units: int | None) -> str:
        if units is None:
            return "-"
        return str(self.venue.instruments["ACME"].units_to_price(units))


def _script(venue: Venue, clock: ManualClock, tape: _Tape) -> None:
    inst = venue.instruments["ACME"]

    def px(value: str) -> int:
        units = inst.price_to_units(Decimal(value))
        assert units is not None
        return units

    def send(step: str, cl: str, session: str, side: int, qty: int, **kw: Any) -> Order:
        tape.step = step
        price = kw.pop("price", None)
        stop = kw.pop("stop_price", None)
        order = Order(
            "ACME",
            side,
            qty,
            px(price) if price is not None else None,
            cl_ord_id=cl,
            session=session,
            stop_price=px(stop) if stop is not None else None,
            **kw,
        )
        venue.submit(order)
        if tape.step:  # nothing noteworthy happened: say what the order is now
            tape.note(f"#{order.order_id} {cl}: {OrderStatus(order.status).name.lower()}")
        return order

    send("resting bids", "mm-b1", "MAKER1", BUY, 500, price="9.98")
    b2 = send("", "mm-b2", "MAKER1", BUY, 300, price="9.97")
    send("", "mm-b3", "MAKER2", BUY, 800, price="9.95", tif=TimeInForce.GTC)
    send("resting offers", "mm-a1", "MAKER1", SELL, 400, price="10.02")
    send("iceberg offer, shows 100", "ice-1", "MAKER2", SELL, 1000, price="10.03", display=100)
    send("", "mm-a3", "MAKER1", SELL, 600, price="10.05")
    send("midpoint peg buy", "peg-mid", "CLIENT", BUY, 200, ord_type="peg", peg=PegType.MIDPOINT)
    send("primary peg sell", "peg-pri", "CLIENT", SELL, 100, ord_type="peg", peg=PegType.PRIMARY)
    send("buy stop at 10.03", "stop-1", "CLIENT", BUY, 200, ord_type="stop", stop_price="10.03")
    send(
        "sell stop-limit, stop 9.96, limit 9.95",
        "stpl-1",
        "CLIENT",
        SELL,
        300,
        ord_type="stop_limit",
        stop_price="9.96",
        price="9.95",
    )
    send("post-only buy that would take", "po-1", "CLIENT", BUY, 100, price="10.02", post_only=True)
    send("FOK buy 3000 up to 10.05", "fok-1", "TAKER", BUY, 3000, price="10.05", tif=4)
    send("IOC buy 600 up to 10.03", "ioc-1", "TAKER", BUY, 600, price="10.03", tif=TimeInForce.IOC)
    send("market buy 300", "mkt-1", "TAKER", BUY, 300, ord_type="market")
    send("market-to-limit sell 1200", "mtl-1", "TAKER", SELL, 1200, ord_type="market_to_limit")
    send("buy 500 at 10.00, minimum 400", "minq-1", "TAKER", BUY, 500, price="10.00", min_qty=400)
    tape.step = "replace mm-b2: 9.97 -> 9.99"
    venue.replace(Replace(b2.order_id, "MAKER1", "mm-b2r", price=px("9.99")))
    moved = venue.orders[b2.order_id]
    tape.note(f"#{moved.order_id} {moved.cl_ord_id} bids {tape.px(moved.price)}, new priority")
    send("sell 900 down to 9.95", "sweep-1", "TAKER", SELL, 900, price="9.95")
    gtd = send(
        "bid good for 60 s",
        "gtd-1",
        "CLIENT",
        BUY,
        100,
        price="9.90",
        tif=TimeInForce.GTD,
        expire_ns=clock.now_ns() + 60 * NS_PER_SECOND,
    )
    send("price off the tick", "bad-1", "CLIENT", BUY, 100, price="9.975")
    send("quantity 0", "bad-2", "CLIENT", BUY, 0, price="9.97")
    send("time in force OPG", "bad-3", "CLIENT", BUY, 100, price="9.97", tif=TimeInForce.OPG)
    tape.step = "cancel an order that is done"
    venue.cancel(Cancel(b2.order_id - 1, "MAKER1"))
    tape.step = "one minute later"
    clock.advance(seconds=61)
    if gtd.status == OrderStatus.EXPIRED:
        tape.note(f"#{gtd.order_id} gtd-1 is expired")
    tape.step = "mass cancel of MAKER2"
    venue.mass_cancel(MassCancel(session="MAKER2"))


def run_demo(console: Console | None = None) -> Venue:
    """Run the demo and print it; returns the venue (for tests)."""
    if console is None:
        console = Console()
        if not console.is_terminal:
            console = Console(width=160)
    clock = ManualClock()
    sim = Simulator(clock=clock)
    venue = sim.create_venue("XDEMO")
    venue.add_instrument(
        # prices carry 3 decimals so that an off-tick price (9.975) reaches the engine
        Equity(symbol="ACME", tick_size="0.01", price_precision=3, reference_price="10.00")
    )
    tape = _Tape(venue)
    venue.subscribe(tape.listen)
    _script(venue, clock, tape)

    story = Table(title="What happened", show_lines=False)
    story.add_column("step")
    story.add_column("outcome")
    for step, text in tape.lines:
        story.add_row(step, text)
    console.print(story)

    book = venue.book("ACME")
    depth = Table(title="ACME book (L2)")
    for col in ("bid orders", "bid qty", "bid", "ask", "ask qty", "ask orders"):
        depth.add_column(col, justify="right")
    bids, asks = book.depth(BUY), book.depth(SELL)
    for i in range(max(len(bids), len(asks))):
        b = bids[i] if i < len(bids) else None
        a = asks[i] if i < len(asks) else None
        depth.add_row(
            str(b[2]) if b else "",
            str(b[1]) if b else "",
            tape.px(b[0]) if b else "",
            tape.px(a[0]) if a else "",
            str(a[1]) if a else "",
            str(a[2]) if a else "",
        )
    console.print(depth)

    trades = Table(title="Trades")
    for col in ("match", "qty", "price", "aggressor", "buyer", "seller"):
        trades.add_column(col)
    for _, _sym, tid, price, qty, aggressor, buy, sell in tape.trades:
        trades.add_row(
            str(tid),
            str(qty),
            tape.px(price),
            {1: "buy", 2: "sell"}.get(aggressor, "-"),
            tape.name(buy) if buy else "-",
            tape.name(sell) if sell else "-",
        )
    console.print(trades)

    orders = Table(title="Orders")
    for col in (
        "id",
        "cl_ord_id",
        "session",
        "side",
        "type",
        "tif",
        "qty",
        "price",
        "filled",
        "avg px",
        "leaves",
        "status",
    ):
        orders.add_column(col)
    for oid in sorted(tape.orders):
        o = venue.orders.get(oid) or tape.orders[oid]
        avg = tape.px(round(o.avg_px_units)) if o.cum_qty else "-"
        orders.add_row(
            str(oid),
            o.cl_ord_id,
            o.session,
            "buy" if o.side == BUY else "sell",
            o.ord_type + (f" {PegType(o.peg).name.lower()}" if o.peg else ""),
            TimeInForce(o.tif).name,
            str(o.qty),
            tape.px(o.price),
            str(o.cum_qty),
            avg,
            str(o.leaves),
            OrderStatus(o.status).name.lower(),
        )
    console.print(orders)
    return venue
