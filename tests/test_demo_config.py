"""``exsim serve --config examples/demo.toml``, the README's first command, runs a living
market: every instrument trades within seconds of wall time, its book never crosses,
and a FIX 4.4 client (CLIENT → EXSIM) and an OUCH 4.2 client (CLIENT / secret) can
connect and trade at once."""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import anyio
import pytest
from configs import with_free_ports

from exsim_core import Client, spawn
from exsim_core.client import DaemonProcess
from exsim_fix.testing import FixClient, field

pytestmark = pytest.mark.slow

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo.toml"
SYMBOLS = {"ACME", "ACME-20261218-C-100", "EURUSD"}
TRADES_WITHIN_S = 20.0


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DaemonProcess, Client]]:
    config = with_free_ports(DEMO, tmp_path_factory.mktemp("demo"))
    with spawn(config) as process, process.client() as client:
        yield process, client


def _uncrossed(client: Client, symbol: str) -> bool:
    book = client.book("XSIM", symbol, depth=1)
    if not book["bids"] or not book["asks"]:
        return True
    return Decimal(book["bids"][0]["price"]) < Decimal(book["asks"][0]["price"])


def test_every_instrument_trades_within_seconds_and_no_book_crosses(
    demo: tuple[DaemonProcess, Client],
) -> None:
    _, client = demo
    assert {b["symbol"] for b in client.bots()} == SYMBOLS
    assert {b["params"]["level"] for b in client.bots()} == {"slow"}
    traded: set[str] = set()
    checked = 0
    deadline = time.monotonic() + TRADES_WITHIN_S
    while traded != SYMBOLS and time.monotonic() < deadline:
        for event in client.events(timeout=max(0.0, deadline - time.monotonic())):
            if event["kind"] == "trade":
                traded.add(event["symbol"])
                assert _uncrossed(client, event["symbol"]), client.book("XSIM", event["symbol"])
                checked += 1
    assert traded == SYMBOLS, f"no trade within {TRADES_WITHIN_S} s on {SYMBOLS - traded}"
    for symbol in SYMBOLS:
        assert _uncrossed(client, symbol), client.book("XSIM", symbol)
    assert checked >= len(SYMBOLS)


def test_a_fix44_client_logs_on_as_client_and_trades_with_the_bots(
    demo: tuple[DaemonProcess, Client],
) -> None:
    process, client = demo
    port = process.port("fix44")

    async def trade() -> tuple[bytes | None, bytes | None]:
        fix = await FixClient.connect(port, sender="CLIENT", target="EXSIM")
        try:
            logon = await fix.logon(reset=True)
            assert logon is not None
            await fix.new_order("demo-1", 1, 1, None, "ACME", "1", (59, "3"))  # market IOC
            while True:
                report = await fix.expect("8", timeout=10)
                if field(report, 150) in ("F", "4", "8"):
                    return report.get(150), report.get(32)
        finally:
            await fix.close()

    exec_type, last_qty = anyio.run(trade)
    assert (exec_type, last_qty) == (b"F", b"1")
    trades = client.trades("XSIM", symbol="ACME")
    assert any(t["buy"]["session"] == "CLIENT" for t in trades)


def _soup(sock: socket.socket, ptype: bytes, payload: bytes = b"") -> None:
    sock.sendall(struct.pack(">H", len(payload) + 1) + ptype + payload)


def _receive(sock: socket.socket) -> tuple[bytes, bytes]:
    head = _exactly(sock, 2)
    body = _exactly(sock, struct.unpack(">H", head)[0])
    return body[:1], body[1:]


def _exactly(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError("the venue closed the connection")
        data += chunk
    return data


def test_an_ouch42_client_logs_in_as_client_with_its_password_and_enters_an_order(
    demo: tuple[DaemonProcess, Client],
) -> None:
    process, _ = demo
    with socket.create_connection(("127.0.0.1", process.port("ouch42")), timeout=10) as sock:
        login = b"CLIENT" + b"secret".ljust(10) + b"".ljust(10) + b"1".rjust(20)
        _soup(sock, b"L", login)
        ptype, _ = _receive(sock)
        assert ptype == b"A"  # Login Accepted
        enter = (
            b"O"
            + b"demo1".ljust(14)
            + b"B"
            + struct.pack(">I", 10)
            + b"ACME".ljust(8)
            + struct.pack(">II", 500_000, 99_998)  # 50.0000, a DAY order: it rests
            + b"".ljust(4)
            + b"YAN"
            + struct.pack(">I", 0)
            + b"N "
        )
        _soup(sock, b"U", enter)
        for _ in range(100):
            ptype, message = _receive(sock)
            if ptype == b"S" and message[:1] == b"A":  # Sequenced Data: Accepted
                break
        else:
            raise AssertionError("no Accepted for the Enter Order")
        assert message[9:23].rstrip() == b"demo1"
