"""A venue's rules as one validated model, :class:`VenueSettings`.

Every field can be changed while the venue runs (:meth:`Venue.set
<exsim_core.Venue.set>`); :meth:`Venue.configure <exsim_core.Venue.configure>` applies a
whole set, and a set that does not validate changes nothing.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from exsim_core.enums import PostOnlyMode, STPMode, STPScope, TimeInForce

__all__ = ["DEFAULT_TIFS", "VenueSettings"]

#: the times in force a venue allows unless its settings say otherwise
DEFAULT_TIFS = ("DAY", "GTC", "IOC", "FOK", "GTD")


class VenueSettings(BaseModel):
    """A venue's rules. Every field can be changed while the venue runs."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    engine: str = Field("price_time", description="Engine of books that do not name one.")
    engine_params: dict[str, Any] = Field(default_factory=dict)
    order_types: list[str] | None = Field(
        None, description="Order types allowed here (default: every registered type)."
    )
    tifs: list[str] = Field(list(DEFAULT_TIFS), description="Times in force allowed here.")
    end_of_day: dt.time = Field(dt.time(16, 0), description="When DAY orders expire.")
    timezone: str = Field("UTC", description="Time zone of end_of_day (IANA name).")
    stp_mode: STPMode = Field(STPMode.OFF, description="Self-trade prevention.")
    stp_scope: STPScope = Field(STPScope.SESSION, description="Who counts as the same owner.")
    post_only_mode: PostOnlyMode = PostOnlyMode.REJECT
    price_band_pct: Decimal | None = Field(
        None,
        gt=0,
        le=100,
        description="Reject limit prices further than this from the "
        "last trade (or the reference price), in percent.",
    )

    @field_validator("tifs")
    @classmethod
    def _known_tifs(cls, value: list[str]) -> list[str]:
        names = [v.upper() for v in value]
        unknown = [v for v in names if v not in TimeInForce.__members__]
        if unknown:
            raise ValueError(
                f"unknown time in force {', '.join(unknown)}; "
                f"known: {', '.join(TimeInForce.__members__)}"
            )
        return names

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value
