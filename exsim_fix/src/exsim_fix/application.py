"""The application layer of one session: which messages it takes, what it answers.

Order-entry sessions take NewOrderSingle, OrderCancelRequest, OrderCancelReplaceRequest,
OrderStatusRequest and OrderMassCancelRequest (FIX 4.3+); every session may ask for
market data (FIX 4.2+) and security lists and definitions. Any other application
message gets a BusinessMessageReject "Unsupported Message Type" (380=3), as does an
order sent on a drop-copy or market-data session. Venue events come back through
:class:`~exsim_fix.feed.VenueFeed` as :meth:`Application.on_event` (the session's own
orders) and :meth:`Application.on_copy` (drop copies).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import answers
from .codes import STATUS
from .marketdata import MarketData
from .orders import FixOrder, OrderEntry
from .reports import Reporter
from .routing import reverse_route
from .securities import security_definition, security_list
from .timefmt import format_timestamp

if TYPE_CHECKING:
    from .codec import FixMessage
    from .session import FixSession

__all__ = ["Application"]

_ORDER_TYPES = frozenset({"D", "F", "G", "H", "q"})


class Application:
    """Application messages and venue events of one session."""

    def __init__(self, fix: FixSession) -> None:
        self.fix = fix
        self.version = fix.version
        self.out = fix.out
        self.venue = fix.protocol.context.venue
        self.session_id = fix.id
        self.role = fix.session.role
        self.entry = OrderEntry(self)
        self.reporter = Reporter(fix.version, self.venue, copy=self.role == "drop_copy")
        self.md = MarketData(self)
        self.copy_of = frozenset(fix.params.copy_of)
        self.pending_acks = fix.params.pending_acks
        #: numbers of refusals' ExecIDs and mass-cancel reports' OrderIDs, unique per venue
        self.numbers = fix.protocol.feed.next_number

    # ------------------------------------------------------------------ inbound
    def on_message(self, msg: FixMessage, seq: int) -> None:
        mt = msg.msg_type
        fix = self.fix
        if mt in _ORDER_TYPES:
            if self.role != "order_entry":
                fix.business_reject(
                    msg,
                    seq,
                    0 if self.version.rank < 43 else 6,
                    f"session {self.session_id} is a {self.role.replace('_', '-')} session: it "
                    "cannot enter orders",
                    msg.values.get(b"11"),
                )
                return
            if mt == "D":
                self.entry.new_order(msg)
            elif mt == "F":
                self.entry.cancel(msg)
            elif mt == "G":
                self.entry.replace(msg)
            elif mt == "H":
                self.order_status(msg)
            elif self.version.has_mass_cancel:
                self.entry.mass_cancel(msg)
            else:
                self.unsupported(msg, seq)
        elif mt == "V" and self.version.has_market_data:
            self.md.request(msg)
        elif mt == "x" and self.version.has_security_list:
            self.out.send(b"y", security_list(self, msg))
        elif mt == "c" and self.version.rank >= 42:
            self.out.send(b"d", security_definition(self, msg))
        else:
            self.unsupported(msg, seq)

    def unsupported(self, msg: FixMessage, seq: int) -> None:
        self.fix.business_reject(msg, seq, 3, "Unsupported Message Type")

    def disconnected(self) -> None:
        self.md.clear()
        if self.fix.params.cancel_on_disconnect and self.role == "order_entry":
            self.entry.cancel_all()

    # ------------------------------------------------------------------ answers
    def reject_order(self, values: dict[bytes, bytes], reason: int, text: str) -> None:
        """A rejected ExecutionReport for an order refused before reaching the venue."""
        rank = self.version.rank
        if reason == 99 and rank < 44:
            reason = 0
        body = [b"37=NONE\x0111=%s\x01" % values[b"11"]]
        body.append(b"17=R%s-%d\x01" % (self.session_id.encode(), self.numbers()))
        if self.version.has_exec_trans_type:
            body.append(b"20=0\x01")
        if self.version.has_exec_type:
            body.append(b"150=8\x01")
        body.append(b"39=8\x01103=%d\x01" % reason)
        for tag in (b"1", b"55", b"54", b"38", b"40", b"44"):
            if tag in values:
                body.append(b"%s=%s\x01" % (tag, values[tag]))
        if self.version.has_exec_type:
            body.append(b"151=0\x01")
        body.append(b"14=0\x016=0\x0160=%s\x0158=%s\x01" % (self._now(), text.encode()))
        self.out.send(b"8", b"".join(body), reverse_route(values))

    def cancel_reject(
        self, cl: bytes, orig: bytes, order: Any, *, response_to: int, reason: int, text: str
    ) -> None:
        if reason == 6 and self.version.rank < 44:
            reason = 2
        self.out.send(
            b"9",
            answers.cancel_reject(
                self.reporter, cl, orig, order, response_to=response_to, reason=reason, text=text
            ),
        )

    def mass_cancel_reject(self, values: dict[bytes, bytes], reason: int, text: str) -> None:
        self.out.send(
            b"r",
            b"37=MC%d\x0111=%s\x01530=%s\x01531=0\x01532=%d\x0158=%s\x01"
            % (self.numbers(), values[b"11"], values[b"530"], reason, text.encode()),
        )

    def order_status(self, msg: FixMessage) -> None:
        values = msg.values
        order = self.entry.find(values, b"11")
        rank = self.version.rank
        status_req = b"790=%s\x01" % values[b"790"] if b"790" in values and rank >= 44 else b""
        feed = self.fix.protocol.feed
        exec_id = feed.next_exec_id(order.order_id if order is not None else 0)
        if order is None:
            body = [b"37=NONE\x0111=%s\x0117=%s\x01" % (values[b"11"], exec_id)]
            if self.version.has_exec_trans_type:
                body.append(b"20=3\x01")
            if self.version.has_exec_type:
                body.append(b"150=%s\x01" % (b"I" if rank >= 43 else b"8"))
            body.append(b"39=8\x0155=%s\x0154=%s\x01" % (values[b"55"], values[b"54"]))
            if self.version.has_exec_type:
                body.append(b"151=0\x01")
            body.append(b"14=0\x016=0\x0158=unknown order\x01%s" % status_req)
            self.out.send(b"8", b"".join(body))
            return
        fo = order.tag
        status = _status(order)
        cum = fo.cum if isinstance(fo, FixOrder) else order.cum_qty
        cost = fo.cost if isinstance(fo, FixOrder) else order.cum_cost
        reporter = self.reporter
        trans, reporter.trans = reporter.trans, (b"20=3\x01" if reporter.trans else b"")
        try:
            body_b = reporter.execution_report(
                order,
                fo,
                exec_id,
                b"I" if rank >= 43 else status,
                status,
                order.leaves,
                cum,
                cost,
                fo.cl_ord_id if isinstance(fo, FixOrder) else order.cl_ord_id.encode(),
                None,
                None,
                status_req,
            )
        finally:
            reporter.trans = trans
        self.out.send(b"8", body_b)

    # ------------------------------------------------------------------ events
    def on_event(self, ev: tuple[Any, ...], exec_id: bytes) -> None:
        """An event of one of this session's orders (or requests)."""
        kind = ev[0]
        if kind == 1 or kind == 2:
            order = ev[1]
            fo = order.tag
            if isinstance(fo, FixOrder):
                self.entry.by_cl_ord_id[fo.cl_ord_id] = order.order_id
            self.entry.orders[order.order_id] = order
        elif kind == 5 or kind == 8:
            self.entry.orders[ev[1].order_id] = ev[1]
        elif kind == 6:
            known = self.entry.orders.get(ev[1].order_id)
            self.out.send(b"9", answers.request_rejected(self.reporter, ev, known))
            return
        elif kind == 13:
            self._mass_canceled(ev)
            return
        elif kind == 14:
            if self.pending_acks:
                self._held(ev, exec_id)
            return
        message = self.reporter.event(ev, exec_id, owner=True)
        if message is not None:
            fo = ev[1].tag
            self.out.send(*message, fo.route if isinstance(fo, FixOrder) else b"")

    def on_trade_changed(self, ev: tuple[Any, ...], order: Any, exec_id: bytes) -> None:
        """A trade of one of this session's orders was busted or corrected."""
        body = answers.trade_changed(self.reporter, ev, order, exec_id)
        if body is not None:
            self.out.send(b"8", body)

    def on_copy(self, ev: tuple[Any, ...], exec_id: bytes) -> None:
        """A drop copy of another session's order event."""
        if self.copy_of and ev[1].session not in self.copy_of:
            return
        message = self.reporter.event(ev, exec_id, owner=False)
        if message is not None:
            self.out.send(*message)

    def _mass_canceled(self, ev: tuple[Any, ...]) -> None:
        req, count = ev[1], ev[2]
        kind = req.tag if isinstance(req.tag, bytes) else b"7"
        body = b"37=MC%d\x0111=%s\x01530=%s\x01531=%s\x01533=%d\x0160=%s\x01" % (
            self.numbers(),
            req.cl_ord_id.encode(),
            kind,
            kind,
            count,
            self._now(),
        )
        self.out.send(b"r", body)

    def _held(self, ev: tuple[Any, ...], exec_id: bytes) -> None:
        subject, what = ev[1], ev[2]
        if what == "new":
            fo = subject.tag
            cl = fo.cl_ord_id if isinstance(fo, FixOrder) else subject.cl_ord_id.encode()
            self.out.send(
                b"8",
                self.reporter.execution_report(
                    subject, fo, exec_id, b"A", b"A", subject.qty, 0, 0, cl
                ),
            )
            return
        order = self.entry.orders.get(subject.order_id)
        if order is None:
            return
        fo = order.tag
        code = b"6" if what == "cancel" else b"E"
        cum = fo.cum if isinstance(fo, FixOrder) else order.cum_qty
        cost = fo.cost if isinstance(fo, FixOrder) else order.cum_cost
        self.out.send(
            b"8",
            self.reporter.execution_report(
                order,
                fo,
                exec_id,
                code,
                code,
                order.leaves,
                cum,
                cost,
                subject.cl_ord_id.encode(),
                getattr(subject, "orig", None),
            ),
        )

    def _now(self) -> bytes:
        return format_timestamp(self.venue.clock.now_ns())


def _status(order: Any) -> bytes:
    if order.leaves:
        return b"1" if order.cum_qty else b"0"
    return STATUS.get(order.status, b"0")
