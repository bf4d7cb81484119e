"""The client: typed errors that name the problem, the same methods in-process, and
exactly the public names it documents."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import exsim_core.client
from exsim_core import Client
from exsim_core.client import (
    ConflictError,
    InvalidRequest,
    NotFoundError,
    Unauthorized,
    WaitTimeout,
)
from exsim_core.inprocess import InProcessServer

CONFIG = {
    "simulator": {"clock": "manual"},
    "venues": [{"name": "X", "instruments": [{"asset_class": "equity", "symbol": "A"}]}],
}


@pytest.fixture(scope="module")
def server() -> Iterator[InProcessServer]:
    with InProcessServer(CONFIG, token="t0k") as srv:
        yield srv


@pytest.fixture
def client(server: InProcessServer) -> Iterator[Client]:
    with server.client() as c:
        c.reset()
        yield c


def test_an_invalid_field_is_named_in_the_error(client: Client) -> None:
    with pytest.raises(InvalidRequest) as info:
        client.submit("X", "A", "buy", "1.5", "10.00")
    assert info.value.status == 422
    assert info.value.detail[0]["loc"] == ["body", "fields", "qty"]
    assert "fields.qty: 1.5 is finer" in str(info.value)


def test_an_unknown_venue_is_not_found(client: Client) -> None:
    with pytest.raises(NotFoundError, match="no venue named 'Y'"):
        client.venue("Y")


def test_a_second_venue_of_one_name_is_a_conflict(client: Client) -> None:
    with pytest.raises(ConflictError):
        client.create_venue("X")


def test_a_wrong_token_is_unauthorized(server: InProcessServer) -> None:
    with server.client(token="wrong") as c:
        with pytest.raises(Unauthorized):
            c.venues()
        assert c.health() == {"status": "ok"}


def test_events_and_wait_for_see_what_happened(client: Client) -> None:
    client.cursor = client.poll(0)["last"]
    client.submit("X", "A", "buy", "10", "10.00")
    accepted = client.wait_for(lambda e: e["kind"] == "accepted", timeout=5)
    assert accepted["order"]["symbol"] == "A"
    with pytest.raises(WaitTimeout):
        client.wait_for(lambda e: e["kind"] == "trade", timeout=0.2)


def test_the_client_package_exports_exactly_its_public_api() -> None:
    public = {n for n in dir(exsim_core.client) if not n.startswith(("_", "@"))}
    modules = {"aio", "api", "errors", "process", "sync", "transport", "annotations"}
    assert public - modules == set(exsim_core.client.__all__)


def test_a_body_over_a_megabyte_is_refused_with_413(server: InProcessServer) -> None:
    with server.client() as c:
        response = c._http.post("/v1/ops", content=b"x" * (2 << 20))
    assert response.status_code == 413
    assert response.json()["detail"][0]["type"] == "too_large"


def test_a_client_that_fell_behind_is_told_which_events_it_missed() -> None:
    config = CONFIG | {"server": {"event_bound": 10}}
    with InProcessServer(config) as srv, srv.client() as c:
        for i in range(5):
            c.submit("X", "A", "buy", 1, f"{9 + i}.00")
        events = c.events(after=0)
        assert events[0]["kind"] == "dropped"
        assert (events[0]["from"], events[0]["to"]) == (1, events[1]["cursor"] - 1)
        assert [e["cursor"] for e in events[1:]] == list(range(events[1]["cursor"], c.cursor + 1))
        assert len(events) == 11
