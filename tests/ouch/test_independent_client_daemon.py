"""A spawned ``exsim serve`` driven by an independent client: Nasdaq's own SoupBinTCP
client (the ``nasdaq-protocols`` package) carrying OUCH 4.2 messages written field by
field from the specification (``ouchwire``). Logon, orders of each kind, replace,
modify, cancel, and a re-login that replays what happened while the client was away,
with the venue's clock advanced through the management API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import ouchwire as w
import pytest
from nasdaq_protocols import soup
from ouchclients import TIMEOUT, summary

from exsim_core import Client, DaemonProcess, spawn

pytestmark = pytest.mark.anyio

CONFIG: dict[str, Any] = {
    "simulator": {"clock": "manual"},
    "venues": [
        {
            "name": "XNAS",
            "stp_mode": "off",
            "instruments": [
                {"asset_class": "equity", "symbol": s, "tick_size": "0.01"}
                for s in ("ACME", "WIDG")
            ],
        }
    ],
    "endpoints": [
        {
            "name": "OUCH",
            "protocol": "ouch42",
            "venue": "XNAS",
            "sessions": [
                {
                    "id": "client",
                    "identity": {"username": "CLIENT"},
                    "password": "secret",
                    "params": {"firm": "GSCO"},
                },
                {"id": "clnt2", "identity": {"username": "CLNT2"}, "password": "secret"},
            ],
        }
    ],
}


@pytest.fixture(scope="module")
def daemon() -> Iterator[DaemonProcess]:
    with spawn(CONFIG) as process:
        yield process


@pytest.fixture
def api(daemon: DaemonProcess) -> Iterator[Client]:
    with daemon.client() as client:
        yield client


async def connect(port: int, user: str, sequence: int = 1) -> soup.SoupClientSession:
    with anyio.fail_after(TIMEOUT):
        return await soup.connect_async(("127.0.0.1", port), user, "secret", sequence=sequence)


async def settle(session: soup.SoupClientSession) -> list[dict[str, Any]]:
    """Every OUCH message the daemon sends until it has handled all sent so far: an
    unknown message type is answered with a Debug packet, after everything before it."""
    session.send_unseq_data(b"?")
    got = []
    with anyio.fail_after(TIMEOUT):
        while True:
            msg = await session.receive_msg()
            if isinstance(msg, soup.Debug):
                return got
            if isinstance(msg, soup.SequencedData):
                got.append(w.parse(msg.data))


async def test_logon_is_accepted_and_the_day_starts_with_a_system_event(
    daemon: DaemonProcess,
) -> None:
    session = await connect(daemon.port("OUCH"), "CLNT2")
    assert session.session_id.session == "2026010501"
    assert summary(await settle(session))[0] == ("S", "S")
    await session.close()


async def test_a_wrong_password_is_refused(daemon: DaemonProcess) -> None:
    with pytest.raises(ConnectionRefusedError), anyio.fail_after(TIMEOUT):
        await soup.connect_async(("127.0.0.1", daemon.port("OUCH")), "CLIENT", "wrong")


async def test_orders_of_each_kind_replace_modify_cancel_and_replay(
    daemon: DaemonProcess, api: Client
) -> None:
    port = daemon.port("OUCH")
    session = await connect(port, "CLIENT", sequence=0)

    # passive orders of each kind: limit, attributable, post-only, sell short, GTD in
    # seconds, minimum quantity; then a midpoint peg between 10.00 and 10.20
    for message in (
        w.enter("LIMIT1", "B", 100, "ACME", 100000),
        w.enter("ATTR1", "S", 100, "ACME", 102000, display="A"),
        w.enter("POST1", "S", 100, "ACME", 102500, display="P"),
        w.enter("SHORT1", "T", 100, "ACME", 103000),
        w.enter("GTD1", "B", 100, "ACME", 99000, tif=30),
        w.enter("MINQ1", "B", 200, "ACME", 99500, min_qty=100),
        w.enter("PEG1", "B", 100, "ACME", 101500, display="M"),
        w.enter("BAD1", "B", 100, "ACME", 100001),
    ):
        session.send_unseq_data(message)
    accepted = await settle(session)
    assert summary(accepted) == [
        ("A", "LIMIT1"), ("A", "ATTR1"), ("A", "POST1"), ("A", "SHORT1"), ("A", "GTD1"),
        ("A", "MINQ1"), ("A", "PEG1"), ("J", "BAD1", "X"),
    ]  # fmt: skip
    assert accepted[1]["firm"] == "GSCO"
    assert api.book("XNAS", "ACME")["bids"][0] == {"price": "10.10", "qty": "100", "count": 1}

    # an IOC buy takes 50 of ATTR1 at 10.20; a market sell takes 20 of PEG1 at 10.10
    session.send_unseq_data(w.enter("IOC1", "B", 50, "ACME", 102000, tif=0))
    session.send_unseq_data(w.enter("MKT1", "S", 20, "ACME", 0x7FFFFFFF, tif=0))
    assert summary(await settle(session)) == [
        ("A", "IOC1"), ("E", "IOC1", 50, 102000, "R"), ("E", "ATTR1", 50, 102000, "A"),
        ("A", "MKT1"), ("E", "MKT1", 20, 101000, "R"), ("E", "PEG1", 20, 101000, "A"),
    ]  # fmt: skip

    # replace (the peg follows the new best bid: a priority update), modify, cancel
    session.send_unseq_data(w.replace("LIMIT1", "LIMIT2", 150, 100200))
    session.send_unseq_data(w.modify("SHORT1", "E", 60))
    session.send_unseq_data(w.cancel("LIMIT2"))
    changed = await settle(session)
    assert summary(changed) == [
        ("U", "LIMIT2"), ("T", "PEG1"), ("M", "SHORT1"), ("C", "LIMIT2", 150, "U"),
        ("T", "PEG1"),
    ]  # fmt: skip
    assert changed[0]["previous"] == "LIMIT1"
    assert (changed[2]["side"], changed[2]["shares"]) == ("E", 60)
    seen = session.sequence
    session.logout()

    # while the client is away another client trades with it and GTD1 expires
    other = await connect(port, "CLNT2", sequence=0)
    other.send_unseq_data(w.enter("HIT1", "S", 200, "ACME", 99500, tif=0))
    await settle(other)
    api.advance_clock(seconds=30)

    again = await connect(port, "CLIENT", sequence=seen + 1)
    assert summary(await settle(again)) == [
        ("E", "PEG1", 80, 100700, "A"), ("E", "MINQ1", 120, 99500, "A"),
        ("C", "GTD1", 100, "T"),
    ]  # fmt: skip
    await again.close()
    await other.close()
