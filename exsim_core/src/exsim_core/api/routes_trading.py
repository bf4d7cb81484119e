"""Routes that trade: order drafts, cancels and replaces, managed decisions, matching,
trade busts and corrections, expectations, quotes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from exsim_core.ops import models as m

from .common import run_op

if TYPE_CHECKING:
    from exsim_core.daemon.state import Daemon

__all__ = ["trading_routes"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CancelBody(_Body):
    leaves_qty: m.NonNegative | None = None
    cl_ord_id: str = Field(default="", max_length=64)


class ReplaceBody(_Body):
    qty: m.Qty | None = None
    price: m.Price | None = None
    stop_price: m.Price | None = None
    cl_ord_id: str = Field(default="", max_length=64)


class DecisionBody(_Body):
    action: m.Action
    qty: m.Qty | None = None
    price: m.Price | None = None
    text: str = ""


class MatchBody(_Body):
    symbol: str
    a: int = Field(gt=0, le=2**63, description="order id of the aggressor")
    b: int = Field(gt=0, le=2**63, description="order id of the resting side")
    price: m.Price
    qty: m.Qty


class CorrectBody(_Body):
    price: m.Price
    qty: m.Qty


class ExpectBody(_Body):
    symbol: str | None = None
    side: m.Side | None = None
    session: str | None = None
    steps: list[m.ExpectStep] = Field(min_length=1, max_length=100)


QUOTES_NOTE = (
    "Quotes are validated and stored now; they do not trade yet (quotes enter the books "
    "with the maker workflow)."
)


def trading_routes(router: APIRouter, daemon: Daemon) -> None:
    @router.post(
        "/orders", summary="Create an order draft (submit=true sends it at once)", tags=["orders"]
    )
    async def create_order(op: m.CreateOrder) -> dict[str, Any]:
        return await run_op(daemon, op)

    @router.patch("/orders/{draft}", summary="Set fields of an order draft", tags=["orders"])
    async def set_order(draft: str, fields: m.OrderFields) -> dict[str, Any]:
        return await run_op(daemon, m.SetOrder(id=draft, fields=fields))

    @router.post("/orders/{draft}/submit", summary="Submit an order draft", tags=["orders"])
    async def submit_order(draft: str) -> dict[str, Any]:
        return await run_op(daemon, m.SubmitOrder(id=draft))

    @router.delete("/orders/{draft}", summary="Forget an order draft", tags=["orders"])
    async def delete_order(draft: str) -> dict[str, Any]:
        return await run_op(daemon, m.DeleteOrder(id=draft))

    @router.post(
        "/venues/{venue}/orders/{order_id}/cancel",
        summary="Cancel a live order as its owner",
        tags=["orders"],
    )
    async def cancel_order(venue: str, order_id: int, body: CancelBody) -> dict[str, Any]:
        return await run_op(
            daemon, m.CancelOrder(venue=venue, order_id=order_id, **body.model_dump())
        )

    @router.post(
        "/venues/{venue}/orders/{order_id}/replace",
        summary="Replace a live order as its owner",
        tags=["orders"],
    )
    async def replace_order(venue: str, order_id: int, body: ReplaceBody) -> dict[str, Any]:
        return await run_op(
            daemon, m.ReplaceOrder(venue=venue, order_id=order_id, **body.model_dump())
        )

    @router.post(
        "/venues/{venue}/orders/{order_id}/decision",
        summary="Decide on an order the managed engine holds",
        tags=["managed"],
    )
    async def decide(venue: str, order_id: int, body: DecisionBody) -> dict[str, Any]:
        return await run_op(daemon, m.Decide(venue=venue, order_id=order_id, **body.model_dump()))

    @router.post(
        "/venues/{venue}/match",
        summary="Cross two orders at a chosen price and quantity",
        tags=["managed"],
    )
    async def match(venue: str, body: MatchBody) -> dict[str, Any]:
        return await run_op(daemon, m.MatchOrders(venue=venue, **body.model_dump()))

    @router.post(
        "/venues/{venue}/trades/{trade_id}/bust",
        summary="Bust a trade (FIX ExecType H)",
        tags=["managed"],
    )
    async def bust(venue: str, trade_id: int) -> dict[str, Any]:
        return await run_op(daemon, m.BustTrade(venue=venue, trade_id=trade_id))

    @router.post(
        "/venues/{venue}/trades/{trade_id}/correct",
        summary="Correct a trade (FIX ExecType G)",
        tags=["managed"],
    )
    async def correct(venue: str, trade_id: int, body: CorrectBody) -> dict[str, Any]:
        return await run_op(
            daemon, m.CorrectTrade(venue=venue, trade_id=trade_id, **body.model_dump())
        )

    @router.post(
        "/venues/{venue}/expectations",
        summary="Script the next order of a managed book",
        tags=["managed"],
    )
    async def expect(venue: str, body: ExpectBody) -> dict[str, Any]:
        return await run_op(daemon, m.Expect(venue=venue, **body.model_dump()))

    @router.post("/quotes", summary="Create a quote", description=QUOTES_NOTE, tags=["quotes"])
    async def create_quote(op: m.CreateQuote) -> dict[str, Any]:
        return await run_op(daemon, op)

    @router.post(
        "/quotes/{quote}/submit", summary="Submit a quote", description=QUOTES_NOTE, tags=["quotes"]
    )
    async def submit_quote(quote: str) -> dict[str, Any]:
        return await run_op(daemon, m.SubmitQuote(id=quote))

    @router.delete(
        "/quotes/{quote}", summary="Delete a quote", description=QUOTES_NOTE, tags=["quotes"]
    )
    async def delete_quote(quote: str) -> dict[str, Any]:
        return await run_op(daemon, m.DeleteQuote(id=quote))
