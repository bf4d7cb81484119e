"""Random order streams for the property tests, and the runner that plays them.

A stream is a list of commands (plain tuples, so that hypothesis prints them): ``("new",
fields)``, ``("cancel", pick)``, ``("replace", pick, qty or None, price or None)``,
``("mass_cancel", session, side)``, ``("advance", seconds)``. ``pick`` chooses one of the
orders sent so far.

* *plain* streams mix limit (DAY, GTC), market, IOC, FOK and iceberg orders with cancels and
  replaces, from three sessions;
* *rich* streams add stops, stop-limits, pegs, post-only, market-to-limit, minimum
  quantities, GTD orders, mass cancels and the passing of time (DAY and GTD expiry).

Both start from the same opening book, quoted 9.98 / 10.02 three levels deep by session
``mm``, so that pegs have references and the first orders have something to trade with.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from exsim_core import (
    BUY,
    SELL,
    Cancel,
    Equity,
    ManualClock,
    MassCancel,
    Order,
    PegType,
    Replace,
    Simulator,
    TimeInForce,
)

__all__ = ["OPENING", "SESSIONS", "STP_MODES", "Run", "plain_streams", "rich_streams"]

SESSIONS = ("a", "b", "c")
STP_MODES = ("off", "cancel_newest", "cancel_oldest", "cancel_both", "decrement")
SECOND = 1_000_000_000

# ---------------------------------------------------------------------------------- streams
#
# A command is decoded from one drawn 64-bit integer (a "word"): one primitive per command
# keeps generation cheap enough for long streams. The word is scrambled first (splitmix64's
# finaliser) because hypothesis favours small and boundary integers, whose digits would
# otherwise all decode to the first choice. A failing stream still shrinks by losing
# commands.

MASK64 = 2**64 - 1


def scramble(value: int) -> int:
    """A bijection of 64-bit integers that spreads nearby values far apart."""
    z = (value + 0x9E3779B97F4A7C15) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


class Word:
    """Reads small choices off an integer, one ``divmod`` at a time."""

    def __init__(self, value: int) -> None:
        self.value = scramble(value)

    def take(self, n: int) -> int:
        """A choice in ``range(n)``."""
        self.value, choice = divmod(self.value, n)
        return choice

    def pick(self, options: tuple[Any, ...]) -> Any:
        return options[self.take(len(options))]

    def price(self) -> int:
        return 995 + self.take(11)

    def maybe(self, value: Callable[[], int]) -> int | None:
        return None if self.take(3) == 0 else value()


def plain_order(w: Word) -> tuple[Any, ...]:
    """("new", fields) of a limit, market, IOC, FOK or iceberg order."""
    kind = w.pick(("limit", "limit", "market", "ioc", "fok", "iceberg"))
    qty = 1 + w.take(40)
    fields: dict[str, Any] = {"side": w.pick((BUY, SELL)), "qty": qty, "session": w.pick(SESSIONS)}
    if kind == "market":
        tif = w.pick((TimeInForce.DAY, TimeInForce.IOC, TimeInForce.FOK))
        return ("new", fields | {"ord_type": "market", "tif": tif})
    fields["price"] = w.price()
    if kind == "limit":
        fields["tif"] = w.pick((TimeInForce.DAY, TimeInForce.GTC))
    elif kind == "ioc":
        fields["tif"] = TimeInForce.IOC
    elif kind == "fok":
        fields["tif"] = TimeInForce.FOK
    else:
        fields["display"] = 1 + w.take(qty)
    return ("new", fields)


def rich_order(w: Word) -> tuple[Any, ...]:
    """("new", fields) of a stop, stop-limit, peg, post-only, market-to-limit, minimum
    quantity or GTD order."""
    kind = w.pick(("stop", "stop_limit", "peg", "post_only", "mtl", "min", "gtd"))
    qty = 1 + w.take(40)
    fields: dict[str, Any] = {"side": w.pick((BUY, SELL)), "qty": qty, "session": w.pick(SESSIONS)}
    if kind in ("stop", "stop_limit"):
        fields |= {"ord_type": kind, "stop_price": w.price()}
        if kind == "stop_limit":
            fields["price"] = w.price()
    elif kind == "peg":
        peg = w.pick((PegType.PRIMARY, PegType.MARKET, PegType.MIDPOINT))
        fields |= {"ord_type": "peg", "peg": peg, "peg_offset": w.take(7) - 3}
        fields["price"] = w.maybe(w.price)
        fields["display"] = w.pick((0, 0, min(5, qty)))
    elif kind == "post_only":
        fields |= {"price": w.price(), "post_only": True}
    elif kind == "mtl":
        fields["ord_type"] = "market_to_limit"
    elif kind == "min":
        fields |= {"price": w.price(), "min_qty": 1 + w.take(qty)}
        fields["tif"] = w.pick((TimeInForce.DAY, TimeInForce.IOC))
    else:
        fields |= {"price": w.price(), "tif": TimeInForce.GTD}
        fields["expire_in"] = (1 + w.take(3 * 3600)) * SECOND
    return ("new", fields)


def cancel(w: Word) -> tuple[Any, ...]:
    """("cancel", pick): cancel one of the orders sent so far."""
    return ("cancel", w.take(10_000))


def replace(w: Word) -> tuple[Any, ...]:
    """("replace", pick, qty or None, price or None)."""
    return ("replace", w.take(10_000), w.maybe(lambda: 1 + w.take(60)), w.maybe(w.price))


def plain_command(value: int) -> tuple[Any, ...]:
    w = Word(value)
    roll = w.take(10)
    if roll < 6:
        return plain_order(w)
    return cancel(w) if roll < 8 else replace(w)


def rich_command(value: int) -> tuple[Any, ...]:
    w = Word(value)
    roll = w.take(20)
    if roll < 8:
        return plain_order(w)
    if roll < 14:
        return rich_order(w)
    if roll < 16:
        return cancel(w)
    if roll < 18:
        return replace(w)
    if roll < 19:
        return ("mass_cancel", w.pick((None, *SESSIONS)), w.pick((None, BUY, SELL)))
    return ("advance", (1 + w.take(60)) * w.pick((1, 60, 240)))


def quote(side: int, price: int) -> tuple[Any, ...]:
    fields = {"side": side, "qty": 20, "price": price, "tif": TimeInForce.GTC, "session": "mm"}
    return ("new", fields)


#: every stream starts from a book quoted 9.98 / 10.02, three levels deep, so that pegs
#: have references and the first orders have something to trade with
OPENING = [quote(BUY, p) for p in (998, 997, 996)] + [quote(SELL, p) for p in (1002, 1003, 1004)]


words = st.integers(min_value=0, max_value=MASK64)
plain_streams = st.lists(words.map(plain_command), min_size=20, max_size=60).map(
    lambda stream: OPENING + stream
)
rich_streams = st.lists(words.map(rich_command), min_size=20, max_size=60).map(
    lambda stream: OPENING + stream
)


# ---------------------------------------------------------------------------------- runner


class Run:
    """A fresh venue trading ACME that applies a stream, one command (one batch) at a time."""

    def __init__(self, stp_mode: str = "off", post_only_mode: str = "reject") -> None:
        self.clock = ManualClock()
        sim = Simulator(self.clock, autoload=False)
        self.venue = sim.create_venue("XSIM", stp_mode=stp_mode, post_only_mode=post_only_mode)
        self.venue.add_instrument(Equity(symbol="ACME"))
        self.book = self.venue.book("ACME")
        #: every order sent, in order (the objects the senders hold)
        self.sent: list[Order] = []
        self.batch: list[tuple[Any, ...]] = []
        self.venue.subscribe(self._listen)

    def _listen(self, batch: list[tuple[Any, ...]], now: int) -> None:
        self.batch.extend(batch)

    def target(self, pick: int) -> Order | None:
        return self.sent[pick % len(self.sent)] if self.sent else None

    def apply(self, command: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """Run one command; return the events it produced."""
        self.batch = []
        kind = command[0]
        venue = self.venue
        if kind == "new":
            fields = dict(command[1])
            expire_in = fields.pop("expire_in", None)
            if expire_in is not None:
                fields["expire_ns"] = self.clock.now_ns() + expire_in
            order = Order("ACME", **fields)
            self.sent.append(order)
            venue.submit(order)
        elif kind == "cancel":
            target = self.target(command[1])
            if target is not None:
                venue.cancel(Cancel(target.order_id, session=target.session))
        elif kind == "replace":
            target = self.target(command[1])
            if target is not None:
                venue.replace(
                    Replace(
                        target.order_id, session=target.session, qty=command[2], price=command[3]
                    )
                )
        elif kind == "mass_cancel":
            venue.mass_cancel(MassCancel(session=command[1], side=command[2]))
        elif kind == "advance":
            self.clock.advance(command[1] * SECOND)
        return self.batch

    def play(self, stream: list[tuple[Any, ...]], check: Callable[[Run, list[Any]], None]) -> None:
        for command in stream:
            check(self, self.apply(command))
