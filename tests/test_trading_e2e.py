"""A test configures a venue entirely through the client, trades through an endpoint of
a protocol plugin, and reads acks, fills and trades back — against a spawned daemon and
against the in-process one, with the same test body."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from lineclient import LineClient

from exsim_core import Client

EMPTY = {"simulator": {"clock": "manual", "plugins": ["exsim_lineproto"]}}


@pytest.fixture(params=["in-process", "subprocess"])
def bare(request: pytest.FixtureRequest, make_exsim: Any) -> Iterator[tuple[Any, Client]]:
    server = make_exsim(EMPTY, process=request.param == "subprocess")
    with server.client() as client:
        yield server, client


def _configure(client: Client) -> int:
    client.create_venue("LIT", stp_mode="off")
    client.create_instrument("LIT", "WIDG", tick_size="0.05", lot_size="10")
    endpoint = client.create_endpoint("orders", "line", "LIT")
    client.create_session("orders", "maker", {"username": "maker"})
    client.create_session("orders", "taker", {"username": "taker"})
    return int(endpoint["port"])


def test_orders_sent_through_an_endpoint_come_back_as_acks_fills_and_trades(
    bare: tuple[Any, Client],
) -> None:
    _server, client = bare
    port = _configure(client)
    assert port > 0
    with LineClient(port) as maker, LineClient(port) as taker:
        assert maker.logon("maker") == "LOGON OK maker"
        assert taker.logon("taker") == "LOGON OK taker"
        maker.send("NEW m1 WIDG SELL 100 20.05")
        assert maker.expect("ACK m1").startswith("ACK m1 ")
        taker.send("NEW t1 WIDG BUY 30 20.10")
        assert taker.expect("ACK t1")
        assert taker.expect("FILL t1") == "FILL t1 30 20.05 0 1"
        assert maker.expect("FILL m1") == "FILL m1 30 20.05 70 1"
    trade = client.wait_for(lambda e: e["kind"] == "trade", timeout=5)
    assert (trade["price"], trade["qty"], trade["aggressor"]) == ("20.05", "30", "buy")
    assert trade["buy"]["session"] == "taker"
    assert trade["sell"]["session"] == "maker"
    assert client.book("LIT", "WIDG")["asks"] == [{"price": "20.05", "qty": "70", "count": 1}]


def test_a_management_order_trades_with_a_session_order(bare: tuple[Any, Client]) -> None:
    _server, client = bare
    port = _configure(client)
    with LineClient(port) as maker:
        maker.logon("maker")
        maker.send("NEW m1 WIDG SELL 50 20.00")
        maker.expect("ACK m1")
        result = client.submit("LIT", "WIDG", "buy", "50", "20.00", session="desk")
        assert result["order"]["status"] == "filled"
        assert maker.expect("FILL m1") == "FILL m1 50 20.00 0 1"


def test_a_bad_line_gets_an_error_and_the_session_keeps_trading(bare: tuple[Any, Client]) -> None:
    _server, client = bare
    port = _configure(client)
    with LineClient(port) as taker:
        taker.logon("taker")
        taker.send("NEW t1 WIDG SIDEWAYS 10 20.00")
        assert taker.expect("ERROR").startswith("ERROR bad NEW")
        taker.send("NEW t2 WIDG BUY 10 20.00")
        assert taker.expect("ACK t2")


def test_an_order_off_tick_is_rejected_with_the_venue_reason(bare: tuple[Any, Client]) -> None:
    _server, client = bare
    port = _configure(client)
    with LineClient(port) as taker:
        taker.logon("taker")
        taker.send("NEW t1 WIDG BUY 10 20.01")
        assert (
            taker.expect("REJECT t1")
            == "REJECT t1 price is not a multiple of the instrument's tick size"
        )


def test_one_connection_failing_leaves_the_others_trading(bare: tuple[Any, Client]) -> None:
    _server, client = bare
    port = _configure(client)
    with LineClient(port) as maker, LineClient(port) as taker:
        maker.logon("maker")
        taker.logon("taker")
        maker.send("X" * 5000)  # longer than a line may be: that connection is closed
        assert maker.expect("ERROR") == "ERROR line too long"
        with pytest.raises((EOFError, ConnectionError)):
            maker.recv()
        taker.send("NEW t1 WIDG BUY 10 20.00")
        assert taker.expect("ACK t1")
    assert client.health() == {"status": "ok"}


def test_an_injected_disconnect_closes_that_session_only(bare: tuple[Any, Client]) -> None:
    _server, client = bare
    port = _configure(client)
    with LineClient(port) as maker, LineClient(port) as taker:
        maker.logon("maker")
        taker.logon("taker")
        client.inject_fault("maker", "disconnect")
        with pytest.raises((EOFError, ConnectionError)):
            maker.recv()
        taker.send("NEW t1 WIDG BUY 10 20.00")
        assert taker.expect("ACK t1")
    sessions = {s["id"]: s["connected"] for s in client.sessions()}
    assert sessions["maker"] is False


def test_a_symbol_with_a_slash_is_reachable_through_the_api(bare: tuple[Any, Client]) -> None:
    _server, client = bare
    client.create_venue("FX")
    client.create_instrument(
        "FX", "EUR/USD", asset_class="fx_spot", pair="EUR/USD", tick_size="0.00001"
    )
    client.set_status("FX", "halted", symbol="EUR/USD", text="fixing")
    book = client.book("FX", "EUR/USD")
    assert book["symbol"] == "EUR/USD"
    assert book["status"] == "halted"
    client.set_engine("FX", "EUR/USD", "managed")
    client.delete_instrument("FX", "EUR/USD")
    assert client.venue("FX")["instruments"] == []
