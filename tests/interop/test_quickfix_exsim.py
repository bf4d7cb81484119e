"""exsim-fix with QuickFIX as its client: a running ``exsim serve`` of examples/fix.toml,
driven by qf_client (QuickFIX C++) over FIX 4.2 and FIX 4.4.

QuickFIX validates every message exsim sends against its data dictionary (required
fields, field formats and enumerations, repeating groups, header and body order), so
each test also checks that QuickFIX sent nothing back that refuses one: no session
Reject (35=3) and no BusinessMessageReject (35=j).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import harness
import pytest
from harness import field

from exsim_core.client import DaemonProcess

MakeClient = Callable[[], harness.QfClient]
VERSIONS = pytest.mark.parametrize(
    ("endpoint", "begin_string"), [("fix42", "FIX.4.2"), ("fix44", "FIX.4.4")]
)
Fields = list[tuple[str | int, object]]


class Trader:
    """A qf_client logged on to one session of the example, with the fields its
    version needs."""

    def __init__(
        self, client: harness.QfClient, daemon: DaemonProcess, endpoint: str, begin_string: str
    ) -> None:
        self.client = client
        self.daemon = daemon
        self.endpoint = endpoint
        self.begin_string = begin_string
        self.fix42 = begin_string == "FIX.4.2"

    def order(
        self, cl_ord_id: str, side: str, qty: int, ord_type: str = "2", symbol: str = "ACME",
        **more: Any,
    ) -> int:  # fmt: skip
        """Send a NewOrderSingle (``more``: Price, StopPx, TimeInForce by field name)."""
        fields: Fields = [("ClOrdID", cl_ord_id)]
        if self.fix42:
            fields.append(("HandlInst", "1"))
        fields += [("Symbol", symbol), ("Side", side), ("OrderQty", str(qty))]
        fields += [("OrdType", ord_type), *more.items()]
        return self.client.send("D", fields)

    def report(self, cl_ord_id: str, *exec_types: str) -> harness.Message:
        """The next ExecutionReport for ``cl_ord_id`` of one of ``exec_types``."""
        return self.client.wait(
            "8", {"ClOrdID": cl_ord_id, "ExecType": list(exec_types)}, timeout=10
        )

    def fill_types(self, done: bool) -> list[str]:
        """ExecType of a fill: F from FIX 4.3, 1 (partial) or 2 (filled) before."""
        if self.fix42:
            return ["2"] if done else ["1"]
        return ["F"]

    def assert_no_rejects(self) -> None:
        """QuickFIX refused nothing exsim sent. QuickFIX handles a message after it logs
        it, so a TestRequest answered first proves every earlier one was handled."""
        if self.client.command("status")["logged_on"]:
            self.client.send("1", [("TestReqID", "SETTLED")])
            self.client.wait("0", {"TestReqID": "SETTLED"}, timeout=10)
        refused = [m["raw"] for m in self.client.messages("out") if m["msg_type"] in ("3", "j")]
        assert refused == [], f"QuickFIX refused messages exsim sent: {refused}"


@pytest.fixture
def trader(
    fix_example: DaemonProcess, make_client: MakeClient, tmp_path: Path
) -> Iterator[Callable[..., Trader]]:
    """``trader(endpoint, begin_string, sender="CLIENT", **connect options)``: a qf_client
    logged on to the reset example daemon (ResetOnLogon=Y, a FileStore)."""
    made: list[Trader] = []

    def make(endpoint: str, begin_string: str, sender: str = "CLIENT", **options: Any) -> Trader:
        client = make_client()
        options.setdefault("store", str(tmp_path / f"store-{sender}"))
        client.connect(
            port=fix_example.port(endpoint),
            sender=sender,
            target="EXSIM",
            begin_string=begin_string,
            **options,
        )
        made.append(Trader(client, fix_example, endpoint, begin_string))
        return made[-1]

    yield make
    for each in made:
        each.assert_no_rejects()


@VERSIONS
def test_logon_is_answered_for_the_configured_session(
    trader: Callable[..., Trader], endpoint: str, begin_string: str
) -> None:
    client = trader(endpoint, begin_string, heartbeat=20).client
    (logon,) = client.messages("in", "A")
    assert [field(logon, t) for t in (8, 49, 56, 108, 141, 34)] == [
        begin_string, "EXSIM", "CLIENT", "20", "Y", "1",
    ]  # fmt: skip
    assert client.command("status")["logged_on"] is True


@VERSIONS
def test_crossing_limit_orders_fill_both_sides(
    trader: Callable[..., Trader], endpoint: str, begin_string: str
) -> None:
    buyer = trader(endpoint, begin_string, "CLIENT")
    seller = trader(endpoint, begin_string, "CLIENT2")
    buyer.order("B1", "1", 300, Price="20.00", TimeInForce="1")
    ack = buyer.report("B1", "0")
    assert [field(ack, t) for t in (39, 151, 14)] == ["0", "300", "0"]
    seller.order("S1", "2", 100, Price="19.90", TimeInForce="1")
    sold = seller.report("S1", *seller.fill_types(True))
    bought = buyer.report("B1", *buyer.fill_types(False))
    assert [field(sold, t) for t in (39, 32, 31, 151, 14)] == ["2", "100", "20.00", "0", "100"]
    assert [field(bought, t) for t in (39, 32, 31, 151, 14)] == ["1", "100", "20.00", "200", "100"]
    assert field(sold, 17) != field(bought, 17) or field(sold, 37) != field(bought, 37)


@VERSIONS
def test_market_ioc_and_stop_orders_are_accepted_and_executed(
    trader: Callable[..., Trader], endpoint: str, begin_string: str
) -> None:
    buyer = trader(endpoint, begin_string, "CLIENT")
    seller = trader(endpoint, begin_string, "CLIENT2")
    seller.order("ASK1", "2", 100, Price="10.10", TimeInForce="1")
    seller.report("ASK1", "0")
    seller.order("ASK2", "2", 100, Price="10.20", TimeInForce="1")
    seller.report("ASK2", "0")

    buyer.order("IOC1", "1", 30, Price="10.00", TimeInForce="3")
    assert buyer.report("IOC1", "0")["seq"] > 0
    assert field(buyer.report("IOC1", "4"), 39) == "4"  # nothing at 10.00: canceled

    buyer.order("STOP1", "1", 50, "3", StopPx="10.10", TimeInForce="1")
    parked = buyer.report("STOP1", "0")
    assert [field(parked, t) for t in (39, 40, 99)] == ["0", "3", "10.10"]

    buyer.order("MKT1", "1", 20, "1", TimeInForce="3")
    market = buyer.report("MKT1", *buyer.fill_types(True))
    assert [field(market, t) for t in (32, 31)] == ["20", "10.10"]
    # the trade at 10.10 triggers the stop, which buys what is left at 10.10
    triggered = buyer.report("STOP1", *buyer.fill_types(True))
    assert [field(triggered, t) for t in (32, 31, 14)] == ["50", "10.10", "50"]


@VERSIONS
def test_cancel_replace_and_status_of_a_resting_order(
    trader: Callable[..., Trader], endpoint: str, begin_string: str
) -> None:
    client = trader(endpoint, begin_string)
    client.order("R1", "1", 100, Price="9.00", TimeInForce="1")
    client.report("R1", "0")
    replace: Fields = [("OrigClOrdID", "R1"), ("ClOrdID", "R2")]
    if client.fix42:
        replace.append(("HandlInst", "1"))
    replace += [("Symbol", "ACME"), ("Side", "1"), ("OrderQty", "150"), ("OrdType", "2")]
    client.client.send("G", [*replace, ("Price", "9.05"), ("TimeInForce", "1")])
    replaced = client.report("R2", "5")
    assert [field(replaced, t) for t in (41, 39, 38, 44, 151)] == ["R1", "0", "150", "9.05", "150"]

    client.client.send("H", [("ClOrdID", "R2"), ("Symbol", "ACME"), ("Side", "1")])
    status = client.client.wait("8", {"ClOrdID": "R2", "OrdStatus": "0"}, timeout=10)
    assert field(status, 150) == ("0" if client.fix42 else "I")
    assert field(status, 20) == ("3" if client.fix42 else None)

    cancel: Fields = [("OrigClOrdID", "R2"), ("ClOrdID", "R3"), ("Symbol", "ACME")]
    client.client.send("F", [*cancel, ("Side", "1"), ("OrderQty", "150")])
    canceled = client.report("R3", "4")
    assert [field(canceled, t) for t in (41, 39, 151)] == ["R2", "4", "0"]

    client.client.send("F", [("OrigClOrdID", "R2"), ("ClOrdID", "R4"), *cancel[2:],
                             ("Side", "1"), ("OrderQty", "150")])  # fmt: skip
    refused = client.client.wait("9", {"ClOrdID": "R4"}, timeout=10)
    assert [field(refused, t) for t in (41, 434)] == ["R2", "1"]


@VERSIONS
def test_refusals_of_every_kind_pass_the_dictionary(
    trader: Callable[..., Trader], endpoint: str, begin_string: str
) -> None:
    client = trader(endpoint, begin_string)
    client.order("U1", "1", 10, "2", "NOPE", Price="10.00")
    unknown = client.report("U1", "8")
    assert [field(unknown, t) for t in (39, 103, 37)] == ["8", "1", "NONE"]

    fields: Fields = [("ClOrdID", "U2"), ("Symbol", "ACME"), ("OrderQty", "10")]
    if client.fix42:
        fields.append(("HandlInst", "1"))
    seq = client.client.send("D", [*fields, ("OrdType", "2"), ("Price", "10.00")])
    reject = client.client.wait("3", timeout=10)  # no Side(54): a session-level Reject
    assert [field(reject, t) for t in (45, 371, 372, 373)] == [str(seq), "54", "D", "1"]

    unsupported = "P" if client.fix42 else "AE"
    body = [("AllocID", "X")] if client.fix42 else [("TradeReportID", "X")]
    seq = client.client.send(unsupported, body)
    refused = client.client.wait("j", timeout=10)
    assert [field(refused, t) for t in (45, 372, 380)] == [str(seq), unsupported, "3"]


@VERSIONS
def test_trade_bust_and_correction_reports_pass_the_dictionary(
    trader: Callable[..., Trader], endpoint: str, begin_string: str
) -> None:
    buyer = trader(endpoint, begin_string, "CLIENT")
    seller = trader(endpoint, begin_string, "CLIENT2")
    seller.order("S1", "2", 100, Price="10.00", TimeInForce="1")
    seller.report("S1", "0")
    buyer.order("B1", "1", 30, Price="10.00", TimeInForce="1")
    buyer.report("B1", *buyer.fill_types(True))
    buyer.order("B2", "1", 20, Price="10.00", TimeInForce="1")
    buyer.report("B2", *buyer.fill_types(True))
    with buyer.daemon.client() as api:
        first, second = sorted(t["trade_id"] for t in api.trades("EXSIM"))
        api.bust_trade("EXSIM", first)
        api.correct_trade("EXSIM", second, "10.00", "5")
    if buyer.fix42:  # ExecTransType 1 (cancel) and 2 (correct) name the execution
        busted = buyer.client.wait("8", {"ClOrdID": "B1", "ExecTransType": "1"}, timeout=10)
        corrected = buyer.client.wait("8", {"ClOrdID": "B2", "ExecTransType": "2"}, timeout=10)
    else:  # ExecType H (trade cancel) and G (trade correct)
        busted = buyer.report("B1", "H")
        corrected = buyer.report("B2", "G")
    assert field(busted, 19) is not None
    assert [field(corrected, t) for t in (32, 14)] == ["5", "5"]


@VERSIONS
def test_a_halt_and_a_reopening_reach_subscribers_as_security_status(
    trader: Callable[..., Trader], endpoint: str, begin_string: str
) -> None:
    md = trader(endpoint, begin_string, "CLIENT2")
    md.client.send(
        "V",
        [
            ("MDReqID", "MD1"), ("SubscriptionRequestType", "1"), ("MarketDepth", "1"),
            ("MDUpdateType", "1"), ("NoMDEntryTypes", "1"), ("MDEntryType", "0"),
            ("NoRelatedSym", "1"), ("Symbol", "ACME"),
        ],
    )  # fmt: skip
    md.client.wait("W", {"MDReqID": "MD1"}, timeout=10)
    with md.daemon.client() as api:
        api.halt("EXSIM", "ACME")
        api.resume("EXSIM", "ACME")
    halted = md.client.wait("f", {"SecurityTradingStatus": "2"}, timeout=10)
    reopened = md.client.wait("f", {"SecurityTradingStatus": "17"}, timeout=10)
    assert field(halted, 55) == field(reopened, 55) == "ACME"


@VERSIONS
def test_quickfix_resends_what_exsim_asks_for_after_a_gap(
    trader: Callable[..., Trader], endpoint: str, begin_string: str
) -> None:
    client = trader(endpoint, begin_string)
    expected = client.client.command("status")["next_sender"]
    client.client.command("skip_outbound", count=3)
    seq = client.order("G1", "1", 10, Price="8.00", TimeInForce="1")

    request = client.client.wait("2", timeout=10)
    assert [field(request, t) for t in (7, 16)] == [str(expected), "0"]
    resent = client.client.wait("D", {"PossDupFlag": "Y"}, direction="out", timeout=10)
    assert (resent["seq"], field(resent, 11)) == (seq, "G1")
    ack = client.report("G1", "0")
    assert field(ack, 39) == "0"


@VERSIONS
def test_exsim_resends_dropped_reports_and_gap_fills_what_it_skipped(
    trader: Callable[..., Trader], endpoint: str, begin_string: str
) -> None:
    client = trader(endpoint, begin_string)
    session = f"{endpoint}-client"
    with client.daemon.client() as api:
        api.inject_fault(session, "drop", count=1)
        client.order("D1", "1", 10, Price="8.00", TimeInForce="1")
        api.inject_fault(session, "skip_seq", count=2)
        client.order("D2", "1", 10, Price="8.01", TimeInForce="1")

    first = client.report("D1", "0")
    assert field(first, 43) == "Y"
    assert field(first, 122) is not None
    assert field(first, 122) <= field(first, 52)
    request = client.client.wait("2", direction="out", timeout=10)
    assert field(request, 7) == str(first["seq"])
    gap_fill = client.client.wait("4", {"GapFillFlag": "Y"}, timeout=10)
    assert [field(gap_fill, t) for t in (43, 34, 36)] == [
        "Y", str(first["seq"] + 1), str(first["seq"] + 3),
    ]  # fmt: skip
    second = client.report("D2", "0")
    assert second["seq"] == first["seq"] + 3


@VERSIONS
def test_market_data_snapshot_and_updates_pass_the_dictionary(
    trader: Callable[..., Trader], endpoint: str, begin_string: str
) -> None:
    md = trader(endpoint, begin_string, "CLIENT2")
    client = trader(endpoint, begin_string, "CLIENT")
    client.order("ASK", "2", 7, Price="10.05", TimeInForce="1")
    client.report("ASK", "0")
    md.client.send(
        "V",
        [
            ("MDReqID", "MD1"), ("SubscriptionRequestType", "1"), ("MarketDepth", "0"),
            ("MDUpdateType", "1"), ("NoMDEntryTypes", "3"), ("MDEntryType", "0"),
            ("MDEntryType", "1"), ("MDEntryType", "2"), ("NoRelatedSym", "1"),
            ("Symbol", "ACME"),
        ],
    )  # fmt: skip
    snapshot = md.client.wait("W", {"MDReqID": "MD1"}, timeout=10)
    assert _entries(snapshot, 269) == [{269: "1", 270: "10.05", 271: "7", 346: "1"}]
    client.order("M1", "1", 10, Price="9.99", TimeInForce="1")
    first = md.client.wait("X", {"MDReqID": "MD1"}, timeout=10)
    assert _entries(first, 279) == [{279: "0", 269: "0", 270: "9.99", 271: "10", 346: "1"}]
    client.order("M2", "2", 4, Price="9.99", TimeInForce="1")
    second = md.client.wait("X", {"MDReqID": "MD1"}, timeout=10)
    assert _entries(second, 279) == [
        {279: "1", 269: "0", 270: "9.99", 271: "6", 346: "1"},
        {279: "0", 269: "2", 270: "9.99", 271: "4"},
    ]


def _entries(message: harness.Message, first: int) -> list[dict[int, str]]:
    """The MDEntries of a W (``first`` 269) or X (``first`` 279): price, size, orders."""
    entries: list[dict[int, str]] = []
    for tag, value in message["fields"]:
        if tag == first:
            entries.append({})
        if entries and tag in (279, 269, 270, 271, 346):
            entries[-1][tag] = value
    return entries


@VERSIONS
def test_drop_copies_pass_the_dictionary(
    trader: Callable[..., Trader], endpoint: str, begin_string: str
) -> None:
    copies = trader(endpoint, begin_string, "DROPCOPY")
    client = trader(endpoint, begin_string, "CLIENT")
    client.order("C1", "1", 10, Price="9.50", TimeInForce="1")
    copy = copies.client.wait("8", {"ClOrdID": "C1"}, timeout=10)
    assert field(copy, 797) == (None if client.fix42 else "Y")
    client.client.send(
        "F",
        [("OrigClOrdID", "C1"), ("ClOrdID", "C2"), ("Symbol", "ACME"), ("Side", "1"),
         ("OrderQty", "10")],
    )  # fmt: skip
    canceled = copies.client.wait("8", {"ClOrdID": "C2"}, timeout=10)
    assert [field(canceled, t) for t in (150, 41)] == ["4", "C1"]


@VERSIONS
def test_security_definition_passes_the_dictionary(
    trader: Callable[..., Trader], endpoint: str, begin_string: str
) -> None:
    client = trader(endpoint, begin_string)
    client.client.send(
        "c", [("SecurityReqID", "D1"), ("SecurityRequestType", "3"), ("Symbol", "ACME")]
    )
    definition = client.client.wait("d", {"SecurityReqID": "D1"}, timeout=10)
    assert [field(definition, t) for t in (323, 55)] == ["1", "ACME"]


def test_security_list_passes_the_fix44_dictionary(trader: Callable[..., Trader]) -> None:
    client = trader("fix44", "FIX.4.4")
    client.client.send("x", [("SecurityReqID", "L1"), ("SecurityListRequestType", "4")])
    listed = client.client.wait("y", {"SecurityReqID": "L1"}, timeout=10)
    assert [field(listed, t) for t in (560, 146, 55)] == ["0", "1", "ACME"]


def test_mass_cancel_passes_the_fix44_dictionary(trader: Callable[..., Trader]) -> None:
    client = trader("fix44", "FIX.4.4")
    client.order("Q1", "1", 10, Price="9.50", TimeInForce="1")
    client.order("Q2", "2", 10, Price="10.50", TimeInForce="1")
    client.client.send("q", [("ClOrdID", "MASS"), ("MassCancelRequestType", "7")])
    report = client.client.wait("r", {"ClOrdID": "MASS"}, timeout=10)
    assert [field(report, t) for t in (530, 531, 533)] == ["7", "7", "2"]
    for cl_ord_id in ("Q1", "Q2"):
        client.report(cl_ord_id, "4")


@VERSIONS
def test_logout_is_answered_with_a_logout(
    trader: Callable[..., Trader], endpoint: str, begin_string: str
) -> None:
    client = trader(endpoint, begin_string)
    client.client.command("logout", text="done for the day")
    (ours,) = client.client.messages("out", "5")
    assert field(ours, 58) == "done for the day"
    assert len(client.client.messages("in", "5")) == 1
    assert client.client.command("status")["logged_on"] is False
