"""The QuickFIX harness works: qf_client against QuickFIX's own ordermatch acceptor.

These tests pin down what the independent peer does before it is pointed at exsim-fix:
if one fails, the harness (not exsim) is broken. ordermatch speaks FIX 4.2 only, accepts
Day limit orders and cancels, and answers anything else its application does not handle
with a BusinessMessageReject; the expectations below were read from its running
behaviour. Every message ordermatch sends must also pass QuickFIX's data dictionary on our
side, so each test checks that qf_client sent no Reject.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import harness
import pytest
from harness import field

MakeClient = Callable[[], harness.QfClient]


def order(
    cl_ord_id: str, side: str, qty: int, price: str, symbol: str = "MSFT"
) -> list[tuple[str | int, object]]:
    """A FIX 4.2 Day limit NewOrderSingle body."""
    return [
        ("ClOrdID", cl_ord_id),
        ("HandlInst", "1"),
        ("Symbol", symbol),
        ("Side", side),
        ("OrderQty", str(qty)),
        ("OrdType", "2"),
        ("Price", price),
        ("TimeInForce", "0"),
    ]


def logged_on(
    make_client: MakeClient, om: harness.Ordermatch, sender: str = "CLIENT1", **params: Any
) -> harness.QfClient:
    client = make_client()
    client.connect(port=om.port, sender=sender, target=om.comp_id, **params)
    return client


def assert_no_rejects(client: harness.QfClient) -> None:
    rejects = [m for m in client.messages("out") if m["msg_type"] in ("3", "j")]
    assert rejects == [], f"QuickFIX rejected messages from its peer: {rejects}"


def test_logon_is_answered_with_a_logon_for_our_session(
    make_client: MakeClient, ordermatch: harness.Ordermatch
) -> None:
    client = logged_on(make_client, ordermatch, heartbeat=20)

    (logon,) = client.messages("in", "A")
    assert (field(logon, 49), field(logon, 56)) == ("ORDERMATCH", "CLIENT1")
    assert field(logon, 108) == "20"
    assert field(logon, 141) == "Y"
    assert client.command("status")["logged_on"] is True


def test_resting_limit_order_is_acknowledged_as_new(
    make_client: MakeClient, ordermatch: harness.Ordermatch
) -> None:
    client = logged_on(make_client, ordermatch)

    client.send("D", order("N1", side="1", qty=100, price="10.25"))
    ack = client.wait("8", {"ClOrdID": "N1"})

    assert (field(ack, 150), field(ack, 39)) == ("0", "0")
    assert (field(ack, 151), field(ack, 14)) == ("100", "0")
    assert_no_rejects(client)


def test_crossing_orders_fill_both_sides(
    make_client: MakeClient, ordermatch: harness.Ordermatch
) -> None:
    buyer = logged_on(make_client, ordermatch, "CLIENT1")
    seller = logged_on(make_client, ordermatch, "CLIENT2")

    buyer.send("D", order("B1", side="1", qty=300, price="20"))
    buyer.wait("8", {"ClOrdID": "B1", "ExecType": "0"})
    seller.send("D", order("S1", side="2", qty=300, price="20"))

    for client, cl_ord_id in ((buyer, "B1"), (seller, "S1")):
        fill = client.wait("8", {"ClOrdID": cl_ord_id, "ExecType": "2"})
        assert (field(fill, 39), field(fill, 32), field(fill, 151)) == ("2", "300", "0")
        assert float(field(fill, 31) or "nan") == 20.0
        assert_no_rejects(client)


def test_cancel_of_a_resting_order_is_confirmed(
    make_client: MakeClient, ordermatch: harness.Ordermatch
) -> None:
    client = logged_on(make_client, ordermatch)
    client.send("D", order("C1", side="2", qty=50, price="11"))
    client.wait("8", {"ClOrdID": "C1", "ExecType": "0"})

    client.send(
        "F",
        [
            ("OrigClOrdID", "C1"),
            ("ClOrdID", "C2"),
            ("Symbol", "MSFT"),
            ("Side", "2"),
            ("OrderQty", "50"),
        ],
    )

    # ordermatch reports the cancel under the order's own ClOrdID, without OrigClOrdID.
    canceled = client.wait("8", {"ClOrdID": "C1", "ExecType": "4"})
    assert (field(canceled, 39), field(canceled, 151)) == ("4", "0")
    assert_no_rejects(client)


def test_replace_request_is_refused_by_ordermatch_as_unsupported(
    make_client: MakeClient, ordermatch: harness.Ordermatch
) -> None:
    client = logged_on(make_client, ordermatch)
    client.send("D", order("P1", side="1", qty=100, price="9"))
    client.wait("8", {"ClOrdID": "P1", "ExecType": "0"})

    seq = client.send(
        "G",
        [
            ("OrigClOrdID", "P1"),
            ("ClOrdID", "P2"),
            ("HandlInst", "1"),
            ("Symbol", "MSFT"),
            ("Side", "1"),
            ("OrderQty", "200"),
            ("OrdType", "2"),
            ("Price", "9"),
        ],
    )

    refusal = client.wait("j")
    assert (field(refusal, 45), field(refusal, 372)) == (str(seq), "G")
    assert (field(refusal, 380), field(refusal, 58)) == ("3", "Unsupported Message Type")


def test_skipped_outbound_numbers_are_gap_filled_when_the_acceptor_asks(
    make_client: MakeClient, ordermatch: harness.Ordermatch, tmp_path: Path
) -> None:
    # A FileStore: QuickFIX 1.15's MemoryStore returns nothing for a range whose first
    # number it never stored, so it would gap-fill over the order as well.
    client = logged_on(make_client, ordermatch, store=str(tmp_path / "client-store"))
    expected = client.command("status")["next_sender"]

    client.command("skip_outbound", count=3)
    seq = client.send("D", order("G1", side="1", qty=100, price="8"))

    request = client.wait("2")
    assert field(request, 7) == str(expected)
    gap_fill = client.wait("4", {"GapFillFlag": "Y"}, direction="out")
    assert (field(gap_fill, 34), field(gap_fill, 36)) == (str(expected), str(seq))
    resent = client.wait("D", {"PossDupFlag": "Y"}, direction="out")
    assert (resent["seq"], field(resent, 11)) == (seq, "G1")
    client.wait("8", {"ClOrdID": "G1", "ExecType": "0"})
    assert_no_rejects(client)


def test_acceptor_resends_as_possible_duplicates_when_we_ask_again(
    make_ordermatch: Callable[..., harness.Ordermatch],
    make_client: MakeClient,
    tmp_path: Path,
) -> None:
    om = make_ordermatch(reset_on_logon=False)
    session: dict[str, Any] = {"reset_on_logon": False, "store": str(tmp_path / "client-store")}
    client = logged_on(make_client, om, "CLIENT1", **session)
    client.send("D", order("R1", side="1", qty=100, price="7"))
    ack = client.wait("8", {"ClOrdID": "R1"})
    client.command("disconnect")

    client.connect(
        port=om.port, sender="CLIENT1", target=om.comp_id, next_target_seq=ack["seq"], **session
    )

    request = client.wait("2", direction="out")
    assert field(request, 7) == str(ack["seq"])
    resent = client.wait("8", {"ClOrdID": "R1", "PossDupFlag": "Y"})
    assert resent["seq"] == ack["seq"]
    assert field(resent, 122) == field(ack, 52)
    assert_no_rejects(client)


def test_logout_is_answered_with_a_logout(
    make_client: MakeClient, ordermatch: harness.Ordermatch
) -> None:
    client = logged_on(make_client, ordermatch)

    client.command("logout", text="done for the day")

    (ours,) = client.messages("out", "5")
    assert field(ours, 58) == "done for the day"
    assert len(client.messages("in", "5")) == 1
    assert client.command("status")["logged_on"] is False


def _acceptor_sending(
    reply: Callable[[bytes], list[bytes]],
) -> tuple[socket.socket, threading.Thread]:
    """A one-connection raw acceptor on 127.0.0.1 that answers the Logon it reads with
    ``reply(logon)`` and then reads until the peer closes (bounded by a 10 s timeout)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.settimeout(10)
            data = b""
            while b"\x0110=" not in data or not data.endswith(b"\x01"):
                chunk = connection.recv(4096)
                if not chunk:
                    return
                data += chunk
            for message in reply(data):
                connection.sendall(message)
            try:
                while connection.recv(4096):
                    pass
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return listener, thread


def test_message_breaking_the_data_dictionary_is_rejected_by_quickfix(
    make_client: MakeClient,
) -> None:
    def reply(logon: bytes) -> list[bytes]:
        fields = dict(item.split(b"=", 1) for item in logon.split(b"\x01") if b"=" in item)
        header = [(49, fields[b"56"].decode()), (56, fields[b"49"].decode())]
        now = harness.utc_timestamp()
        return [
            harness.frame(
                "FIX.4.2", "A", [(34, 1), *header, (52, now), (98, 0), (108, 30), (141, "Y")]
            ),
            # An ExecutionReport without ExecID (17), which FIX 4.2 requires.
            harness.frame(
                "FIX.4.2",
                "8",
                [
                    (34, 2),
                    *header,
                    (52, now),
                    (6, 0),
                    (11, "X1"),
                    (14, 0),
                    (20, 0),
                    (37, "O1"),
                    (39, 0),
                    (54, 1),
                    (55, "MSFT"),
                    (150, 0),
                    (151, 100),
                ],
            ),
        ]

    listener, thread = _acceptor_sending(reply)
    with listener:
        client = make_client()
        client.connect(port=listener.getsockname()[1], sender="CLIENT1", target="PEER")

        reject = client.wait("3", direction="out")

        assert (field(reject, 45), field(reject, 371), field(reject, 373)) == ("2", "17", "1")
        client.close()
        thread.join(10)


def test_load_client_gets_every_order_answered_and_reports_percentiles(
    quickfix: harness.QuickFix, make_ordermatch: Callable[..., harness.Ordermatch]
) -> None:
    om = make_ordermatch(clients=("LOAD1", "LOAD2"), screen_log=False)

    result = quickfix.load(
        port=om.port,
        target=om.comp_id,
        sessions=2,
        orders=300,
        warmup=50,
        window=20,
        seed=7,
        cross_pct=20,
        timeout=60,
    )

    assert result["completed"] is True
    assert (result["answered"], result["measured_orders"]) == (700, 600)
    assert result["fills"] > 0
    assert (result["order_rejects"], result["session_rejects"]) == (0, 0)
    assert result["business_rejects"] == 0
    latency = result["latency_us"]
    assert latency["p50"] <= latency["p90"] <= latency["p99"] <= latency["max"]


@pytest.mark.parametrize("begin_string", ["FIX.4.4", "FIXT.1.1"])
def test_later_fix_versions_log_on_and_validate_with_their_dictionaries(
    quickfix: harness.QuickFix, make_client: MakeClient, begin_string: str
) -> None:
    with quickfix.ack_acceptor() as acceptor:
        client = make_client()
        client.connect(
            port=acceptor.port, sender="CLIENT1", target="ACK", begin_string=begin_string
        )

        client.send(
            "D",
            {
                "ClOrdID": "V1",
                "Symbol": "MSFT",
                "Side": "1",
                "OrderQty": "100",
                "OrdType": "2",
                "Price": "10",
            },
        )
        ack = client.wait("8", {"ClOrdID": "V1"})

        assert field(ack, 8) == begin_string
        (logon,) = client.messages("out", "A")
        assert field(logon, 1137) == ("9" if begin_string == "FIXT.1.1" else None)
        assert_no_rejects(client)
        client.close()
