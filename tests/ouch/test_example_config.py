"""examples/ouch.toml as a user runs it: ``exsim config check`` passes, and ``exsim
serve`` on it listens on every endpoint, reports their ports by name in the ready file,
lets OUCH 4.2 and OUCH 5.0 clients trade with each other and publishes the trade over
ITCH, on SoupBinTCP and on MoldUDP64.

The served file is the example itself with only the MoldUDP64 destination changed to
this test's UDP receiver."""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterator
from pathlib import Path

import ouch50wire as w50
import ouchwire as w42
import pytest
from click.testing import CliRunner
from itchbook import ItchBook
from ouchclients import OuchClient
from soupwire import SoupClient

from exsim_core import DaemonProcess, spawn
from exsim_core.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ouch.toml"
DEST = "dest_port = 31001"


@pytest.fixture(scope="module")
def receiver() -> Iterator[socket.socket]:
    """The UDP socket the MoldUDP64 feed is sent to."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(15)
        yield sock


@pytest.fixture(scope="module")
def daemon(
    receiver: socket.socket, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DaemonProcess]:
    text = EXAMPLE.read_text()
    assert DEST in text
    config = tmp_path_factory.mktemp("example") / "ouch.toml"
    config.write_text(text.replace(DEST, f"dest_port = {receiver.getsockname()[1]}"))
    with spawn(config) as process:
        yield process


def test_the_example_passes_config_check() -> None:
    result = CliRunner().invoke(main, ["config", "check", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "4 endpoints, 5 sessions, 0 bots" in result.output


def test_the_ready_file_reports_each_endpoint_port_by_name(daemon: DaemonProcess) -> None:
    endpoints = daemon.info["endpoints"]
    assert {name: e["protocol"] for name, e in endpoints.items()} == {
        "ouch42": "ouch42",
        "ouch50": "ouch50",
        "itch": "itch50",
        "mold": "itch50_mold",
    }
    ports = [e["port"] for e in endpoints.values()]
    assert all(p > 0 for p in ports)
    assert len(set(ports)) == 4


def test_the_venue_trades_two_equities_by_price_time_without_stp_or_bots(
    daemon: DaemonProcess,
) -> None:
    with daemon.client() as client:
        venue = client.venue("XNAS")
        instruments = client.instruments("XNAS")
        bots = client.bots()
        logins = {s["id"]: (s["endpoint"], s["identity"]["username"]) for s in client.sessions()}
    assert (venue["settings"]["engine"], venue["settings"]["stp_mode"]) == ("price_time", "off")
    fields = ("asset_class", "symbol", "tick_size", "lot_size")
    assert [tuple(i[f] for f in fields) for i in instruments] == [
        ("equity", "ACME", "0.01", "1"),
        ("equity", "WIDG", "0.01", "1"),
    ]
    assert bots == []
    assert sorted(logins.values()) == [
        ("itch", "FEED"),
        ("ouch42", "CLIENT"),
        ("ouch42", "CLNT2"),
        ("ouch50", "CLIENT"),
        ("ouch50", "CLNT2"),
    ]


@pytest.mark.anyio
async def test_ouch42_and_ouch50_clients_trade_and_itch_publishes_the_trade(
    daemon: DaemonProcess,
) -> None:
    seller = await OuchClient.login(daemon.port("ouch42"), "CLIENT")
    buyer = await OuchClient.login(daemon.port("ouch50"), "CLNT2", "5.0")
    feed = await SoupClient.connect(daemon.port("itch"))
    await feed.login("FEED", "secret", sequence=1)
    try:
        await seller.send(w42.enter("EXAMPLE1", "S", 300, "WIDG", 250000, display="A"))
        [accepted] = await seller.settle()
        assert (accepted["type"], accepted["firm"]) == ("A", "CLNT")
        await buyer.send(w50.account_query())
        urn = (await buyer.settle())[0]["next_urn"]
        await buyer.send(w50.enter(urn, "B", 100, "WIDG", 250100, tif="3"))
        bought = await buyer.settle()
        assert [m["type"] for m in bought] == ["A", "E"]
        executed = bought[1]
        assert (executed["qty"], executed["price"], executed["liquidity"]) == (100, 250000, "R")
        sold = await seller.settle()
        assert [(m["type"], m["shares"], m["match"]) for m in sold] == [
            ("E", 100, executed["match"])
        ]
        book = ItchBook()
        while not book.trades:
            book.apply(await feed.sequenced(15))
        assert book.trades == [(executed["match"], 100, 250000)]
        [resting] = book.orders.values()
        assert (resting.stock, resting.side, resting.shares, resting.mpid) == (
            "WIDG",
            "S",
            200,
            "CLNT",
        )
        assert resting.orn == accepted["orn"]
    finally:
        for client in (seller, buyer):
            await client.logout()
        await feed.aclose()


def test_the_moldudp64_feed_reaches_its_destination_with_the_start_of_day(
    daemon: DaemonProcess, receiver: socket.socket
) -> None:
    messages: list[bytes] = []
    session = b""
    while len(messages) < 7:
        packet = receiver.recv(65536)
        session, first, count = struct.unpack(">10sQH", packet[:20])
        if first != len(messages) + 1 or count in (0, 0xFFFF):
            continue  # a heartbeat, or a packet after the start of day
        pos = 20
        for _ in range(count):
            (length,) = struct.unpack(">H", packet[pos : pos + 2])
            messages.append(packet[pos + 2 : pos + 2 + length])
            pos += 2 + length
    book = ItchBook()
    for message in messages[:7]:
        book.apply(message)
    assert book.events == ["O", "S", "Q"]
    assert sorted(book.stocks.values()) == ["ACME", "WIDG"]
    assert book.states == {"ACME": "T", "WIDG": "T"}
    assert len(session.strip()) == 10
    mold = daemon.port("mold")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as asker:
        asker.settimeout(15)
        asker.sendto(session + struct.pack(">QH", 4, 1), ("127.0.0.1", mold))
        answer = asker.recv(65536)
    assert struct.unpack(">10sQH", answer[:20]) == (session, 4, 1)
    assert answer[22:23] == b"R"
