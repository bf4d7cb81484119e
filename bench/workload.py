"""Seeded order-flow workloads for the engine benchmarks, and a bare reference book.

A workload is a list of plain tuples (what a protocol decoder would hand over, before
any exsim object exists):

* ``("N", symbol, side, qty, price, tif, session)`` — a new limit order near the touch
  that rests on arrival (about 60 % of events);
* ``("M", symbol, side, qty, price, tif, session)`` — a marketable IOC limit order that
  sweeps up to two ticks through the touch (about 10 %), sized so that fills take about
  what the cancels leave of the adds: the book stays in a steady state near the touch;
* ``("C", order_id, session)`` — a cancel of a resting order (about 25 %);
* ``("R", order_id, session, qty, price)`` — a cancel/replace of a resting order (about
  5 %): one tick away from the touch (loses priority) or 100 less (keeps it).

To pick orders that really rest, the generator runs its own minimal price-time book
(:class:`BareBook`) alongside. Order ids are predictable because the venue numbers
orders 1, 2, 3... in arrival order. The same bare book, timed on the workload, is the
baseline the engine is compared with: price-time matching and nothing else (no
validation, no events, no order state).
"""

from __future__ import annotations

import random
from bisect import insort
from collections import deque
from dataclasses import dataclass

Event = tuple[object, ...]

MIX = (("N", 0.60), ("C", 0.25), ("M", 0.10), ("R", 0.05))


class BareBook:
    """The least a price-time book can do: FIFO queues per price, matching, cancel.

    An order is ``[id, leaves, side, price, filled]``; a level is ``[queue, live]``.
    """

    def __init__(self) -> None:
        self.levels: tuple[dict[int, list], dict[int, list]] = ({}, {})  # type: ignore[type-arg]
        self.prices: tuple[list[int], list[int]] = ([], [])  # bids ascending; asks negated
        self.orders: dict[int, list[int]] = {}

    def add(self, oid: int, side: int, qty: int, price: int) -> None:
        s = side - 1
        levels = self.levels[s]
        level = levels.get(price)
        if level is None:
            level = levels[price] = [deque(), 0]
            insort(self.prices[s], price if s == 0 else -price)
        entry = [oid, qty, side, price, 0]
        level[0].append(entry)
        level[1] += 1
        self.orders[oid] = entry

    def _forget(self, oid: int) -> None:
        del self.orders[oid]

    def take(self, side: int, qty: int, limit: int) -> int:
        """Match an incoming order; returns what is left (not rested)."""
        o = 1 if side == 1 else 0
        levels = self.levels[o]
        keys = self.prices[o]
        while qty and keys:
            px = -keys[-1] if o == 1 else keys[-1]
            if (px > limit) if side == 1 else (px < limit):
                break
            level = levels[px]
            q = level[0]
            while qty and q:
                m = q[0]
                if not m[1]:
                    q.popleft()
                    continue
                n = qty if qty < m[1] else m[1]
                qty -= n
                m[1] -= n
                m[4] += n
                if not m[1]:
                    q.popleft()
                    level[1] -= 1
                    self._forget(m[0])
            if not level[1]:
                del levels[px]
                keys.pop()
        return qty

    def cancel(self, oid: int) -> bool:
        entry = self.orders.get(oid)
        if entry is None:
            return False
        self._forget(oid)
        entry[1] = 0
        s = entry[2] - 1
        level = self.levels[s][entry[3]]
        level[1] -= 1
        if not level[1]:
            del self.levels[s][entry[3]]
            self.prices[s].remove(entry[3] if s == 0 else -entry[3])
        return True


class _SamplingBook(BareBook):
    """The generator's shadow book: also keeps live ids in an array for O(1) uniform
    sampling (swap-remove)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[int] = []
        self.pos: dict[int, int] = {}

    def add(self, oid: int, side: int, qty: int, price: int) -> None:
        super().add(oid, side, qty, price)
        self.pos[oid] = len(self.ids)
        self.ids.append(oid)

    def _forget(self, oid: int) -> None:
        del self.orders[oid]
        i = self.pos.pop(oid)
        last = self.ids.pop()
        if last != oid:
            self.ids[i] = last
            self.pos[last] = i


@dataclass(frozen=True)
class Workload:
    events: list[Event]
    symbols: list[str]
    seed: int

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.events:
            out[str(e[0])] = out.get(str(e[0]), 0) + 1
        return out


def generate(n_events: int = 1_000_000, n_instruments: int = 1, seed: int = 42) -> Workload:
    """A workload of ``n_events`` over ``n_instruments`` equities (prices in cents)."""
    rng = random.Random(seed)
    symbols = [f"SYM{i}" for i in range(n_instruments)]
    mids = [10_000 + 1_000 * i for i in range(n_instruments)]
    books = [_SamplingBook() for _ in symbols]
    sessions = [f"S{i}" for i in range(16)]
    next_id = 1
    events: list[Event] = []
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    while len(events) < n_events:
        i = rng.randrange(n_instruments)
        sym = symbols[i]
        book = books[i]
        if rng.random() < 0.02:
            mids[i] += rng.choice((-1, 1))
        mid = mids[i]
        bid = book.prices[0][-1] if book.prices[0] else mid - 1
        ask = -book.prices[1][-1] if book.prices[1] else mid + 1
        kind = rng.choices(kinds, weights)[0]
        if kind in ("C", "R") and not book.orders:
            kind = "N"
        session = sessions[rng.randrange(16)]
        side = 1 if rng.random() < 0.5 else 2
        if kind == "N":
            # near the touch, never marketable
            offset = int(rng.expovariate(0.4))
            price = min(mid, ask - 1) - offset if side == 1 else max(mid, bid + 1) + offset
            qty = 100 * rng.randint(1, 10)
            events.append(("N", sym, side, qty, price, 0, session))
            book.add(next_id, side, qty, price)
            next_id += 1
        elif kind == "M":
            # sized so that fills balance the adds the cancels leave: a steady-state
            # book near the touch rather than one that grows without end
            qty = 100 * rng.randint(10, 30)
            price = ask + 2 if side == 1 else bid - 2
            events.append(("M", sym, side, qty, price, 3, session))
            book.take(side, qty, price)
            next_id += 1
        else:
            oid = book.ids[rng.randrange(len(book.ids))]
            entry = book.orders[oid]
            if kind == "C":
                events.append(("C", oid, ""))
                book.cancel(oid)
            else:
                _, leaves, oside, price, filled = entry
                if leaves > 100 and rng.random() < 0.5:
                    leaves -= 100  # keeps priority: the shadow entry shrinks in place
                    entry[1] = leaves
                else:
                    price = price - 1 if oside == 1 else price + 1
                    # an order that loses priority takes the next number of the venue's
                    # one counter for order ids and priorities: ids after it move up
                    next_id += 1
                    book.cancel(oid)
                    left = book.take(oside, leaves, price)
                    if left:
                        book.add(oid, oside, left, price)
                        book.orders[oid][4] = filled + leaves - left
                # the replace carries the new total quantity, as FIX OrderQty does
                events.append(("R", oid, "", filled + leaves, price))
    return Workload(events[:n_events], symbols, seed)


def run_bare(wl: Workload) -> None:
    """Feed the workload to bare books (the baseline of bench/engine_bench.py)."""
    books = {s: BareBook() for s in wl.symbols}
    where: dict[int, BareBook] = {}
    next_id = 1
    for e in wl.events:
        k = e[0]
        if k == "N" or k == "M":
            book = books[e[1]]  # type: ignore[index]
            left = book.take(e[2], e[3], e[4])  # type: ignore[arg-type]
            if left and k == "N":
                book.add(next_id, e[2], left, e[4])  # type: ignore[arg-type]
                where[next_id] = book
            next_id += 1
        elif k == "C":
            b = where.pop(e[1], None)  # type: ignore[arg-type]
            if b is not None:
                b.cancel(e[1])  # type: ignore[arg-type]
        else:
            b = where.get(e[1])  # type: ignore[arg-type]
            if b is not None and e[1] in b.orders:
                entry = b.orders[e[1]]  # type: ignore[index]
                b.cancel(e[1])  # type: ignore[arg-type]
                left = b.take(entry[2], entry[1], e[4])  # type: ignore[arg-type]
                if left:
                    b.add(e[1], entry[2], left, e[4])  # type: ignore[arg-type]
