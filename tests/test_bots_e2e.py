"""Bots driven through a spawned ``exsim serve``: created by the configuration file or
the management API, configured, started, stopped, moved between activity levels while
they run, trading with a client over a wire session, and reporting their orders,
position and P&L. The daemon runs on a manual clock, so every run is the same."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from lineclient import LineClient

from exsim_core import Client, spawn
from exsim_core.client import DaemonProcess, InvalidRequest, NotFoundError

CONFIG: dict[str, Any] = {
    "simulator": {"clock": "manual", "seed": 7, "plugins": ["exsim_lineproto"]},
    "venues": [
        {
            "name": "XSIM",
            "instruments": [
                {"asset_class": "equity", "symbol": "ACME", "reference_price": "100.00"},
                {"asset_class": "equity", "symbol": "BUSY", "reference_price": "50.00"},
            ],
        }
    ],
    "endpoints": [
        {
            "name": "orders",
            "protocol": "line",
            "venue": "XSIM",
            "sessions": [{"id": "client", "identity": {"username": "client"}}],
        }
    ],
    "bots": [
        {
            "kind": "activity",
            "venue": "XSIM",
            "symbol": "BUSY",
            "name": "busy",
            "seed": 1,
            "params": {"level": "slow"},
            "start": True,
        }
    ],
}


@pytest.fixture(scope="module")
def daemon() -> Iterator[tuple[DaemonProcess, Client]]:
    with spawn(CONFIG) as process, process.client() as client:
        yield process, client


@pytest.fixture
def client(daemon: tuple[DaemonProcess, Client]) -> Client:
    _, client = daemon
    client.reset()
    return client


def _report(client: Client, name: str) -> dict[str, Any]:
    (report,) = [b for b in client.bots() if b["name"] == name]
    return report


def test_a_bot_of_the_configuration_trades_from_the_start(client: Client) -> None:
    assert _report(client, "busy")["running"] is True
    client.advance_clock(seconds=10)
    report = _report(client, "busy")
    assert report["orders_sent"] > 0
    assert report["live_orders"] > 0
    book = client.book("XSIM", "BUSY")
    assert book["bids"]
    assert book["asks"]
    assert Decimal(book["bids"][0]["price"]) < Decimal(book["asks"][0]["price"])


def test_changing_the_activity_level_of_a_running_bot_changes_its_pace_at_once(
    client: Client,
) -> None:
    client.advance_clock(seconds=10)
    slow = _report(client, "busy")["orders_sent"]
    client.configure_bot("busy", level="fast")
    client.advance_clock(seconds=10)
    fast = _report(client, "busy")["orders_sent"] - slow
    assert fast > 10 * slow
    report = client.configure_bot("busy", level="none")
    assert report["params"]["level"] == "none"
    assert report["live_orders"] == 0
    sent = report["orders_sent"]
    client.advance_clock(seconds=5)
    assert _report(client, "busy")["orders_sent"] == sent
    assert client.orders("XSIM", symbol="BUSY") == []


def test_a_bot_created_through_the_api_waits_for_start(client: Client) -> None:
    report = client.create_bot("market_maker", "XSIM", "ACME", name="mm", seed=3)
    assert (report["name"], report["kind"], report["running"]) == ("mm", "market_maker", False)
    client.advance_clock(seconds=5)
    assert client.book("XSIM", "ACME")["bids"] == []
    assert client.start_bot("mm")["running"] is True
    client.advance_clock(seconds=1)
    book = client.book("XSIM", "ACME")
    assert book["bids"]
    assert book["asks"]
    live = _report(client, "mm")["orders"]
    assert sorted(o["order_id"] for o in live) == sorted(
        o["order_id"] for o in client.orders("XSIM", session="mm")
    )


def test_a_bot_trading_with_a_client_reports_its_position_and_pnl(
    client: Client, daemon: tuple[DaemonProcess, Client]
) -> None:
    process, _ = daemon
    client.create_bot("market_maker", "XSIM", "ACME", name="mm", seed=3, start=True)
    client.advance_clock(seconds=1)
    with LineClient(process.port("orders")) as line:
        assert line.logon("client") == "LOGON OK client"
        line.send("NEW b1 ACME BUY 2 - IOC market")
        _, _, bought, buy_px, *_ = line.expect("FILL b1").split()
        client.advance_clock(seconds=1)
        line.send("NEW s1 ACME SELL 1 - IOC market")
        _, _, sold, sell_px, *_ = line.expect("FILL s1").split()
    assert (bought, sold) == ("2", "1")
    report = _report(client, "mm")
    assert report["fills"] == 2
    assert Decimal(report["position"]) == -1
    # cash from the two trades, the position marked at the last trade (the sale)
    cash = 2 * Decimal(buy_px) - 1 * Decimal(sell_px)
    assert Decimal(report["pnl"]) == cash - 1 * Decimal(sell_px)


def test_reconfiguring_a_running_bot_applies_at_its_next_quote(client: Client) -> None:
    client.create_bot("market_maker", "XSIM", "ACME", name="mm", seed=3, start=True)
    client.advance_clock(seconds=1)
    assert {o["leaves"] for o in _report(client, "mm")["orders"]} == {"2"}
    assert client.configure_bot("mm", qty_lots=3)["params"]["qty_lots"] == 3
    client.advance_clock(seconds=1)
    assert {o["leaves"] for o in _report(client, "mm")["orders"]} == {"3"}


def test_a_bad_parameter_is_refused_with_its_name_and_changes_nothing(client: Client) -> None:
    client.create_bot("market_maker", "XSIM", "ACME", name="mm", seed=3, start=True)
    with pytest.raises(InvalidRequest, match="qty_lot"):
        client.configure_bot("mm", qty_lot=3)
    assert _report(client, "mm")["params"]["qty_lots"] == 2
    assert _report(client, "mm")["running"] is True


def test_stopping_a_bot_cancels_its_orders_and_it_sends_no_more(client: Client) -> None:
    client.create_bot("market_maker", "XSIM", "ACME", name="mm", seed=3, start=True)
    client.advance_clock(seconds=1)
    report = client.stop_bot("mm")
    assert (report["running"], report["live_orders"]) == (False, 0)
    client.advance_clock(seconds=5)
    assert _report(client, "mm")["orders_sent"] == report["orders_sent"]
    assert client.book("XSIM", "ACME")["bids"] == []
    assert client.start_bot("mm")["running"] is True
    client.advance_clock(seconds=1)
    assert client.book("XSIM", "ACME")["bids"] != []


def test_a_deleted_bot_is_gone_and_its_orders_with_it(client: Client) -> None:
    client.create_bot("market_maker", "XSIM", "ACME", name="mm", seed=3, start=True)
    client.advance_clock(seconds=1)
    client.delete_bot("mm")
    assert "mm" not in [b["name"] for b in client.bots()]
    assert client.orders("XSIM", symbol="ACME") == []
    with pytest.raises(NotFoundError):
        client.start_bot("mm")
