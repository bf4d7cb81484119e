"""Routes that read: venues, instruments, books (L2 and L3), orders, trades, sessions,
endpoints, bots, drafts, quotes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Query

from exsim_core.errors import NotFound
from exsim_core.managed import trade_log
from exsim_core.ops.orders import live_order
from exsim_core.ops.render import book_view, order_view, trade_view, venue_view

if TYPE_CHECKING:
    from exsim_core.daemon.state import Daemon

__all__ = ["query_routes"]


def query_routes(router: APIRouter, daemon: Daemon) -> None:
    sim = daemon.simulator

    @router.get("/venues", summary="Every venue", tags=["venues"])
    async def venues() -> list[dict[str, Any]]:
        return [venue_view(v) for _, v in sorted(sim.venues.items())]

    @router.get("/venues/{venue}", summary="One venue", tags=["venues"])
    async def venue(venue: str) -> dict[str, Any]:
        return venue_view(sim.venue(venue))

    @router.get("/venues/{venue}/instruments", summary="A venue's instruments", tags=["venues"])
    async def instruments(venue: str) -> list[dict[str, Any]]:
        v = sim.venue(venue)
        return [i.model_dump(mode="json") for _, i in sorted(v.instruments.items())]

    @router.get(
        "/venues/{venue}/books/{symbol:path}",
        summary="A book: L2 levels, and L3 orders with orders=true",
        tags=["venues"],
    )
    async def book(
        venue: str,
        symbol: str,
        depth: int | None = Query(None, ge=1, le=10_000),
        orders: bool = False,
    ) -> dict[str, Any]:
        return book_view(sim.venue(venue).book(symbol), depth, orders)

    @router.get(
        "/venues/{venue}/orders", summary="Live orders (resting, parked, held)", tags=["orders"]
    )
    async def orders(
        venue: str, symbol: str | None = None, session: str | None = None
    ) -> list[dict[str, Any]]:
        v = sim.venue(venue)
        live = sorted(v.orders.values(), key=lambda o: o.order_id)
        return [
            order_view(o, v.instruments.get(o.symbol))
            for o in live
            if (symbol is None or o.symbol == symbol) and (session is None or o.session == session)
        ]

    @router.get("/venues/{venue}/orders/{order_id}", summary="One live order", tags=["orders"])
    async def order(venue: str, order_id: int) -> dict[str, Any]:
        v = sim.venue(venue)
        o = live_order(v, order_id)
        return order_view(o, v.instruments.get(o.symbol))

    @router.get("/venues/{venue}/trades", summary="Trades, oldest first", tags=["orders"])
    async def trades(
        venue: str, symbol: str | None = None, limit: int | None = Query(None, ge=1, le=100_000)
    ) -> list[dict[str, Any]]:
        v = sim.venue(venue)
        return [
            trade_view(t, v.instruments.get(t.symbol)) for t in trade_log(v).list(symbol, limit)
        ]

    @router.get("/endpoints", summary="Every endpoint, with its bound port", tags=["endpoints"])
    async def endpoints() -> list[dict[str, Any]]:
        return [e.describe() for _, e in sorted(sim.endpoints.items())]

    @router.get(
        "/sessions", summary="Every session and whether it is logged on", tags=["endpoints"]
    )
    async def sessions() -> list[dict[str, Any]]:
        return [
            s.describe()
            for _, e in sorted(sim.endpoints.items())
            for _, s in sorted(e.sessions.items())
        ]

    @router.get("/bots", summary="Every bot and its report", tags=["bots"])
    async def bots() -> list[dict[str, Any]]:
        return [b.report() for _, b in sorted(sim.bot_instances.items())]

    @router.get("/bots/{bot}", summary="One bot's report", tags=["bots"])
    async def bot(bot: str) -> dict[str, Any]:
        return sim.bot(bot).report()

    @router.get("/orders", summary="Order drafts", tags=["orders"])
    async def drafts() -> list[dict[str, Any]]:
        return [d.describe() for _, d in sorted(daemon.drafts.items())]

    @router.get("/orders/{draft}", summary="One order draft", tags=["orders"])
    async def draft(draft: str) -> dict[str, Any]:
        d = daemon.drafts.get(draft)
        if d is None:
            raise NotFound(f"no order draft named {draft!r}")
        return d.describe()

    @router.get("/quotes", summary="Quotes (stored; they do not trade yet)", tags=["quotes"])
    async def quotes() -> list[dict[str, Any]]:
        return [q.describe() for _, q in sorted(daemon.quotes.items())]
