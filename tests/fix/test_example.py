"""examples/fix.toml, as the FIX how-to uses it: ``exsim config check`` accepts it,
``exsim serve`` reports its two FIX endpoints in the ready file, and an order from one
client's FIX session is filled by another's, on FIX 4.2 and on FIX 4.4."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from fixexample import VENUE, Example

from exsim_core.client import DaemonProcess
from exsim_fix.testing import field

pytestmark = pytest.mark.anyio
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "fix.toml"
ENDPOINTS = pytest.mark.parametrize("endpoint", ["fix42", "fix44"])


def test_exsim_config_check_accepts_the_fix_example() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "exsim_core", "config", "check", str(EXAMPLE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1 venues, 1 instruments, 2 endpoints, 6 sessions, 0 bots" in done.stdout


def test_the_example_describes_the_venue_of_the_how_to() -> None:
    config = tomllib.loads(EXAMPLE.read_text())
    (venue,) = config["venues"]
    (acme,) = venue["instruments"]
    assert (acme["symbol"], acme["asset_class"], acme["tick_size"], acme["lot_size"]) == (
        "ACME",
        "equity",
        "0.01",
        "1",
    )
    assert venue.get("engine", "price_time") == "price_time"
    assert "stp_mode" not in venue  # the venue default: off
    assert "bots" not in config
    sessions = {
        (ep["name"], s["identity"]["sender_comp_id"], s["identity"]["target_comp_id"])
        for ep in config["endpoints"]
        for s in ep["sessions"]
    }
    assert sessions == {
        (ep, sender, "EXSIM")
        for ep in ("fix42", "fix44")
        for sender in ("CLIENT", "CLIENT2", "DROPCOPY")
    }


def test_the_ready_file_reports_each_fix_endpoint_by_name(
    fix_example_daemon: DaemonProcess,
) -> None:
    endpoints = fix_example_daemon.info["endpoints"]
    assert sorted(endpoints) == ["fix42", "fix44"]
    for info in endpoints.values():
        assert (info["protocol"], info["host"], info["venue"]) == ("fix", "127.0.0.1", VENUE)
        assert info["port"] > 0
    assert endpoints["fix42"]["port"] != endpoints["fix44"]["port"]


@ENDPOINTS
async def test_an_order_of_client_is_filled_by_an_order_of_client2(
    example: Example, endpoint: str
) -> None:
    buyer = await example.connect(endpoint, "CLIENT")
    seller = await example.connect(endpoint, "CLIENT2")
    await buyer.new_order("BUY-1", 1, 100, "10.00")
    ack = await buyer.expect("8")
    assert (field(ack, 150), field(ack, 39), field(ack, 151)) == ("0", "0", "100")
    await seller.new_order("SELL-1", 2, 100, "10.00")
    assert field(await seller.expect("8"), 150) == "0"
    fill_type = "2" if endpoint == "fix42" else "F"
    for client, cl_ord_id in ((seller, "SELL-1"), (buyer, "BUY-1")):
        fill = await client.expect("8")
        assert (field(fill, 11), field(fill, 150), field(fill, 39)) == (cl_ord_id, fill_type, "2")
        assert (field(fill, 32), field(fill, 31), field(fill, 14)) == ("100", "10.00", "100")


async def test_the_example_venue_starts_empty_and_lets_a_session_trade_with_itself(
    example: Example,
) -> None:
    book = await example.api.book(VENUE, "ACME")
    assert (book["bids"], book["asks"]) == ([], [])
    client = await example.connect("fix44", "CLIENT")
    await client.new_order("B1", 1, 5, "10.00")
    await client.expect("8")
    await client.new_order("S1", 2, 5, "10.00")
    assert field(await client.expect("8"), 150) == "0"
    fills = [await client.expect("8") for _ in range(2)]
    assert sorted(field(m, 11) for m in fills) == ["B1", "S1"]
    assert {field(m, 150) for m in fills} == {"F"}
