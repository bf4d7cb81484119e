"""Play a behaviour scenario (:mod:`exsim_behaviours.scenarios`) through a daemon.

Orders, cancels and replaces go in over a ``line`` session (a wire session on
127.0.0.1), waits advance the daemon's manual clock through the management API, and
two views come back:

* the venue's events, read from the management event queue and written in the
  scenarios' short form; the queue does not mark where a batch ends, so events are
  grouped by the step that caused them and, within a wait, by clock reading (every
  delayed step of a scenario falls at a time of its own);
* the session's own messages (ACK, FILL, CANCELED...), in the same short form, as far
  as the line protocol tells (a CANCELED line gives the leaves, not the canceled
  quantity).

After every step the runner sends ``SYNC``, a line the venue answers with an error:
every message the step caused is read before that answer, with no sleep.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lineclient import LineClient

from exsim_behaviours.scenarios import Batch, Cancel, New, Replace, Scenario, Step
from exsim_core import Client

NS_PER_MS = 1_000_000
SYNC_REPLY = "ERROR unknown command SYNC"
MAX_LINES = 1000

ORDER_KINDS = ("accepted", "rejected", "fill", "canceled", "replaced", "cancel_rejected")


def number(text: str) -> int | str:
    """A decimal quantity as the scenarios write it (an int when whole)."""
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else str(value)


def session_view(expected: tuple[Batch, ...]) -> list[tuple[Any, ...]]:
    """What the client session must be told, in order, for ``expected``."""
    out: list[tuple[Any, ...]] = []
    for _, batch in expected:
        for e in batch:
            if e[0] == "rejected":
                out.append(("rejected", e[1], e[3]))
            elif e[0] == "canceled":
                out.append(("canceled", e[1], e[2], e[4]))
            elif e[0] in ORDER_KINDS:
                out.append(e)
    return out


class ScenarioThroughDaemon:
    """One scenario against a daemon serving venue XSIM with a ``line`` endpoint."""

    def __init__(self, scenario: Scenario, client: Client, port: int, user: str) -> None:
        self.scenario = scenario
        self.client = client
        self.port = port
        self.user = user
        self.refs: dict[int, str] = {}
        self.terms: dict[str, tuple[int | str, str | None]] = {}
        self.batches: list[Batch] = []
        self.lines: list[tuple[Any, ...]] = []
        self.sent = 0
        self.start = 0
        self.line: LineClient | None = None

    # ------------------------------------------------------------------ set-up
    def configure(self) -> None:
        """Back to the start configuration, then ACME with the scenario's engine."""
        client, scenario = self.client, self.scenario
        client.reset()
        fields: dict[str, Any] = {"engine": scenario.engine, "engine_params": scenario.params}
        if scenario.reference_price is not None:
            fields["reference_price"] = scenario.reference_price
        client.create_instrument("XSIM", "ACME", **fields)
        self.start = int(client.clock()["now_ns"])
        for _ in range(MAX_LINES):  # what came before is not the scenario's
            if not client.events(timeout=0, limit=10_000):
                break
        self.connect()

    def connect(self) -> None:
        self.line = LineClient(self.port, timeout=10)
        assert self.line.logon(self.user) == f"LOGON OK {self.user}"

    def reconnect(self, client: Client, port: int) -> list[Batch]:
        """Go on with another daemon (a restarted one) at ``client`` and ``port``;
        returns the batches it has queued so far (those a journal replay produced)."""
        if self.line is not None:
            self.line.close()
        self.client, self.port = client, port
        kept, self.batches = self.batches, []
        self._collect()
        replayed, self.batches = self.batches, kept
        self.connect()
        return replayed

    def close(self) -> None:
        if self.line is not None:
            self.line.close()

    # ------------------------------------------------------------------ steps
    def play(self, steps: tuple[Step, ...] | list[Step]) -> None:
        for step in steps:
            self.step(step)

    def step(self, step: Step) -> None:
        line = self.line
        assert line is not None
        if isinstance(step, New):
            side = step.side.upper()
            price = step.price or "-"
            line.send(f"NEW {step.ref} ACME {side} {step.qty} {price} {step.tif} {step.ord_type}")
            self.terms[step.ref] = (step.qty, step.price)
        elif isinstance(step, Cancel):
            self.sent += 1
            reduce = f" {step.leaves_to}" if step.leaves_to else ""
            line.send(f"CANCEL {step.ref}.c{self.sent} {step.ref}{reduce}")
        elif isinstance(step, Replace):
            self.sent += 1
            qty, price = self.terms[step.ref]
            qty = qty if step.qty is None else step.qty
            price = price if step.price is None else step.price
            assert price is not None, "the line protocol replaces limit orders only"
            line.send(f"REPLACE {step.ref}.r{self.sent} {step.ref} {qty} {price}")
            self.terms[step.ref] = (qty, price)
        else:
            self.client.advance_clock(ns=step.ms * NS_PER_MS)
        self._sync()
        self._collect()

    def _sync(self) -> None:
        line = self.line
        assert line is not None
        line.send("SYNC")
        for _ in range(MAX_LINES):
            text = line.recv()
            if text == SYNC_REPLY:
                return
            self.lines.append(self._parse(text))
        raise AssertionError(f"no answer to SYNC in {MAX_LINES} lines")

    @staticmethod
    def _parse(text: str) -> tuple[Any, ...]:
        word, clid, *rest = text.split(" ")
        ref = clid.split(".")[0]
        if word == "ACK":
            return ("accepted", ref)
        if word == "REJECT":
            return ("rejected", ref, " ".join(rest))
        if word == "FILL":
            return ("fill", ref, number(rest[0]), rest[1], number(rest[2]))
        if word == "CANCELED":
            return ("canceled", ref, rest[0], number(rest[1]))
        if word == "REPLACED":
            return ("replaced", ref, number(rest[2]), rest[1])
        if word == "CANCEL_REJECT":
            return ("cancel_rejected", ref, rest[0])
        return (text,)

    def _collect(self) -> None:
        batch: list[tuple[Any, ...]] = []
        when: int | None = None
        for event in self.client.events(timeout=0, limit=10_000):
            if event["time_ns"] != when and batch:
                self._add(when, batch)
                batch = []
            when = event["time_ns"]
            batch.append(self._describe(event))
        if batch:
            self._add(when, batch)

    def _add(self, when: int | None, batch: list[tuple[Any, ...]]) -> None:
        assert when is not None
        ms = (when - self.start) / NS_PER_MS
        self.batches.append((int(ms) if ms.is_integer() else ms, tuple(batch)))  # type: ignore[arg-type]

    def _ref(self, order: dict[str, Any]) -> str:
        return self.refs.setdefault(order["order_id"], order["cl_ord_id"])

    def _describe(self, e: dict[str, Any]) -> tuple[Any, ...]:
        kind = e["kind"]
        if kind == "accepted":
            return (kind, self._ref(e["order"]))
        if kind == "rejected":
            return (kind, self._ref(e["order"]), e["reason"], e["text"])
        if kind == "fill":
            return (kind, self._ref(e["order"]), number(e["last_qty"]), e["last_px"],
                    number(e["leaves"]))  # fmt: skip
        if kind == "trade":
            return (kind, number(e["qty"]), e["price"])
        if kind == "canceled":
            return (kind, self._ref(e["order"]), e["reason"], number(e["canceled_qty"]),
                    number(e["leaves"]))  # fmt: skip
        if kind == "replaced":
            return (kind, self._ref(e["order"]), number(e["qty"]), e["price"])
        if kind == "cancel_rejected":
            return (kind, self.refs.get(e["request"]["order_id"], "?"), e["reason"])
        if kind == "added":
            return (kind, self._ref(e["order"]), e["price"], number(e["shown"]))
        if kind == "book":
            return (kind, e["side"], e["price"], number(e["qty"]), e["count"])
        return (kind,)
