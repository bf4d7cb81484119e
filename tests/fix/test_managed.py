"""Managed mode through FIX: an order a FIX client sends to a ``managed`` book is held,
and each decision the test takes through the management API reaches the client as the
ExecutionReport (or OrderCancelReject) a venue would send."""

from __future__ import annotations

import pytest
from fixexample import VENUE, Example

from exsim_fix.testing import FixClient, field

pytestmark = pytest.mark.anyio


@pytest.fixture
async def client(example: Example) -> FixClient:
    """CLIENT logged on to the example venue, whose ACME book is now managed."""
    await example.api.set_engine(VENUE, "ACME", "managed")
    return await example.connect("fix44", "CLIENT")


async def _held(example: Example, client: FixClient, cl_ord_id: str, qty: int = 100) -> int:
    await client.new_order(cl_ord_id, 1, qty, "10.05")
    event = await example.api.wait_for(
        lambda e: e["kind"] == "held" and e["subject"]["cl_ord_id"] == cl_ord_id
    )
    await client.expect_silence(0.2)  # held: nothing reaches the client yet
    return int(event["subject"]["order_id"])


async def test_acknowledging_a_held_order_sends_the_new_report(
    example: Example, client: FixClient
) -> None:
    order_id = await _held(example, client, "A1")
    await example.api.ack(VENUE, order_id)
    ack = await client.expect("8")
    assert [field(ack, t) for t in (11, 37, 150, 39, 151)] == ["A1", str(order_id), "0", "0", "100"]


async def test_partial_fills_at_chosen_prices_reach_the_client(
    example: Example, client: FixClient
) -> None:
    order_id = await _held(example, client, "A1")
    await example.api.fill(VENUE, order_id, 30, "10.01")
    assert field(await client.expect("8"), 150) == "0"
    first = await client.expect("8")
    assert [field(first, t) for t in (150, 39, 32, 31, 14, 151)] == [
        "F", "1", "30", "10.01", "30", "70",
    ]  # fmt: skip
    await example.api.fill(VENUE, order_id, 70, "10.03")
    last = await client.expect("8")
    assert [field(last, t) for t in (150, 39, 32, 31, 14, 151, 6)] == [
        "F", "2", "70", "10.03", "100", "0", "10.024",
    ]  # fmt: skip


async def test_a_rejected_order_tells_the_client_why(example: Example, client: FixClient) -> None:
    order_id = await _held(example, client, "A1")
    await example.api.reject(VENUE, order_id, "credit limit")
    rejected = await client.expect("8")
    assert [field(rejected, t) for t in (11, 150, 39, 58)] == ["A1", "8", "8", "credit limit"]


async def test_an_unsolicited_cancel_reaches_the_client(
    example: Example, client: FixClient
) -> None:
    order_id = await _held(example, client, "A1")
    await example.api.ack(VENUE, order_id)
    await client.expect("8")
    await example.api.decide(VENUE, order_id, "cancel")
    canceled = await client.expect("8")
    assert [field(canceled, t) for t in (11, 150, 39, 151)] == ["A1", "4", "4", "0"]


async def test_a_cancel_request_is_held_then_accepted_or_refused(
    example: Example, client: FixClient
) -> None:
    order_id = await _held(example, client, "A1")
    await example.api.ack(VENUE, order_id)
    await client.expect("8")
    for cl_ord_id in ("C1", "C2"):
        await client.send(
            "F", (41, "A1"), (11, cl_ord_id), (55, "ACME"), (54, 1), (60, client.now())
        )
        await example.api.wait_for(
            lambda e, c=cl_ord_id: e["kind"] == "held" and e["subject"]["cl_ord_id"] == c
        )
    await example.api.decide(VENUE, order_id, "reject_cancel")
    refused = await client.expect("9")
    assert [field(refused, t) for t in (11, 41, 434)] == ["C1", "A1", "1"]
    await example.api.decide(VENUE, order_id, "accept_cancel")
    canceled = await client.expect("8")
    assert [field(canceled, t) for t in (11, 41, 150, 39)] == ["C2", "A1", "4", "4"]
