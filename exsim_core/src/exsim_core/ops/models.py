"""The operations: one pydantic model per thing a management client or a configuration
file can ask of a simulator.

Every model rejects unknown keys, carries its name in ``op`` (the discriminator of
:data:`Operation`), and holds prices and quantities as decimals (strings or numbers in
JSON and TOML); :func:`exsim_core.ops.apply` converts them with the instrument's units.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from exsim_core.enums import TimeInForce, TradingStatus
from exsim_core.instrument import Instrument
from exsim_core.venue import VenueSettings

__all__ = [
    "AdvanceClock",
    "BustTrade",
    "CancelOrder",
    "ConfigureBot",
    "CorrectTrade",
    "CreateBot",
    "CreateEndpoint",
    "CreateInstrument",
    "CreateOrder",
    "CreateQuote",
    "CreateSession",
    "CreateVenue",
    "Decide",
    "DeleteBot",
    "DeleteEndpoint",
    "DeleteInstrument",
    "DeleteOrder",
    "DeleteQuote",
    "DeleteVenue",
    "Expect",
    "ExpectStep",
    "InjectFault",
    "MatchOrders",
    "OpBase",
    "Operation",
    "OrderFields",
    "ReplaceOrder",
    "Reset",
    "SetEngine",
    "SetOrder",
    "SetStatus",
    "SetVenue",
    "StartBot",
    "StopBot",
    "SubmitOrder",
    "SubmitQuote",
]

Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][\w.:/-]*$")]
#: upper bound of prices and quantities (and of their exponents)
LIMIT = Decimal("1e15")
#: upper bound of clock readings: the year 2100
MAX_NS = 4_102_444_800 * 10**9
Qty = Annotated[Decimal, Field(gt=0, le=LIMIT, allow_inf_nan=False)]
Price = Annotated[Decimal, Field(gt=0, le=LIMIT, allow_inf_nan=False)]
NonNegative = Annotated[Decimal, Field(ge=0, le=LIMIT, allow_inf_nan=False)]
Host = Annotated[
    str, Field(min_length=1, max_length=255, pattern=r"^(localhost|[0-9.]+|[0-9a-fA-F:]+)$")
]


class OpBase(BaseModel):
    """Base of every operation.

    :cvar journaled: whether the journal records the operation itself (configuration);
        operations that act through a venue's command path are journaled by the venue.
    """

    model_config = ConfigDict(extra="forbid")
    journaled: ClassVar[bool] = True


# --------------------------------------------------------------------- venues
class CreateVenue(OpBase):
    """Create a venue with its rules (``engine`` names its default engine)."""

    op: Literal["create_venue"] = "create_venue"
    name: Name
    settings: VenueSettings = Field(default_factory=lambda: VenueSettings.model_validate({}))


class DeleteVenue(OpBase):
    op: Literal["delete_venue"] = "delete_venue"
    name: str


class SetVenue(OpBase):
    """Change some of a venue's rules (the others keep their value)."""

    op: Literal["set_venue"] = "set_venue"
    name: str
    settings: dict[str, Any]


class CreateInstrument(OpBase):
    """Add an instrument to a venue, with its book."""

    op: Literal["create_instrument"] = "create_instrument"
    venue: str
    instrument: Instrument


class DeleteInstrument(OpBase):
    """Remove an instrument: its live orders are canceled and its book dropped."""

    op: Literal["delete_instrument"] = "delete_instrument"
    venue: str
    symbol: str


class SetEngine(OpBase):
    """Serve one book with another engine from now on (e.g. ``managed``)."""

    op: Literal["set_engine"] = "set_engine"
    venue: str
    symbol: str
    engine: str
    params: dict[str, Any] = Field(default_factory=dict)


class SetStatus(OpBase):
    """Halt, resume (open) or close one instrument, or every instrument of the venue."""

    op: Literal["set_status"] = "set_status"
    journaled: ClassVar[bool] = False
    venue: str
    symbol: str | None = None
    status: TradingStatus
    text: str = ""


# --------------------------------------------------------------------- endpoints
class CreateEndpoint(OpBase):
    """A listener of one venue speaking one registered protocol (port 0: any free port)."""

    op: Literal["create_endpoint"] = "create_endpoint"
    name: Name
    protocol: str
    venue: str
    host: Host = "127.0.0.1"
    port: int = Field(default=0, ge=0, le=65535)
    params: dict[str, Any] = Field(default_factory=dict)


class DeleteEndpoint(OpBase):
    op: Literal["delete_endpoint"] = "delete_endpoint"
    name: str


class CreateSession(OpBase):
    """An identity a client logs on as (CompIDs, a username...) on an endpoint."""

    op: Literal["create_session"] = "create_session"
    endpoint: str
    id: Name
    identity: dict[str, str] = Field(default_factory=dict)
    password: str | None = None
    role: Literal["order_entry", "drop_copy", "market_data"] = "order_entry"
    params: dict[str, Any] = Field(default_factory=dict)


class InjectFault(OpBase):
    """Ask a session's protocol to misbehave on purpose (protocol-specific faults)."""

    op: Literal["inject_fault"] = "inject_fault"
    journaled: ClassVar[bool] = False
    session: str
    fault: str
    params: dict[str, Any] = Field(default_factory=dict)


# --------------------------------------------------------------------- bots
class CreateBot(OpBase):
    """Create a bot of a registered kind; ``start`` starts it at once."""

    op: Literal["create_bot"] = "create_bot"
    kind: str
    venue: str
    symbol: str
    name: Name | None = None
    seed: int = Field(default=0, ge=0, le=2**63)
    params: dict[str, Any] = Field(default_factory=dict)
    start: bool = False


class ConfigureBot(OpBase):
    op: Literal["configure_bot"] = "configure_bot"
    name: str
    params: dict[str, Any]


class StartBot(OpBase):
    op: Literal["start_bot"] = "start_bot"
    name: str


class StopBot(OpBase):
    """Stop a bot; its live orders are canceled."""

    op: Literal["stop_bot"] = "stop_bot"
    name: str


class DeleteBot(OpBase):
    op: Literal["delete_bot"] = "delete_bot"
    name: str


# --------------------------------------------------------------------- orders
Side = Literal["buy", "sell"]
Peg = Literal["none", "primary", "market", "midpoint"]


def _tif(value: str) -> str:
    name = value.upper()
    if name not in TimeInForce.__members__:
        raise ValueError(
            f"unknown time in force {value!r}; known: {', '.join(TimeInForce.__members__)}"
        )
    return name


class OrderFields(BaseModel):
    """The fields of an order as a management client writes them (decimals)."""

    model_config = ConfigDict(extra="forbid")

    symbol: str | None = None
    side: Side | None = None
    qty: Qty | None = None
    price: Price | None = None
    ord_type: str | None = None
    tif: str | None = None
    cl_ord_id: str | None = Field(default=None, max_length=64)
    session: str | None = None
    account: str | None = None
    stop_price: Price | None = None
    display_qty: NonNegative | None = None
    min_qty: NonNegative | None = None
    post_only: bool | None = None
    peg: Peg | None = None
    peg_offset: int | None = Field(default=None, ge=-10_000, le=10_000)
    expire_ns: int | None = Field(default=None, ge=0, le=MAX_NS)

    _tif = field_validator("tif")(classmethod(lambda cls, v: v if v is None else _tif(v)))


class CreateOrder(OpBase):
    """Create an order draft (``submit`` sends it at once). Unset fields default to: a
    limit order, DAY, session ``api``, ``cl_ord_id`` the draft's id."""

    op: Literal["create_order"] = "create_order"
    journaled: ClassVar[bool] = False
    venue: str
    id: Name | None = None
    fields: OrderFields
    submit: bool = False


class SetOrder(OpBase):
    """Change fields of an order draft that has not been submitted."""

    op: Literal["set_order"] = "set_order"
    journaled: ClassVar[bool] = False
    id: str
    fields: OrderFields


class SubmitOrder(OpBase):
    op: Literal["submit_order"] = "submit_order"
    journaled: ClassVar[bool] = False
    id: str


class DeleteOrder(OpBase):
    """Forget an order draft (a submitted order is canceled with ``cancel_order``)."""

    op: Literal["delete_order"] = "delete_order"
    journaled: ClassVar[bool] = False
    id: str


class CancelOrder(OpBase):
    """Cancel a live order as its owner would (``leaves_qty``: reduce to that instead)."""

    op: Literal["cancel_order"] = "cancel_order"
    journaled: ClassVar[bool] = False
    venue: str
    order_id: int = Field(gt=0, le=2**63)
    leaves_qty: NonNegative | None = None
    cl_ord_id: str = ""


class ReplaceOrder(OpBase):
    """Replace a live order as its owner would (``qty`` is the new total quantity)."""

    op: Literal["replace_order"] = "replace_order"
    journaled: ClassVar[bool] = False
    venue: str
    order_id: int = Field(gt=0, le=2**63)
    qty: Qty | None = None
    price: Price | None = None
    stop_price: Price | None = None
    cl_ord_id: str = ""


# --------------------------------------------------------------------- quotes
class CreateQuote(OpBase):
    """Create a two-sided quote. Quotes are validated and stored; they do not trade yet."""

    op: Literal["create_quote"] = "create_quote"
    journaled: ClassVar[bool] = False
    venue: str
    id: Name
    symbol: str
    session: str = "api"
    bid_price: Price | None = None
    bid_qty: Qty | None = None
    ask_price: Price | None = None
    ask_qty: Qty | None = None


class SubmitQuote(OpBase):
    op: Literal["submit_quote"] = "submit_quote"
    journaled: ClassVar[bool] = False
    id: str


class DeleteQuote(OpBase):
    op: Literal["delete_quote"] = "delete_quote"
    journaled: ClassVar[bool] = False
    id: str


# --------------------------------------------------------------------- managed mode
Action = Literal[
    "ack",
    "reject",
    "fill",
    "cancel",
    "accept_cancel",
    "reject_cancel",
    "accept_replace",
    "reject_replace",
    "pass_through",
]


class Decide(OpBase):
    """Decide what happens to an order the managed engine holds.

    ``ack``, ``reject`` (``text``), ``fill`` (``qty`` at ``price``; several partial fills
    allowed), ``cancel`` (unsolicited), ``accept_cancel``/``reject_cancel`` and
    ``accept_replace``/``reject_replace`` (the oldest pending request of the order), and
    ``pass_through`` (price-time matching decides)."""

    op: Literal["decide"] = "decide"
    journaled: ClassVar[bool] = False
    venue: str
    order_id: int = Field(gt=0, le=2**63)
    action: Action
    qty: Qty | None = None
    price: Price | None = None
    text: str = ""


class MatchOrders(OpBase):
    """Cross two live orders of opposite sides at ``price`` for ``qty`` (one trade)."""

    op: Literal["match_orders"] = "match_orders"
    journaled: ClassVar[bool] = False
    venue: str
    symbol: str
    a: int = Field(gt=0, le=2**63, description="order id of the aggressor")
    b: int = Field(gt=0, le=2**63, description="order id of the resting side")
    price: Price
    qty: Qty


class BustTrade(OpBase):
    """Cancel a trade (FIX ExecType H): see the managed mode documentation."""

    op: Literal["bust_trade"] = "bust_trade"
    journaled: ClassVar[bool] = False
    venue: str
    trade_id: int = Field(gt=0, le=2**63)


class CorrectTrade(OpBase):
    """Correct a trade's price and quantity (FIX ExecType G); the quantity may not grow."""

    op: Literal["correct_trade"] = "correct_trade"
    journaled: ClassVar[bool] = False
    venue: str
    trade_id: int = Field(gt=0, le=2**63)
    price: Price
    qty: Qty


class ExpectStep(BaseModel):
    """One scripted decision: ``after_ms`` on the venue clock after the previous step."""

    model_config = ConfigDict(extra="forbid")

    action: Action
    qty: Qty | None = None
    price: Price | None = None
    text: str = ""
    after_ms: Annotated[Decimal, Field(ge=0, le=86_400_000, allow_inf_nan=False)] = Decimal(0)


class Expect(OpBase):
    """Script the next new order of a managed book (matching ``symbol``, ``side`` and
    ``session`` when given): its steps run in order. Expectations are consumed in the
    order they were registered; unused ones are reported by ``check``."""

    op: Literal["expect"] = "expect"
    journaled: ClassVar[bool] = False
    venue: str
    symbol: str | None = None
    side: Side | None = None
    session: str | None = None
    steps: list[ExpectStep] = Field(min_length=1, max_length=100)


# --------------------------------------------------------------------- time, reset
class AdvanceClock(OpBase):
    """Move a manual clock forward (by ``ns`` plus ``seconds``, or to ``to_ns``), running
    the timers that fall due on the way."""

    op: Literal["advance_clock"] = "advance_clock"
    journaled: ClassVar[bool] = False  # the daemon records where the clock arrived
    ns: int = Field(default=0, ge=0, le=MAX_NS)
    seconds: Annotated[Decimal, Field(ge=0, le=10**9, allow_inf_nan=False)] = Decimal(0)
    to_ns: int | None = Field(default=None, ge=0, le=MAX_NS)


class Reset(OpBase):
    """Back to the start configuration: every venue, book, order, bot and endpoint is
    rebuilt from it; drafts, quotes, expectations and errors are forgotten, and so is what
    protocols persisted (sequence numbers start again at 1, resend logs are empty)."""

    op: Literal["reset"] = "reset"
    journaled: ClassVar[bool] = False  # a reset restarts the journal


Operation = Annotated[
    CreateVenue
    | DeleteVenue
    | SetVenue
    | CreateInstrument
    | DeleteInstrument
    | SetEngine
    | SetStatus
    | CreateEndpoint
    | DeleteEndpoint
    | CreateSession
    | InjectFault
    | CreateBot
    | ConfigureBot
    | StartBot
    | StopBot
    | DeleteBot
    | CreateOrder
    | SetOrder
    | SubmitOrder
    | DeleteOrder
    | CancelOrder
    | ReplaceOrder
    | CreateQuote
    | SubmitQuote
    | DeleteQuote
    | Decide
    | MatchOrders
    | BustTrade
    | CorrectTrade
    | Expect
    | AdvanceClock
    | Reset,
    Field(discriminator="op"),
]
"""Any operation; ``op`` says which."""
