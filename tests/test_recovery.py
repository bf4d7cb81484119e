"""A daemon killed with SIGKILL and restarted on the same database rebuilds every
resting order, in the same priority, with nothing acknowledged lost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lineclient import LineClient

from exsim_core import spawn

CONFIG: dict[str, Any] = {
    "simulator": {"clock": "manual", "plugins": ["exsim_lineproto"]},
    "venues": [{"name": "XSIM", "instruments": [{"asset_class": "equity", "symbol": "ACME"}]}],
    "endpoints": [
        {
            "name": "lines",
            "protocol": "line",
            "venue": "XSIM",
            "sessions": [{"id": "alice", "identity": {"username": "alice"}}],
        }
    ],
}


def _l3(book: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (side, o["order_id"], o["cl_ord_id"], o["price"], o["leaves_qty"], o["tif"])
        for side in ("bids", "asks")
        for o in book["orders"][side]
    ]


@pytest.mark.slow
def test_resting_orders_survive_a_kill_in_the_same_priority(tmp_path: Path) -> None:
    db = tmp_path / "exsim.db"
    daemon = spawn(CONFIG, db=db)
    try:
        with LineClient(daemon.port("lines"), timeout=20) as alice:
            alice.logon("alice")
            for i in range(1000):
                side = "BUY" if i % 2 else "SELL"
                price = f"{(99 - i % 7) if side == 'BUY' else (101 + i % 7)}.00"
                alice.send(f"NEW o{i} ACME {side} {10 + i % 5} {price} {'GTC' if i % 3 else 'DAY'}")
            acks = [alice.expect("ACK") for _ in range(1000)]
            for i in range(0, 1000, 10):
                alice.send(f"CANCEL c{i} o{i}")
            canceled = [alice.expect("CANCELED") for _ in range(100)]
        assert len(acks) == 1000
        assert len(canceled) == 100
        with daemon.client() as client:
            before = _l3(client.book("XSIM", "ACME", orders=True))
        daemon.kill()
    finally:
        daemon.stop()
    assert len(before) == 900
    restarted = spawn(CONFIG, db=db)
    try:
        with restarted.client() as client:
            after = _l3(client.book("XSIM", "ACME", orders=True))
            assert after == before
            order = client.submit("XSIM", "ACME", "buy", "1", "90.00")["order"]
            assert order["order_id"] == 1001  # ids go on where they stopped
    finally:
        restarted.stop()
