"""Fault injection on a session's outbound side, for testing a client's recovery.

Faults come from the session's configuration (``faults = [...]``) and from the
management API (:meth:`exsim_fix.FixProtocol.inject_fault`); see
:class:`~exsim_fix.config.FaultSpec` for what each one does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import FaultSpec

if TYPE_CHECKING:
    from exsim_core.clock import Clock

    from .outbound import Outbound, Writer

__all__ = ["Faults"]

NS = 1_000_000_000


class Faults:
    """The faults in force on one session."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.reset()

    def reset(self) -> None:
        """No fault in force."""
        self.drop = 0
        self.drop_types: frozenset[bytes] | None = None
        self.duplicate = 0
        self.duplicate_poss_dup = True
        self.hold_until_ns = 0
        self.no_heartbeats_until_ns = 0
        self.no_heartbeats = False
        self.active = False

    def apply(self, spec: FaultSpec | dict[str, Any], outbound: Outbound | None = None) -> str:
        """Put a fault in force; returns what was done, in words. ``disconnect`` is the
        caller's to carry out."""
        if not isinstance(spec, FaultSpec):
            spec = FaultSpec.model_validate(spec)
        now = self.clock.now_ns()
        kind = spec.kind
        if kind == "drop":
            self.drop += spec.count
            self.drop_types = (
                frozenset(t.encode() for t in spec.msg_types) if spec.msg_types else None
            )
            done = f"dropping the next {spec.count} outbound message(s)"
        elif kind == "delay":
            self.hold_until_ns = max(self.hold_until_ns, now + int(spec.seconds * NS))
            done = f"holding outbound messages for {spec.seconds} s"
        elif kind == "skip_seq":
            if outbound is not None:
                outbound.skip(spec.count)
            done = f"skipped {spec.count} outbound sequence number(s)"
        elif kind == "sequence_reset":
            if outbound is not None:
                outbound.sequence_reset(outbound.next_out + spec.count)
            done = f"sent a SequenceReset-Reset {spec.count} number(s) ahead"
        elif kind == "duplicate":
            self.duplicate += spec.count
            self.duplicate_poss_dup = spec.poss_dup
            done = f"duplicating the next {spec.count} application message(s)"
        elif kind == "stop_heartbeats":
            self.no_heartbeats = True
            self.no_heartbeats_until_ns = now + int(spec.seconds * NS) if spec.seconds else 0
            done = "heartbeats stopped" + (f" for {spec.seconds} s" if spec.seconds else "")
        elif kind == "clear":
            self.reset()
            return "faults cleared"
        else:
            done = "disconnecting"
        self.active = bool(self.drop or self.duplicate or self.hold_until_ns)
        return done

    def heartbeats_stopped(self) -> bool:
        if not self.no_heartbeats:
            return False
        until = self.no_heartbeats_until_ns
        if until and self.clock.now_ns() >= until:
            self.no_heartbeats = False
            return False
        return True

    def write(
        self, outbound: Outbound, writer: Writer, msg_type: bytes, raw: bytes, admin: bool
    ) -> None:
        """Write ``raw`` through the faults in force."""
        if self.drop and (
            (self.drop_types is None and not admin)
            or (self.drop_types is not None and msg_type in self.drop_types)
        ):
            self.drop -= 1
        else:
            writer.write(raw)
            if self.duplicate and not admin:
                self.duplicate -= 1
                writer.write(outbound.poss_dup(raw) if self.duplicate_poss_dup else raw)
        self.active = bool(self.drop or self.duplicate or self.hold_until_ns)
