"""The ``auto_reject`` behaviour: every order is refused."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from exsim_core import EngineParams, RejectReason
from exsim_core.enums import reject_text

from .base import Behaviour

if TYPE_CHECKING:
    from exsim_core import Book, Order, OrderType

__all__ = ["AutoReject", "AutoRejectParams", "Reason"]


class Reason(BaseModel):
    """One reason to reject with. In configuration a plain string is short for
    ``{code = "venue_decision", text = "that string"}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(
        "venue_decision",
        description="The reject reason, by name (e.g. 'halted', 'price_out_of_band', "
        "'venue_decision'): see exsim_core.RejectReason.",
    )
    text: str = Field("", description="Text sent with it (default: the reason's wording).")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    @field_validator("code")
    @classmethod
    def _known_code(cls, value: str) -> str:
        name = value.upper()
        if name not in RejectReason.__members__:
            known = ", ".join(n.lower() for n in RejectReason.__members__)
            raise ValueError(f"unknown reject reason {value!r}; known: {known}")
        return name.lower()


class AutoRejectParams(EngineParams):
    reasons: list[Reason] = Field(
        default_factory=lambda: [Reason.model_validate({})],
        min_length=1,
        description="Reasons to reject with, used in turn (the first order gets the "
        "first, the next the second, and round again).",
    )


class AutoReject(Behaviour):
    """Rejects every order, with the configured reasons in turn.

    Events: ``REJECTED`` (the reason's code and text).
    """

    name = "auto_reject"
    description = "rejects every order with a configured reason (or a rotating set)"
    Params = AutoRejectParams
    params: AutoRejectParams

    def __init__(self, book: Book, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(book, params)
        self.reasons = [
            (int(code), r.text or reject_text(code))
            for r in self.params.reasons
            for code in (RejectReason[r.code.upper()],)
        ]
        self.turn = 0

    def on_new(self, order: Order, order_type: OrderType) -> None:
        code, text = self.reasons[self.turn % len(self.reasons)]
        self.turn += 1
        self.book.reject(order, code, text)
