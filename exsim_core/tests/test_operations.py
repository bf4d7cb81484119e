"""Operations validate everything first: a rejected one changes nothing, and its error
names the field."""

from __future__ import annotations

import pytest

from exsim_core import Protocol, Registrar, hookimpl
from exsim_core.daemon import Daemon
from exsim_core.errors import Conflict, InvalidField, NotFound
from exsim_core.ops import (
    CreateEndpoint,
    CreateInstrument,
    CreateOrder,
    CreateVenue,
    DeleteVenue,
    OrderFields,
    SetVenue,
)
from exsim_core.testing import register_plugin


@pytest.fixture
def daemon() -> Daemon:
    d = Daemon(clock="manual", autoload=False)
    d.execute(CreateVenue(name="X"))
    d.execute(
        CreateInstrument.model_validate(
            {"venue": "X", "instrument": {"asset_class": "equity", "symbol": "A"}}
        )
    )
    return d


def _fields(**kw: str) -> OrderFields:
    return OrderFields.model_validate(
        {"symbol": "A", "side": "buy", "qty": "10", "price": "1.00"} | kw
    )


def test_a_quantity_finer_than_the_lot_names_its_field_and_creates_nothing(daemon: Daemon) -> None:
    with pytest.raises(InvalidField) as info:
        daemon.execute(CreateOrder(venue="X", fields=_fields(qty="1.5"), submit=True))
    assert info.value.loc == ("fields", "qty")
    assert daemon.drafts == {}
    assert daemon.simulator.venue("X").last_order_id == 0


def test_an_unknown_symbol_names_its_field(daemon: Daemon) -> None:
    with pytest.raises(InvalidField) as info:
        daemon.execute(CreateOrder(venue="X", fields=_fields(symbol="ZZZ"), submit=True))
    assert info.value.loc == ("fields", "symbol")
    assert "it trades: A" in info.value.message


def test_a_bad_venue_setting_leaves_the_rules_as_they_were(daemon: Daemon) -> None:
    venue = daemon.simulator.venue("X")
    before = venue.settings
    with pytest.raises(ValueError, match="unknown time in force"):
        daemon.execute(SetVenue(name="X", settings={"tifs": ["DAY", "FOREVER"]}))
    assert venue.settings == before


def test_a_duplicate_draft_is_a_conflict(daemon: Daemon) -> None:
    daemon.execute(CreateOrder(venue="X", id="d1", fields=_fields()))
    with pytest.raises(Conflict):
        daemon.execute(CreateOrder(venue="X", id="d1", fields=_fields()))


def test_an_unknown_venue_is_not_found(daemon: Daemon) -> None:
    with pytest.raises(NotFound, match="venues: X"):
        daemon.execute(CreateOrder(venue="Y", fields=_fields()))


class _Quiet(Protocol):
    name = "quiet"
    transport = "none"


class _QuietPlugin:
    @hookimpl
    def exsim_register_protocols(self, registry: Registrar) -> None:
        registry.add(_Quiet)


def test_a_venue_in_use_cannot_be_deleted(daemon: Daemon) -> None:
    register_plugin(daemon.simulator, _QuietPlugin())
    daemon.execute(CreateEndpoint(name="e", protocol="quiet", venue="X"))
    with pytest.raises(Conflict, match="used by e"):
        daemon.execute(DeleteVenue(name="X"))
    assert list(daemon.simulator.venues) == ["X"]


class _Broken(Protocol):
    name = "broken"

    def __init__(self, endpoint: object, context: object) -> None:
        raise RuntimeError("cannot start")


class _BrokenPlugin:
    @hookimpl
    def exsim_register_protocols(self, registry: Registrar) -> None:
        registry.add(_Broken)


@pytest.mark.anyio
async def test_an_endpoint_that_cannot_start_is_refused_and_forgotten() -> None:
    import anyio

    from exsim_core.daemon import ServeOptions, serve

    d = Daemon(clock="manual", autoload=False)
    register_plugin(d.simulator, _BrokenPlugin())
    d.execute(CreateVenue(name="X"))
    with anyio.fail_after(20):
        async with anyio.create_task_group() as tg:
            await tg.start(serve, d, ServeOptions(http=False, signals=False))
            assert d.runtime is not None
            with pytest.raises(Conflict, match="could not start"):
                await d.runtime.execute(CreateEndpoint(name="e", protocol="broken", venue="X"))
            assert d.simulator.endpoints == {}
            d.runtime.stop()
