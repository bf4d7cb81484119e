"""The typed methods shared by :class:`~exsim_core.Client` and
:class:`~exsim_core.AsyncClient`: each builds one request; the client classes send it
(synchronously, or returning an awaitable).

Prices and quantities are decimals: pass ``Decimal``, ``str`` or ``int`` (a ``float`` is
converted through ``str``); results carry them as strings.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Generic, TypeVar

__all__ = ["Number", "Operations"]

R = TypeVar("R")
Number = Decimal | str | int | float
JSON = dict[str, Any]


def _num(value: Number | None) -> str | None:
    return None if value is None else str(value)


def _compact(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


class Operations(Generic[R]):
    """Every management operation as a typed method (``R``: a result, or an awaitable
    of one)."""

    def _request(
        self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None
    ) -> R:
        raise NotImplementedError

    def op(self, op: str, **fields: Any) -> R:
        """Perform any operation by name (see ``POST /v1/ops``)."""
        return self._request("POST", "/v1/ops", json={"op": op, **fields})

    # ------------------------------------------------------------------ venues
    def create_venue(self, name: str, **settings: Any) -> R:
        """Create a venue; ``settings`` are its rules (``engine="managed"``...)."""
        return self.op("create_venue", name=name, settings=settings)

    def delete_venue(self, name: str) -> R:
        return self.op("delete_venue", name=name)

    def set_venue(self, name: str, **settings: Any) -> R:
        return self.op("set_venue", name=name, settings=settings)

    def create_instrument(
        self, venue: str, symbol: str, asset_class: str = "equity", **fields: Any
    ) -> R:
        """Add an instrument (``tick_size="0.01"``, ``engine="managed"``...)."""
        inst = {
            "asset_class": asset_class,
            "symbol": symbol,
            **{k: _conv(v) for k, v in fields.items()},
        }
        return self.op("create_instrument", venue=venue, instrument=inst)

    def delete_instrument(self, venue: str, symbol: str) -> R:
        return self.op("delete_instrument", venue=venue, symbol=symbol)

    def set_engine(self, venue: str, symbol: str, engine: str, **params: Any) -> R:
        return self.op("set_engine", venue=venue, symbol=symbol, engine=engine, params=params)

    def set_status(self, venue: str, status: str, symbol: str | None = None, text: str = "") -> R:
        return self.op("set_status", venue=venue, symbol=symbol, status=status, text=text)

    def halt(self, venue: str, symbol: str | None = None, text: str = "") -> R:
        return self.set_status(venue, "halted", symbol, text)

    def resume(self, venue: str, symbol: str | None = None, text: str = "") -> R:
        return self.set_status(venue, "open", symbol, text)

    # ------------------------------------------------------------------ endpoints
    def create_endpoint(
        self,
        name: str,
        protocol: str,
        venue: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        **params: Any,
    ) -> R:
        """Create an endpoint; it listens at once (the result has the bound port)."""
        return self.op(
            "create_endpoint",
            name=name,
            protocol=protocol,
            venue=venue,
            host=host,
            port=port,
            params=params,
        )

    def delete_endpoint(self, name: str) -> R:
        return self.op("delete_endpoint", name=name)

    def create_session(
        self,
        endpoint: str,
        id: str,
        identity: dict[str, str] | None = None,
        *,
        password: str | None = None,
        role: str = "order_entry",
        **params: Any,
    ) -> R:
        return self.op(
            "create_session", endpoint=endpoint, id=id, identity=identity or {},
            password=password, role=role, params=params,
        )  # fmt: skip

    def inject_fault(self, session: str, fault: str, **params: Any) -> R:
        return self.op("inject_fault", session=session, fault=fault, params=params)

    # ------------------------------------------------------------------ bots
    def create_bot(
        self,
        kind: str,
        venue: str,
        symbol: str,
        *,
        name: str | None = None,
        seed: int = 0,
        start: bool = False,
        **params: Any,
    ) -> R:
        return self.op(
            "create_bot",
            kind=kind,
            venue=venue,
            symbol=symbol,
            name=name,
            seed=seed,
            start=start,
            params=params,
        )

    def configure_bot(self, name: str, **params: Any) -> R:
        return self.op("configure_bot", name=name, params=params)

    def start_bot(self, name: str) -> R:
        return self.op("start_bot", name=name)

    def stop_bot(self, name: str) -> R:
        return self.op("stop_bot", name=name)

    def delete_bot(self, name: str) -> R:
        return self.op("delete_bot", name=name)

    # ------------------------------------------------------------------ orders
    def create_order(
        self,
        venue: str,
        symbol: str | None = None,
        side: str | None = None,
        qty: Number | None = None,
        price: Number | None = None,
        *,
        id: str | None = None,
        submit: bool = False,
        **fields: Any,
    ) -> R:
        """Create an order draft (``submit=True`` sends it at once). ``fields``:
        ``ord_type``, ``tif``, ``session``, ``cl_ord_id``, ``stop_price``..."""
        f = _compact({"symbol": symbol, "side": side, "qty": _num(qty), "price": _num(price)})
        f.update({k: _conv(v) for k, v in fields.items()})
        return self.op("create_order", venue=venue, id=id, fields=f, submit=submit)

    def submit(
        self,
        venue: str,
        symbol: str,
        side: str,
        qty: Number,
        price: Number | None = None,
        **fields: Any,
    ) -> R:
        """Create and submit an order in one call; the result has the order."""
        return self.create_order(venue, symbol, side, qty, price, submit=True, **fields)

    def set_order(self, id: str, **fields: Any) -> R:
        return self.op("set_order", id=id, fields={k: _conv(v) for k, v in fields.items()})

    def submit_order(self, id: str) -> R:
        return self.op("submit_order", id=id)

    def delete_order(self, id: str) -> R:
        return self.op("delete_order", id=id)

    def cancel(self, venue: str, order_id: int, leaves_qty: Number | None = None) -> R:
        """Cancel a live order as its owner (``leaves_qty``: reduce to that instead)."""
        return self.op("cancel_order", venue=venue, order_id=order_id, leaves_qty=_num(leaves_qty))

    def replace(
        self,
        venue: str,
        order_id: int,
        *,
        qty: Number | None = None,
        price: Number | None = None,
        stop_price: Number | None = None,
    ) -> R:
        return self.op(
            "replace_order",
            venue=venue,
            order_id=order_id,
            qty=_num(qty),
            price=_num(price),
            stop_price=_num(stop_price),
        )

    # ------------------------------------------------------------------ quotes
    def create_quote(
        self,
        venue: str,
        id: str,
        symbol: str,
        *,
        bid_price: Number | None = None,
        bid_qty: Number | None = None,
        ask_price: Number | None = None,
        ask_qty: Number | None = None,
        session: str = "api",
    ) -> R:
        """Create a quote (stored and validated; quotes do not trade yet)."""
        return self.op(
            "create_quote", venue=venue, id=id, symbol=symbol, session=session,
            bid_price=_num(bid_price), bid_qty=_num(bid_qty),
            ask_price=_num(ask_price), ask_qty=_num(ask_qty),
        )  # fmt: skip

    def submit_quote(self, id: str) -> R:
        return self.op("submit_quote", id=id)

    def delete_quote(self, id: str) -> R:
        return self.op("delete_quote", id=id)

    # ------------------------------------------------------------------ managed mode
    def decide(
        self,
        venue: str,
        order_id: int,
        action: str,
        *,
        qty: Number | None = None,
        price: Number | None = None,
        text: str = "",
    ) -> R:
        """Decide on a held order (see :mod:`exsim_core.managed.engine` for actions)."""
        return self.op(
            "decide",
            venue=venue,
            order_id=order_id,
            action=action,
            qty=_num(qty),
            price=_num(price),
            text=text,
        )

    def ack(self, venue: str, order_id: int) -> R:
        return self.decide(venue, order_id, "ack")

    def reject(self, venue: str, order_id: int, text: str = "") -> R:
        return self.decide(venue, order_id, "reject", text=text)

    def fill(self, venue: str, order_id: int, qty: Number, price: Number) -> R:
        return self.decide(venue, order_id, "fill", qty=qty, price=price)

    def pass_through(self, venue: str, order_id: int) -> R:
        return self.decide(venue, order_id, "pass_through")

    def match_orders(
        self, venue: str, symbol: str, a: int, b: int, price: Number, qty: Number
    ) -> R:
        """Cross ``a`` (aggressor) with ``b`` for ``qty`` at ``price``: one trade."""
        return self.op(
            "match_orders", venue=venue, symbol=symbol, a=a, b=b, price=_num(price), qty=_num(qty)
        )

    def bust_trade(self, venue: str, trade_id: int) -> R:
        return self.op("bust_trade", venue=venue, trade_id=trade_id)

    def correct_trade(self, venue: str, trade_id: int, price: Number, qty: Number) -> R:
        return self.op(
            "correct_trade", venue=venue, trade_id=trade_id, price=_num(price), qty=_num(qty)
        )

    def expect(
        self,
        venue: str,
        *steps: dict[str, Any],
        symbol: str | None = None,
        side: str | None = None,
        session: str | None = None,
    ) -> R:
        """Script the next matching new order: ``expect("X", {"action": "ack"},
        {"action": "fill", "qty": 100, "price": "10.01", "after_ms": 5}, symbol="ACME")``."""
        converted = [{k: _conv(v) for k, v in s.items()} for s in steps]
        return self.op(
            "expect", venue=venue, symbol=symbol, side=side, session=session, steps=converted
        )

    # ------------------------------------------------------------------ time, reset
    def advance_clock(self, ns: int = 0, *, seconds: Number = 0, to_ns: int | None = None) -> R:
        """Move a manual clock forward, running the timers due on the way."""
        return self.op("advance_clock", ns=ns, seconds=str(seconds), to_ns=to_ns)

    def reset(self) -> R:
        """Back to the daemon's start configuration."""
        return self._request("POST", "/v1/reset")

    def renew_lease(self, ttl: float | None = None) -> R:
        return self._request("POST", "/v1/lease", json={"ttl": ttl} if ttl else None)

    # ------------------------------------------------------------------ queries
    def health(self) -> R:
        return self._request("GET", "/v1/health")

    def status(self) -> R:
        return self._request("GET", "/v1/status")

    def check(self) -> R:
        """Server-side errors, unused expectations and failed scripted steps."""
        return self._request("GET", "/v1/check")

    def clock(self) -> R:
        return self._request("GET", "/v1/clock")

    def venues(self) -> R:
        return self._request("GET", "/v1/venues")

    def venue(self, name: str) -> R:
        return self._request("GET", f"/v1/venues/{name}")

    def instruments(self, venue: str) -> R:
        return self._request("GET", f"/v1/venues/{venue}/instruments")

    def book(self, venue: str, symbol: str, *, depth: int | None = None, orders: bool = False) -> R:
        """L2 levels of a book (and its resting orders, L3, with ``orders=True``)."""
        params = _compact({"depth": depth, "orders": "true" if orders else None})
        return self._request("GET", f"/v1/venues/{venue}/books/{symbol}", params=params)

    def orders(self, venue: str, *, symbol: str | None = None, session: str | None = None) -> R:
        return self._request(
            "GET",
            f"/v1/venues/{venue}/orders",
            params=_compact({"symbol": symbol, "session": session}),
        )

    def order(self, venue: str, order_id: int) -> R:
        return self._request("GET", f"/v1/venues/{venue}/orders/{order_id}")

    def trades(self, venue: str, *, symbol: str | None = None, limit: int | None = None) -> R:
        return self._request(
            "GET", f"/v1/venues/{venue}/trades", params=_compact({"symbol": symbol, "limit": limit})
        )

    def endpoints(self) -> R:
        return self._request("GET", "/v1/endpoints")

    def sessions(self) -> R:
        return self._request("GET", "/v1/sessions")

    def bots(self) -> R:
        return self._request("GET", "/v1/bots")

    def drafts(self) -> R:
        return self._request("GET", "/v1/orders")

    def quotes(self) -> R:
        return self._request("GET", "/v1/quotes")

    def export_config(self) -> R:
        """The state as configuration operations (``exsim config export --url``)."""
        return self._request("GET", "/v1/config")

    def poll(self, after: int, wait: float = 0.0, limit: int = 1000) -> R:
        """One ``GET /v1/events`` call: ``{"events": [...], "last": cursor}``."""
        return self._request(
            "GET", "/v1/events", params={"after": after, "wait": wait, "limit": limit}
        )


def _conv(value: Any) -> Any:
    if isinstance(value, Decimal | float):
        return str(value)
    return value
