"""Settings of FIX endpoints and sessions (validated once, at configuration time).

A session's *identity* is written the way the client's messages carry it:
``sender_comp_id`` is the client's SenderCompID(49), ``target_comp_id`` is the venue's
CompID, the client's TargetCompID(56). Optional ``sender_sub_id`` / ``target_sub_id``
are checked when given; ``username`` is matched against Username(553) when given.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from exsim_core import ProtocolParams, SessionParams

__all__ = ["FaultSpec", "FixEndpointParams", "FixSessionParams"]

BeginString = Literal["FIX.4.0", "FIX.4.1", "FIX.4.2", "FIX.4.3", "FIX.4.4", "FIXT.1.1"]
FaultKind = Literal[
    "drop",
    "delay",
    "skip_seq",
    "sequence_reset",
    "duplicate",
    "stop_heartbeats",
    "disconnect",
    "clear",
]


class FaultSpec(BaseModel):
    """A fault to inject into a session's outbound side.

    * ``drop``: the next ``count`` outbound messages (of ``msg_types``, default any
      application message) are sequenced and stored but never written: the client sees
      a gap and can ResendRequest them.
    * ``delay``: hold the outbound stream for ``seconds`` (order is kept).
    * ``skip_seq``: skip ``count`` outbound sequence numbers (a gap the client must
      ResendRequest; it is answered with a gap fill).
    * ``sequence_reset``: send a SequenceReset-Reset moving the client ``count`` numbers
      on (recovery after a loss of state, test case 9).
    * ``duplicate``: write the next outbound application message twice (the copy with
      PossDupFlag=Y when ``poss_dup``).
    * ``stop_heartbeats``: send no Heartbeat (timed or answering a TestRequest) for
      ``seconds`` (0: until cleared).
    * ``disconnect``: close the connection now, without a Logout.
    * ``clear``: end every fault in force.
    """

    model_config = ConfigDict(extra="forbid")

    kind: FaultKind
    count: int = Field(1, ge=1, le=1_000_000)
    seconds: float = Field(0.0, ge=0, le=86_400)
    msg_types: list[str] | None = None
    poss_dup: bool = True


class FixEndpointParams(ProtocolParams):
    """Settings of a FIX endpoint (every session on it shares them)."""

    max_message_size: int = Field(
        65_536, ge=1024, le=16 * 1024 * 1024, description="Largest inbound message, bytes."
    )
    logon_timeout: float = Field(
        10.0, gt=0, le=3600, description="Close a connection that sends no Logon in this time, s."
    )


class FixSessionParams(SessionParams):
    """Settings of one FIX session."""

    begin_string: BeginString = Field("FIX.4.4", description="The session's BeginString(8).")
    default_appl_ver_id: str = Field(
        "9",
        description="FIXT.1.1 only: DefaultApplVerID(1137) answered on Logon (9 = FIX 5.0 SP2).",
    )
    heartbeat_min: int = Field(0, ge=0, description="Smallest HeartBtInt(108) accepted, seconds.")
    heartbeat_max: int = Field(3600, ge=0, description="Largest HeartBtInt(108) accepted, seconds.")
    reset_on_logon: bool = Field(
        False, description="Start both sequence numbers at 1 on every Logon."
    )
    sending_time_tolerance: float = Field(
        120.0, ge=0, description="Largest SendingTime(52) error accepted, seconds (0: no check)."
    )
    start_time: dt.time | None = Field(
        None, description="Daily session start (sequence numbers reset then); None: always on."
    )
    end_time: dt.time | None = Field(None, description="Daily session end (Logout then).")
    timezone: str = Field("UTC", description="Time zone of start_time and end_time.")
    cancel_on_disconnect: bool = Field(
        False, description="Cancel the session's live orders when its connection ends."
    )
    copy_of: list[str] = Field(
        default_factory=list,
        description="Drop-copy sessions: the sessions copied (empty: every session of the venue).",
    )
    logout_timeout: float = Field(
        2.0, gt=0, description="How long to wait for the Logout answer, seconds."
    )
    user_defined_tags: bool = Field(
        True, description="Accept tags 5000 and above (user-defined) in inbound messages."
    )
    pending_acks: bool = Field(
        False,
        description="Report orders and requests the venue holds (managed mode) as pending "
        "(ExecType A, 6, E).",
    )
    faults: list[FaultSpec] = Field(
        default_factory=list, description="Faults in force from the start."
    )

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _bounds(self) -> FixSessionParams:
        if self.heartbeat_min > self.heartbeat_max:
            raise ValueError("heartbeat_min is larger than heartbeat_max")
        if (self.start_time is None) != (self.end_time is None):
            raise ValueError("give both start_time and end_time, or neither")
        return self
