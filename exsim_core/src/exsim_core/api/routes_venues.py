"""Routes that configure: venues, instruments, endpoints, sessions, bots."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict, Field

from exsim_core.enums import TradingStatus
from exsim_core.instrument import Instrument
from exsim_core.ops import models as m

from .common import run_op

if TYPE_CHECKING:
    from exsim_core.daemon.state import Daemon

__all__ = ["venue_routes"]


class StatusBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: TradingStatus
    text: str = ""


class EngineBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    engine: str
    params: dict[str, Any] = Field(default_factory=dict)


class SessionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: m.Name
    identity: dict[str, str] = Field(default_factory=dict)
    password: str | None = None
    role: Literal["order_entry", "drop_copy", "market_data"] = "order_entry"
    params: dict[str, Any] = Field(default_factory=dict)


class FaultBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fault: str
    params: dict[str, Any] = Field(default_factory=dict)


class ParamsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    params: dict[str, Any]


def venue_routes(router: APIRouter, daemon: Daemon) -> None:
    @router.post("/venues", summary="Create a venue", tags=["venues"])
    async def create_venue(op: m.CreateVenue) -> dict[str, Any]:
        return await run_op(daemon, op)

    @router.delete("/venues/{venue}", summary="Delete a venue", tags=["venues"])
    async def delete_venue(venue: str) -> dict[str, Any]:
        return await run_op(daemon, m.DeleteVenue(name=venue))

    @router.patch("/venues/{venue}", summary="Change some of a venue's rules", tags=["venues"])
    async def set_venue(venue: str, settings: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        return await run_op(daemon, m.SetVenue(name=venue, settings=settings))

    @router.post(
        "/venues/{venue}/instruments", summary="Add an instrument and its book", tags=["venues"]
    )
    async def create_instrument(
        venue: str, instrument: Annotated[Instrument, Body()]
    ) -> dict[str, Any]:
        return await run_op(daemon, m.CreateInstrument(venue=venue, instrument=instrument))

    @router.delete(
        "/venues/{venue}/instruments/{symbol:path}", summary="Remove an instrument", tags=["venues"]
    )
    async def delete_instrument(venue: str, symbol: str) -> dict[str, Any]:
        return await run_op(daemon, m.DeleteInstrument(venue=venue, symbol=symbol))

    @router.put(
        "/venues/{venue}/books/{symbol:path}/engine",
        summary="Serve a book with another engine",
        tags=["venues"],
    )
    async def set_engine(venue: str, symbol: str, body: EngineBody) -> dict[str, Any]:
        return await run_op(daemon, m.SetEngine(venue=venue, symbol=symbol, **body.model_dump()))

    @router.post(
        "/venues/{venue}/status", summary="Halt, resume or close every instrument", tags=["venues"]
    )
    async def set_venue_status(venue: str, body: StatusBody) -> dict[str, Any]:
        return await run_op(daemon, m.SetStatus(venue=venue, **body.model_dump()))

    @router.post(
        "/venues/{venue}/books/{symbol:path}/status",
        summary="Halt, resume or close an instrument",
        tags=["venues"],
    )
    async def set_status(venue: str, symbol: str, body: StatusBody) -> dict[str, Any]:
        return await run_op(daemon, m.SetStatus(venue=venue, symbol=symbol, **body.model_dump()))

    @router.post(
        "/endpoints", summary="Create an endpoint (it listens at once)", tags=["endpoints"]
    )
    async def create_endpoint(op: m.CreateEndpoint) -> dict[str, Any]:
        return await run_op(daemon, op)

    @router.delete("/endpoints/{endpoint}", summary="Delete an endpoint", tags=["endpoints"])
    async def delete_endpoint(endpoint: str) -> dict[str, Any]:
        return await run_op(daemon, m.DeleteEndpoint(name=endpoint))

    @router.post(
        "/endpoints/{endpoint}/sessions",
        summary="Create a session on an endpoint",
        tags=["endpoints"],
    )
    async def create_session(endpoint: str, body: SessionBody) -> dict[str, Any]:
        return await run_op(daemon, m.CreateSession(endpoint=endpoint, **body.model_dump()))

    @router.post(
        "/sessions/{session}/faults", summary="Inject a protocol fault", tags=["endpoints"]
    )
    async def inject_fault(session: str, body: FaultBody) -> dict[str, Any]:
        return await run_op(daemon, m.InjectFault(session=session, **body.model_dump()))

    @router.post("/bots", summary="Create a bot", tags=["bots"])
    async def create_bot(op: m.CreateBot) -> dict[str, Any]:
        return await run_op(daemon, op)

    @router.patch("/bots/{bot}", summary="Change a bot's parameters", tags=["bots"])
    async def configure_bot(bot: str, body: ParamsBody) -> dict[str, Any]:
        return await run_op(daemon, m.ConfigureBot(name=bot, params=body.params))

    @router.post("/bots/{bot}/start", summary="Start a bot", tags=["bots"])
    async def start_bot(bot: str) -> dict[str, Any]:
        return await run_op(daemon, m.StartBot(name=bot))

    @router.post("/bots/{bot}/stop", summary="Stop a bot (its orders are canceled)", tags=["bots"])
    async def stop_bot(bot: str) -> dict[str, Any]:
        return await run_op(daemon, m.StopBot(name=bot))

    @router.delete("/bots/{bot}", summary="Delete a bot", tags=["bots"])
    async def delete_bot(bot: str) -> dict[str, Any]:
        return await run_op(daemon, m.DeleteBot(name=bot))
