"""``line``: a tiny text protocol for exsim's own end-to-end tests.

One command per line (UTF-8, ``\\n``-terminated, at most 1024 bytes); decimals as text.

Client to venue::

    LOGON <username> [<password>]
    NEW <cl_ord_id> <symbol> <BUY|SELL> <qty> [<price>|-] [<tif>] [<ord_type>]
    CANCEL <cl_ord_id> <orig_cl_ord_id> [<leaves_qty>]     (reduce to leaves_qty)
    REPLACE <cl_ord_id> <orig_cl_ord_id> <qty> <price>
    LOGOUT

Venue to client::

    LOGON OK <session>          LOGON REJECT <reason>      BYE <reason>
    ACK <cl_ord_id> <order_id>  REJECT <cl_ord_id> <text>  HELD <cl_ord_id> <new|cancel|replace>
    FILL <cl_ord_id> <qty> <price> <leaves> <trade_id>
    CANCELED <cl_ord_id> <reason> <leaves>
    REPLACED <cl_ord_id> <old_cl_ord_id> <price> <qty>
    CANCEL_REJECT <cl_ord_id> <reason>
    BUST <trade_id> <cl_ord_id> <qty> <price>
    CORRECT <trade_id> <cl_ord_id> <qty> <price>
    ERROR <text>                (a bad line; the connection stays up)

Fault ``disconnect`` closes a session's connection.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

import anyio
import anyio.abc
from anyio.streams.buffered import BufferedByteReceiveStream

from exsim_core import Cancel, Order, Protocol, Registrar, Replace, hookimpl
from exsim_core.enums import CancelReason, RejectReason, TimeInForce
from exsim_core.events import (
    ACCEPTED,
    CANCEL_REJECTED,
    CANCELED,
    FILL,
    HELD,
    REJECTED,
    REPLACED,
    TRADE_BUSTED,
    TRADE_CORRECTED,
)

MAX_LINE = 1024
QUEUE = 10_000


def _name(enum: Any, value: int) -> str:
    try:
        return str(enum(value).name).lower()
    except ValueError:
        return str(value)


class _Connection:
    def __init__(self, protocol: LineProtocol, stream: anyio.abc.ByteStream) -> None:
        self.protocol = protocol
        self.stream = stream
        self.send, self.outbox = anyio.create_memory_object_stream[str](QUEUE)
        self.session: str | None = None
        self.orders: dict[str, int] = {}
        #: the symbol of every order this connection sent, by order id
        self.symbols: dict[int, str] = {}
        self.scope = anyio.CancelScope()
        self.closed = anyio.Event()

    def push(self, line: str) -> None:
        try:
            self.send.send_nowait(line)
        except anyio.WouldBlock:
            self.scope.cancel()  # a client that does not read loses its connection
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            pass  # the connection is ending

    async def writer(self) -> None:
        async for line in self.outbox:
            await self.stream.send((line + "\n").encode())

    def on_event(self, ev: tuple[Any, ...], now: int) -> None:
        venue = self.protocol.context.venue
        kind = ev[0]
        if kind in (TRADE_BUSTED, TRADE_CORRECTED):
            inst = venue.instruments.get(ev[2])
            for order in ev[-2:]:
                if order is not None and order.session == self.session and inst is not None:
                    word = "BUST" if kind == TRADE_BUSTED else "CORRECT"
                    self.push(
                        f"{word} {ev[1]} {order.cl_ord_id} "
                        f"{inst.units_to_qty(ev[3])} {inst.units_to_price(ev[4])}"
                    )
            return
        subject = ev[1]
        if kind == CANCEL_REJECTED:
            self.push(f"CANCEL_REJECT {subject.cl_ord_id} {_name(RejectReason, ev[2])}")
            return
        if kind == HELD:
            self.push(f"HELD {subject.cl_ord_id} {ev[2]}")
            return
        inst = venue.instruments.get(subject.symbol)
        if inst is None:
            return
        clid = subject.cl_ord_id
        if kind == ACCEPTED:
            self.push(f"ACK {clid} {subject.order_id}")
        elif kind == REJECTED:
            self.push(f"REJECT {clid} {ev[3]}")
        elif kind == FILL:
            self.push(
                f"FILL {clid} {inst.units_to_qty(ev[2])} {inst.units_to_price(ev[3])} "
                f"{inst.units_to_qty(ev[8])} {ev[5]}"
            )
        elif kind == CANCELED:
            self.push(f"CANCELED {clid} {_name(CancelReason, ev[2])} {inst.units_to_qty(ev[4])}")
        elif kind == REPLACED:
            self.push(
                f"REPLACED {clid} {ev[3]} "
                f"{inst.units_to_price(subject.price)} {inst.units_to_qty(subject.qty)}"
            )


class LineProtocol(Protocol):
    """See the module documentation."""

    name = "line"
    description = "a line-based text protocol for exsim's own tests"
    identity_fields: ClassVar[tuple[str, ...]] = ("username",)

    def __init__(self, endpoint: Any, context: Any) -> None:
        super().__init__(endpoint, context)
        self.connections: dict[str, _Connection] = {}

    async def serve(self, stream: anyio.abc.ByteStream, peer: str) -> None:
        conn = _Connection(self, stream)
        reader = BufferedByteReceiveStream(stream)
        try:
            with conn.scope:
                async with anyio.create_task_group() as tg:
                    tg.start_soon(conn.writer)
                    while True:
                        try:
                            raw = await reader.receive_until(b"\n", MAX_LINE)
                        except anyio.DelimiterNotFound:
                            conn.push("ERROR line too long")
                            break
                        except (anyio.IncompleteRead, anyio.EndOfStream):
                            break
                        if len(raw) > MAX_LINE:
                            conn.push("ERROR line too long")
                            break
                        if not self.handle(conn, raw.decode("utf-8", "replace").strip()):
                            break
                    await anyio.sleep(0)
                    conn.send.close()
        finally:
            self._logout(conn, "disconnected")
            conn.closed.set()

    def handle(self, conn: _Connection, line: str) -> bool:
        """Process one line; False ends the connection."""
        words = line.split()
        if not words:
            return True
        verb = words[0].upper()
        if conn.session is None:
            if verb != "LOGON" or len(words) < 2:
                conn.push("LOGON REJECT log on first")
                return False
            return self._logon(conn, words)
        if verb == "LOGOUT":
            conn.push("BYE logout")
            return False
        try:
            if verb == "NEW":
                self._new(conn, words)
            elif verb == "CANCEL":
                self._cancel(conn, words)
            elif verb == "REPLACE":
                self._replace(conn, words)
            else:
                conn.push(f"ERROR unknown command {verb}")
        except (IndexError, ValueError, InvalidOperation, KeyError) as exc:
            conn.push(f"ERROR bad {verb}: {type(exc).__name__} {exc}")
        return True

    def _logon(self, conn: _Connection, words: list[str]) -> bool:
        password = words[2] if len(words) > 2 else None
        for session in self.endpoint.sessions.values():
            if session.identity.get("username") == words[1]:
                break
        else:
            conn.push("LOGON REJECT unknown user")
            return False
        if session.password is not None and session.password != password:
            conn.push("LOGON REJECT wrong password")
            return False
        if session.id in self.connections:
            conn.push("LOGON REJECT already logged on")
            return False
        conn.session = session.id
        self.connections[session.id] = conn
        self.context.venue.attach_session(session.id, conn.on_event)
        self.context.session_started(session)
        conn.push(f"LOGON OK {session.id}")
        return True

    def _logout(self, conn: _Connection, reason: str) -> None:
        if conn.session is not None and self.connections.get(conn.session) is conn:
            del self.connections[conn.session]
            self.context.venue.detach_session(conn.session)
            self.context.session_ended(self.endpoint.sessions[conn.session], reason)

    def _units(self, symbol: str) -> Any:
        inst = self.context.venue.instruments.get(symbol)
        if inst is None:
            raise KeyError(f"unknown symbol {symbol}")
        return inst

    def _new(self, conn: _Connection, w: list[str]) -> None:
        clid, symbol, side = w[1], w[2], w[3].upper()
        if side not in ("BUY", "SELL"):
            raise ValueError(f"side {side}")
        venue = self.context.venue
        inst = venue.instruments.get(symbol)
        price: int | None = None
        qty = 0
        if inst is not None:
            qty = inst.qty_to_units(Decimal(w[4])) or 0
            if len(w) > 5 and w[5] != "-":
                price = inst.price_to_units(Decimal(w[5]))
        else:
            qty = int(Decimal(w[4]))
        tif = int(TimeInForce[w[6].upper()]) if len(w) > 6 else int(TimeInForce.DAY)
        ord_type = w[7] if len(w) > 7 else ("limit" if price is not None else "market")
        order = Order(
            symbol,
            1 if side == "BUY" else 2,
            qty,
            price,
            ord_type,
            tif,
            cl_ord_id=clid,
            session=conn.session or "",
        )
        conn.orders[clid] = order.order_id
        venue.submit(order)
        conn.orders[clid] = order.order_id
        conn.symbols[order.order_id] = symbol

    def _order_id(self, conn: _Connection, clid: str) -> int:
        return conn.orders.get(clid, 0)

    def _cancel(self, conn: _Connection, w: list[str]) -> None:
        order_id = self._order_id(conn, w[2])
        leaves_to = 0
        if len(w) > 3:
            inst = self._units(conn.symbols.get(order_id, ""))
            leaves_to = inst.qty_to_units(Decimal(w[3])) or 0
        conn.orders[w[1]] = order_id
        self.context.venue.cancel(Cancel(order_id, conn.session or "", w[1], leaves_to))

    def _replace(self, conn: _Connection, w: list[str]) -> None:
        order_id = self._order_id(conn, w[2])
        symbol = conn.symbols.get(order_id)
        if symbol is None:
            conn.push(f"CANCEL_REJECT {w[1]} unknown_order")
            return
        # an order that is done goes to the venue too: the venue says it is too late
        inst = self._units(symbol)
        conn.orders[w[1]] = order_id
        self.context.venue.replace(
            Replace(
                order_id,
                conn.session or "",
                w[1],
                qty=inst.qty_to_units(Decimal(w[3])),
                price=inst.price_to_units(Decimal(w[4])),
            )
        )

    async def shutdown(self) -> None:
        connections = list(self.connections.values())
        for conn in connections:
            conn.push("BYE shutdown")
            conn.send.close()  # the writer sends what is queued, then the connection ends
        with anyio.move_on_after(1):
            for conn in connections:
                await conn.closed.wait()

    def inject_fault(self, session: Any, fault: str, params: dict[str, Any]) -> None:
        conn = self.connections.get(session.id)
        if fault != "disconnect":
            raise ValueError(f"protocol line supports the fault 'disconnect', not {fault!r}")
        if conn is None:
            raise ValueError(f"session {session.id} is not connected")
        conn.scope.cancel()


@hookimpl
def exsim_register_protocols(registry: Registrar) -> None:
    registry.add(LineProtocol)
