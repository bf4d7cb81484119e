"""Managed mode: every decision a test makes reaches the session that sent the order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from lineclient import LineClient

from exsim_core import Client
from exsim_core.client import ConflictError

VENUE = "MGD"


@pytest.fixture
def carol(exsim: Client) -> Iterator[LineClient]:
    with LineClient(exsim.server.port("managed-lines")) as line:
        assert line.logon("carol") == "LOGON OK carol"
        yield line


def _held(exsim: Client, line: LineClient, text: str, clid: str) -> int:
    line.send(text)
    assert line.expect(f"HELD {clid}") == f"HELD {clid} new"
    event = exsim.wait_for(lambda e: e["kind"] == "held" and e["subject"]["cl_ord_id"] == clid)
    return int(event["subject"]["order_id"])


def test_a_new_order_is_held_until_acknowledged(exsim: Client, carol: LineClient) -> None:
    oid = _held(exsim, carol, "NEW c1 ACME BUY 100 10.00", "c1")
    assert exsim.order(VENUE, oid)["status"] == "pending_new"
    exsim.ack(VENUE, oid)
    assert carol.expect("ACK c1") == f"ACK c1 {oid}"
    assert exsim.book(VENUE, "ACME")["bids"] == [{"price": "10.00", "qty": "100", "count": 1}]


def test_a_rejected_order_tells_the_client_the_reason(exsim: Client, carol: LineClient) -> None:
    oid = _held(exsim, carol, "NEW c1 ACME BUY 100 10.00", "c1")
    exsim.reject(VENUE, oid, "credit limit")
    assert carol.expect("REJECT c1") == "REJECT c1 credit limit"


def test_partial_fills_at_chosen_prices_reach_the_client(exsim: Client, carol: LineClient) -> None:
    oid = _held(exsim, carol, "NEW c1 ACME BUY 300 10.05", "c1")
    exsim.fill(VENUE, oid, 100, "10.01")
    assert carol.expect("ACK c1")
    assert carol.expect("FILL c1") == "FILL c1 100 10.01 200 1"
    exsim.fill(VENUE, oid, 200, "10.02")
    assert carol.expect("FILL c1") == "FILL c1 200 10.02 0 2"
    with pytest.raises(ConflictError):
        exsim.fill(VENUE, oid, 1, "10.02")


def test_an_unsolicited_cancel_reaches_the_client(exsim: Client, carol: LineClient) -> None:
    oid = _held(exsim, carol, "NEW c1 ACME BUY 100 10.00", "c1")
    exsim.ack(VENUE, oid)
    exsim.decide(VENUE, oid, "cancel")
    assert carol.expect("CANCELED c1") == "CANCELED c1 unsolicited 0"


def test_a_cancel_request_is_held_then_accepted(exsim: Client, carol: LineClient) -> None:
    oid = _held(exsim, carol, "NEW c1 ACME BUY 100 10.00", "c1")
    exsim.ack(VENUE, oid)
    carol.send("CANCEL c2 c1")
    assert carol.expect("HELD c2") == "HELD c2 cancel"
    exsim.decide(VENUE, oid, "accept_cancel")
    assert carol.expect("CANCELED") == "CANCELED c1 user 0"


def test_a_cancel_request_can_be_refused(exsim: Client, carol: LineClient) -> None:
    oid = _held(exsim, carol, "NEW c1 ACME BUY 100 10.00", "c1")
    exsim.ack(VENUE, oid)
    carol.send("CANCEL c2 c1")
    carol.expect("HELD c2")
    exsim.decide(VENUE, oid, "reject_cancel")
    assert carol.expect("CANCEL_REJECT") == "CANCEL_REJECT c2 venue_decision"


def test_a_replace_request_is_held_then_accepted(exsim: Client, carol: LineClient) -> None:
    oid = _held(exsim, carol, "NEW c1 ACME BUY 100 10.00", "c1")
    exsim.ack(VENUE, oid)
    carol.send("REPLACE c2 c1 150 10.01")
    assert carol.expect("HELD c2") == "HELD c2 replace"
    exsim.decide(VENUE, oid, "accept_replace")
    assert carol.expect("REPLACED") == "REPLACED c2 c1 10.01 150"


def test_a_replace_request_can_be_refused(exsim: Client, carol: LineClient) -> None:
    oid = _held(exsim, carol, "NEW c1 ACME BUY 100 10.00", "c1")
    exsim.ack(VENUE, oid)
    carol.send("REPLACE c2 c1 150 10.01")
    carol.expect("HELD c2")
    exsim.decide(VENUE, oid, "reject_replace")
    assert carol.expect("CANCEL_REJECT") == "CANCEL_REJECT c2 venue_decision"


def test_pass_through_lets_price_time_matching_decide(exsim: Client, carol: LineClient) -> None:
    resting = exsim.submit(VENUE, "ACME", "sell", "100", "10.00", session="desk")["order"][
        "order_id"
    ]
    exsim.ack(VENUE, resting)
    oid = _held(exsim, carol, "NEW c1 ACME BUY 40 10.00", "c1")
    exsim.pass_through(VENUE, oid)
    assert carol.expect("ACK c1")
    assert carol.expect("FILL c1") == "FILL c1 40 10.00 0 1"


def test_a_trade_bust_reaches_the_client(exsim: Client, carol: LineClient) -> None:
    oid = _held(exsim, carol, "NEW c1 ACME BUY 100 10.00", "c1")
    exsim.fill(VENUE, oid, 100, "10.00")
    carol.expect("FILL c1")
    exsim.bust_trade(VENUE, 1)
    assert carol.expect("BUST") == "BUST 1 c1 100 10.00"
    trade = exsim.trades(VENUE)[0]
    assert trade["state"] == "busted"


def test_a_trade_correction_reaches_the_client(exsim: Client, carol: LineClient) -> None:
    oid = _held(exsim, carol, "NEW c1 ACME BUY 100 10.00", "c1")
    exsim.fill(VENUE, oid, 100, "10.00")
    carol.expect("FILL c1")
    exsim.correct_trade(VENUE, 1, "9.99", 60)
    assert carol.expect("CORRECT") == "CORRECT 1 c1 60 9.99"


def test_match_orders_prints_one_trade_at_the_chosen_price(
    exsim: Client, carol: LineClient
) -> None:
    buy = _held(exsim, carol, "NEW c1 ACME BUY 100 10.05", "c1")
    sell = exsim.submit(VENUE, "ACME", "sell", "70", "10.00", session="desk")["order"]["order_id"]
    exsim.match_orders(VENUE, "ACME", buy, sell, "10.03", "70")
    assert carol.expect("FILL c1") == "FILL c1 70 10.03 30 1"
    trades = exsim.trades(VENUE)
    assert len(trades) == 1
    assert (trades[0]["price"], trades[0]["qty"], trades[0]["aggressor"]) == ("10.03", "70", "buy")


def test_scripted_expectations_are_consumed_in_order(exsim: Client, carol: LineClient) -> None:
    exsim.expect(
        VENUE,
        {"action": "ack"},
        {"action": "fill", "qty": 100, "price": "10.01", "after_ms": 5},
        symbol="ACME",
    )
    exsim.expect(VENUE, {"action": "reject", "text": "second"}, symbol="ACME")
    carol.send("NEW c1 ACME BUY 100 10.05")
    assert carol.expect("ACK c1")
    exsim.advance_clock(seconds="0.004")
    carol.send("NEW c2 ACME BUY 10 10.05")
    assert carol.expect("REJECT c2") == "REJECT c2 second"
    exsim.advance_clock(seconds="0.001")
    assert carol.expect("FILL c1") == "FILL c1 100 10.01 0 1"
    assert exsim.check()["unused_expectations"] == []


def test_an_unused_expectation_is_reported(exsim: Client) -> None:
    exsim.expect(VENUE, {"action": "ack"}, symbol="ACME")
    unused = exsim.check()["unused_expectations"]
    assert [(u["venue"], u["symbol"], u["steps"]) for u in unused] == [
        ("MGD", "ACME", [{"action": "ack"}])
    ]
    exsim.reset()  # leave nothing unused behind for the fixture's own check


def test_an_unused_expectation_fails_the_test(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest
        @pytest.fixture(scope="session")
        def exsim_config():
            return {"simulator": {"clock": "manual"}, "venues": [{"name": "M", "engine": "managed",
                    "instruments": [{"asset_class": "equity", "symbol": "ACME"}]}]}
        """
    )
    pytester.makepyfile(
        """
        def test_forgets_an_expectation(exsim):
            exsim.expect("M", {"action": "ack"}, symbol="ACME")
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*unused expectation*"])
