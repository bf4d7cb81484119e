"""Routes of the daemon itself: events, the owner's lease, the clock, reset, any
operation by its JSON form, checks, status and the configuration export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, ConfigDict, Field

from exsim_core.ops import OpBase, Operation
from exsim_core.ops import models as m

from .common import run_op

if TYPE_CHECKING:
    from exsim_core.daemon.state import Daemon

__all__ = ["system_routes"]

MAX_WAIT = 30.0


class LeaseBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ttl: float | None = Field(
        default=None, gt=0, le=86_400, description="New lease length (seconds)."
    )


def system_routes(router: APIRouter, daemon: Daemon) -> None:
    @router.get("/events", summary="Venue events after a cursor (long poll)", tags=["events"])
    async def events(
        after: int = Query(
            0, ge=0, le=2**63, description="The last cursor seen (0: from the start)."
        ),
        wait: float = Query(
            0.0, ge=0, le=MAX_WAIT, description="Seconds to wait for a first event."
        ),
        limit: int = Query(1000, ge=1, le=10_000),
    ) -> dict[str, Any]:
        """Events with a cursor above ``after``, oldest first. A ``dropped`` event
        (``from``, ``to``) stands for events the bounded queue already discarded."""
        await daemon.events.wait(after, wait)
        out = daemon.events.read(after, limit)
        daemon.flush()
        return {"events": out, "last": daemon.events.last}

    @router.post("/lease", summary="Renew the owner's lease", tags=["daemon"])
    async def lease(body: Annotated[LeaseBody | None, Body()] = None) -> dict[str, Any]:
        runtime = daemon.runtime
        if runtime is None:
            return {"lease": None}
        return {"lease": runtime.renew_lease(body.ttl if body else None)}

    @router.get("/clock", summary="The clock", tags=["daemon"])
    async def clock() -> dict[str, Any]:
        return {"kind": daemon.clock_kind, "now_ns": daemon.clock.now_ns()}

    @router.post("/clock", summary="Advance a manual clock", tags=["daemon"])
    async def advance(op: m.AdvanceClock) -> dict[str, Any]:
        return await run_op(daemon, op)

    @router.post("/reset", summary="Back to the start configuration", tags=["daemon"])
    async def reset() -> dict[str, Any]:
        return await run_op(daemon, m.Reset())

    @router.post(
        "/ops", summary="Perform any operation (its JSON form, 'op' names it)", tags=["daemon"]
    )
    async def ops(op: Annotated[Operation, Body()]) -> dict[str, Any]:
        assert isinstance(op, OpBase)
        return await run_op(daemon, op)

    @router.get(
        "/check",
        summary="Server-side errors and unused expectations since the last reset",
        tags=["daemon"],
    )
    async def check() -> dict[str, Any]:
        return daemon.check()

    @router.get("/status", summary="What the daemon runs", tags=["daemon"])
    async def status() -> dict[str, Any]:
        return daemon.describe()

    @router.get("/config", summary="The current state as configuration operations", tags=["daemon"])
    async def config() -> dict[str, Any]:
        from exsim_core.config import daemon_sections, export_operations

        simulator, sections = daemon_sections(daemon)
        ops = [op.model_dump(mode="json") for op in export_operations(daemon)]
        return {"operations": ops, "simulator": simulator, "plugins": sections}
