"""What every route module shares: running an operation, and body models built from
operation models minus the fields the path supplies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exsim_core.ops import OpBase

if TYPE_CHECKING:
    from exsim_core.daemon.state import Daemon

__all__ = ["run_op"]


async def run_op(daemon: Daemon, op: OpBase) -> dict[str, Any]:
    """Perform ``op`` (with the daemon's event-loop work, such as starting a listener,
    when it is served) and commit the journal before the client hears of it."""
    runtime = daemon.runtime
    if runtime is not None:
        return await runtime.execute(op)
    try:
        return daemon.execute(op)
    finally:
        daemon.flush()
