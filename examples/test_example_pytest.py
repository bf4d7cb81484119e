"""Testing an order-entry workflow with exsim's pytest fixtures.

The ``exsim`` fixture (from the ``exsim`` pytest plugin, installed with exsim-core) is a
client of a daemon reset for each test. Run with ``pytest examples/``; add
``--exsim-proc`` to run the same tests against an ``exsim serve`` subprocess.
"""

from __future__ import annotations

from exsim_core import Client


def _venue(exsim: Client) -> None:
    exsim.create_venue("EXAMPLE", engine="managed")
    exsim.create_instrument("EXAMPLE", "ACME", tick_size="0.01")


def test_the_venue_fills_an_order_as_scripted(exsim: Client) -> None:
    _venue(exsim)
    exsim.expect(
        "EXAMPLE",
        {"action": "ack"},
        {"action": "fill", "qty": 60, "price": "10.01"},
        symbol="ACME",
    )
    order = exsim.submit("EXAMPLE", "ACME", "buy", 100, "10.05", session="oms")["order"]
    fill = exsim.wait_for(lambda e: e["kind"] == "fill", timeout=5)
    assert (fill["order"]["order_id"], fill["last_qty"], fill["last_px"]) == (
        order["order_id"],
        "60",
        "10.01",
    )
    assert exsim.order("EXAMPLE", order["order_id"])["leaves_qty"] == "40"


def test_a_held_order_can_be_rejected(exsim: Client) -> None:
    _venue(exsim)
    order = exsim.submit("EXAMPLE", "ACME", "sell", 10, "11.00")["order"]
    exsim.reject("EXAMPLE", order["order_id"], "no borrow")
    rejected = exsim.wait_for(lambda e: e["kind"] == "rejected", timeout=5)
    assert rejected["text"] == "no borrow"
