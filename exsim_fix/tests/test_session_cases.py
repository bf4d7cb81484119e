"""The standard FIX session test cases (FIX Trading Community list, QuickFIX acceptance
suite) for FIX 4.2 and 4.4, over real sockets. Names carry the test case ids.

Every case runs twice (``fix_venue``): against the venue served in the test's event
loop, and against a real ``exsim serve`` subprocess configured through its management
API, whose manual clock the heartbeat cases move through that API."""

from __future__ import annotations

import pytest

from exsim_fix.testing import field

pytestmark = pytest.mark.anyio
VERSIONS = ["FIX.4.2", "FIX.4.4"]
version = pytest.mark.parametrize("version", VERSIONS)


def _checksum_fixed(data: bytes) -> bytes:
    return data


@version
async def test_1a_logon_with_msgseqnum_too_high_is_answered_then_resend_requested(
    fix_venue, version
):
    async with fix_venue(version) as venue:
        client = await venue.connect()
        await client.logon(30, seq=5)
        request = await client.expect("2")
        assert (field(request, 34), field(request, 7), field(request, 16)) == ("2", "1", "0")
        await client.send("4", (123, "Y"), (36, 5), seq=1, header=((43, "Y"), (122, client.now())))
        await client.send("5", seq=5 + 1 - 1 + 1)
        assert field(await client.expect("5"), 34) == "3"


@version
async def test_1b_second_connection_for_a_logged_on_session_is_closed_silently(fix_venue, version):
    async with fix_venue(version) as venue:
        first = await venue.connect()
        await first.logon()
        second = await venue.connect()
        await second.logon(expect=False)
        await second.expect_closed()
        await first.send("1", (112, "STILL-THERE"))
        assert field(await first.expect("0"), 112) == "STILL-THERE"


@version
@pytest.mark.parametrize(("sender", "target"), [("NOBODY", "EXSIM"), ("CLIENT", "OTHER")])
async def test_1c_logon_from_an_unconfigured_identity_is_closed_silently(
    fix_venue, version, sender, target
):
    async with fix_venue(version) as venue:
        client = await venue.connect(sender=sender, target=target)
        await client.logon(expect=False)
        await client.expect_closed()


@version
async def test_1d_logon_with_sending_time_out_of_tolerance_is_closed_silently(fix_venue, version):
    async with fix_venue(version) as venue:
        client = await venue.connect()
        await client.logon(expect=False, sending_time=client.now(-121))
        await client.expect_closed()


@version
async def test_1d_logon_with_wrong_begin_string_is_closed_silently(fix_venue, version):
    async with fix_venue(version) as venue:
        client = await venue.connect(begin_string="FIX.3.9")
        await client.logon(expect=False)
        await client.expect_closed()


@version
async def test_1d_logon_with_wrong_body_length_is_closed_silently(fix_venue, version):
    async with fix_venue(version) as venue:
        client = await venue.connect()
        raw = client.build("A", (98, 0), (108, 30))
        start = raw.index(b"9=") + 2
        end = raw.index(b"\x01", start)
        length = int(raw[start:end])
        await client.send_raw(raw[:start] + b"%d" % (length - 3) + raw[end:])
        await client.expect_closed()


@version
async def test_1e_first_message_not_a_logon_is_closed_silently(fix_venue, version):
    async with fix_venue(version) as venue:
        client = await venue.connect()
        await client.send("0")
        await client.expect_closed()


@version
async def test_2a_in_sequence_heartbeats_are_accepted_silently(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("0")
        await client.send("0")
        await client.send("1", (112, "T"))
        assert field(await client.expect("0"), 34) == "2"


@version
async def test_2b_msgseqnum_too_high_asks_for_the_gap_once_and_processes_the_queue(
    fix_logged_on, version
):
    async with fix_logged_on(version) as (client, _):
        await client.send("0", seq=10)
        await client.send("0", seq=11)
        request = await client.expect("2")
        assert (field(request, 7), field(request, 16)) == ("2", "0")
        for seq in range(2, 10):
            await client.send("0", seq=seq)
        await client.send("1", (112, "AFTER-GAP"), seq=12)
        assert field(await client.expect("0"), 112) == "AFTER-GAP"
        await client.expect_silence()


@version
async def test_2c_msgseqnum_too_low_without_possdup_logs_out(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("0")
        await client.send("0")
        await client.send("0", seq=2)
        logout = await client.expect("5")
        assert field(logout, 58) == "MsgSeqNum too low, expecting 4 but received 2"
        await client.expect_closed()


@version
async def test_2d_3b_garbled_message_is_ignored_without_consuming_a_number(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        raw = client.build("1", (112, "LOST"), seq=2)
        await client.send_raw(raw[:-4] + b"%03d\x01" % ((int(raw[-4:-1]) + 1) % 256))
        await client.send("1", (112, "KEPT"), seq=2)
        assert field(await client.expect("0"), 112) == "KEPT"


@version
async def test_2e_possdup_already_received_is_ignored(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("0")
        await client.send("0", seq=2, header=((43, "Y"), (122, client.now())))
        await client.send("1", (112, "NEXT"))
        assert field(await client.expect("0"), 112) == "NEXT"


@version
async def test_2f_possdup_with_orig_sending_time_after_sending_time_is_rejected(
    fix_logged_on, version
):
    async with fix_logged_on(version) as (client, _):
        await client.send("0")
        await client.send("0", seq=2, header=((43, "Y"), (122, client.now(5))))
        reject = await client.expect("3")
        assert field(reject, 45) == "2"
        assert field(reject, 373) == "10"
        assert field(reject, 58) == "SendingTime accuracy problem"
        await client.expect("5")


@version
async def test_2g_possdup_without_orig_sending_time_is_rejected_and_not_counted(
    fix_logged_on, version
):
    async with fix_logged_on(version) as (client, _):
        await client.send("0")
        await client.send("0", seq=2, header=((43, "Y"),))
        reject = await client.expect("3")
        assert (field(reject, 45), field(reject, 371), field(reject, 373)) == ("2", "122", "1")
        await client.send("1", (112, "SAME-NUMBER"), seq=3)
        assert field(await client.expect("0"), 112) == "SAME-NUMBER"


@version
async def test_2i_wrong_begin_string_after_logon_logs_out_and_disconnects(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("0", begin_string="FIX.4.1")
        assert field(await client.expect("5"), 58) == "Incorrect BeginString"
        await client.expect_closed()


@version
async def test_2k_wrong_comp_id_is_rejected_then_logged_out(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("0", target="SOMEONE")
        reject = await client.expect("3")
        assert (field(reject, 373), field(reject, 58)) == ("9", "CompID problem")
        assert field(reject, 371) is None
        await client.expect("5")


@version
async def test_2m_wrong_body_length_is_ignored(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        raw = client.build("1", (112, "LOST"), seq=2)
        await client.send_raw(raw.replace(b"\x019=", b"\x019=1", 1))
        await client.send("1", (112, "KEPT"), seq=2)
        assert field(await client.expect("0"), 112) == "KEPT"


@version
@pytest.mark.parametrize("offset", [-121, 121])
async def test_2o_sending_time_out_of_tolerance_is_rejected_then_logged_out(
    fix_logged_on, version, offset
):
    async with fix_logged_on(version) as (client, _):
        await client.send("0", sending_time=client.now(offset))
        reject = await client.expect("3")
        assert (field(reject, 373), field(reject, 372)) == ("10", "0")
        await client.expect("5")


@version
async def test_2q_invalid_msg_type_is_rejected(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("*")
        reject = await client.expect("3")
        assert (field(reject, 58), field(reject, 372), field(reject, 373)) == (
            "Invalid MsgType",
            "*",
            "11",
        )


@version
async def test_2r_valid_but_unsupported_msg_type_gets_business_reject(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("8", (37, "X"))
        reject = await client.expect("j")
        assert (field(reject, 45), field(reject, 372), field(reject, 380), field(reject, 58)) == (
            "2",
            "8",
            "3",
            "Unsupported Message Type",
        )


@version
async def test_2t_first_three_fields_out_of_order_is_ignored(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        raw = client.build("1", (112, "LOST"), seq=2)
        head, rest = raw.split(b"\x01", 1)
        length, rest = rest.split(b"\x01", 1)
        await client.send_raw(length + b"\x01" + head + b"\x01" + rest)
        await client.send("1", (112, "KEPT"), seq=2)
        assert field(await client.expect("0"), 112) == "KEPT"


@version
async def test_4a_heartbeat_after_heartbeat_interval_of_silence(fix_logged_on, version):
    async with fix_logged_on(version, heartbeat=6) as (client, venue):
        await venue.advance(6)
        assert field(await client.expect("0"), 34) == "2"
        await client.send("1", (112, "SYNC"))
        assert field(await client.expect("0"), 34) == "3"
        await venue.advance(6)
        heartbeat = await client.expect("0")
        assert (field(heartbeat, 34), field(heartbeat, 112)) == ("4", None)


@version
async def test_4b_test_request_is_answered_with_its_test_req_id(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("1", (112, "HELLO"))
        assert field(await client.expect("0"), 112) == "HELLO"


@version
async def test_6_silent_peer_gets_a_test_request_then_is_disconnected(fix_logged_on, version):
    async with fix_logged_on(version, heartbeat=10) as (client, venue):
        await venue.advance(10)
        await client.expect("0")
        await venue.advance(2)
        assert field(await client.expect("1"), 112) == "TEST"
        await venue.advance(12)
        await client.expect("0")
        await client.expect_closed()


@version
async def test_6_answered_test_request_keeps_the_session(fix_logged_on, version):
    async with fix_logged_on(version, heartbeat=10) as (client, venue):
        await venue.advance(12)
        await client.expect("0")
        test = await client.expect("1")
        await client.send("0", (112, field(test, 112)))
        await venue.advance(8)
        await client.send("1", (112, "ALIVE"))
        assert field(await client.expect("0"), 112) == "ALIVE"


@version
async def test_7_received_reject_consumes_its_number_silently(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("3", (45, 1))
        await client.send("1", (112, "AFTER"))
        assert field(await client.expect("0"), 112) == "AFTER"


@version
async def test_8_resend_request_over_admin_messages_is_one_gap_fill(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        for i in range(3):
            await client.send("1", (112, f"T{i}"))
            await client.expect("0")
        await client.send("2", (7, 1), (16, 0))
        fill = await client.expect("4")
        assert (field(fill, 34), field(fill, 36), field(fill, 123), field(fill, 43)) == (
            "1",
            "5",
            "Y",
            "Y",
        )
        assert field(fill, 122) is not None
        await client.send("1", (112, "NEXT"))
        assert field(await client.expect("0"), 34) == "5"


@version
async def test_8_resend_request_resends_application_messages_as_possdup(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.new_order("A1")
        first = await client.expect("8")
        await client.send("1", (112, "T"))
        await client.expect("0")
        await client.send("2", (7, 1), (16, 0))
        fill = await client.expect("4")
        assert (field(fill, 34), field(fill, 36)) == ("1", "2")
        again = await client.expect("8")
        assert field(again, 34) == "2"
        assert field(again, 43) == "Y"
        assert field(again, 122) == field(first, 52)
        assert field(again, 17) == field(first, 17)
        fill = await client.expect("4")
        assert (field(fill, 34), field(fill, 36)) == ("3", "4")


@version
async def test_10_gap_fill_with_expected_number_moves_the_expected_number(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("4", (123, "Y"), (36, 20))
        await client.send("1", (112, "AT-20"), seq=20)
        assert field(await client.expect("0"), 112) == "AT-20"


@version
async def test_10_gap_fill_above_expected_number_asks_for_the_gap(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("4", (123, "Y"), (36, 20), seq=5)
        request = await client.expect("2")
        assert (field(request, 7), field(request, 16)) == ("2", "0")


@version
async def test_10_gap_fill_below_expected_without_possdup_logs_out(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("0")
        await client.send("4", (123, "Y"), (36, 5), seq=1)
        assert (
            field(await client.expect("5"), 58) == "MsgSeqNum too low, expecting 3 but received 1"
        )
        await client.expect_closed()


@version
async def test_10_gap_fill_lowering_the_number_is_rejected(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("4", (123, "Y"), (36, 1))
        reject = await client.expect("3")
        assert field(reject, 373) == "5"
        assert "NewSeqNo=1" in (field(reject, 58) or "")


@version
async def test_11a_sequence_reset_to_a_higher_number_is_accepted_whatever_its_number(
    fix_logged_on, version
):
    async with fix_logged_on(version) as (client, _):
        await client.send("4", (36, 50), seq=0)
        await client.send("1", (112, "AT-50"), seq=50)
        assert field(await client.expect("0"), 112) == "AT-50"


@version
async def test_11c_sequence_reset_to_a_lower_number_is_rejected_and_ignored(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("0")
        await client.send("0")
        await client.send("4", (36, 2), seq=0)
        reject = await client.expect("3")
        assert (field(reject, 45), field(reject, 372), field(reject, 373)) == ("0", "4", "5")
        assert field(reject, 58) == "Value is incorrect (out of range) for this tag"
        await client.send("1", (112, "STILL-4"), seq=4)
        assert field(await client.expect("0"), 112) == "STILL-4"


@version
async def test_13b_unsolicited_logout_is_answered_then_disconnected(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("5")
        await client.expect("5")
        await client.expect_closed()


@version
@pytest.mark.parametrize("tag", ["999", "0", "-1", "5000"])
async def test_14a_undefined_tag_is_rejected(fix_venue, version, tag):
    async with fix_venue(version, user_defined_tags=False) as venue:
        client = await venue.connect()
        await client.logon()
        raw = client.build("0")
        await client.send_raw(_with_field(raw, tag.encode() + b"=HI"))
        reject = await client.expect("3")
        assert (field(reject, 58), field(reject, 371), field(reject, 373)) == (
            "Invalid tag number",
            tag,
            "0",
        )


@version
async def test_14b_required_tag_missing_is_rejected(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        missing = 55 if version == "FIX.4.2" else 11
        fields = [f for f in client.order_fields("A1") if f[0] != missing]
        await client.send("D", *fields)
        reject = await client.expect("3")
        assert (field(reject, 371), field(reject, 372), field(reject, 373)) == (
            str(missing),
            "D",
            "1",
        )


@version
async def test_14c_tag_not_defined_for_the_message_type_is_rejected(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("0", (55, "ACME"))
        reject = await client.expect("3")
        assert (field(reject, 58), field(reject, 371), field(reject, 373)) == (
            "Tag not defined for this message type",
            "55",
            "2",
        )


@version
async def test_14d_tag_without_value_is_rejected(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send_raw(_with_field(client.build("0"), b"112="))
        reject = await client.expect("3")
        assert (field(reject, 58), field(reject, 371), field(reject, 373)) == (
            "Tag specified without a value",
            "112",
            "4",
        )


@version
async def test_14e_value_out_of_range_is_rejected(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("D", *client.order_fields("A1", 1, 100, "10.00", "ACME", "2", (21, 4)))
        reject = await client.expect("3")
        assert (field(reject, 371), field(reject, 373)) == ("21", "5")


@version
async def test_14f_incorrect_data_format_is_rejected(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.new_order("A1", 1, "+200.00")
        reject = await client.expect("3")
        assert (field(reject, 58), field(reject, 371), field(reject, 373)) == (
            "Incorrect data format for value",
            "38",
            "6",
        )


@version
async def test_14g_header_field_after_body_fields_is_rejected(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        raw = client.build("D", *client.order_fields("A1"), header=())
        raw = raw.replace(b"\x0134=2\x01", b"\x01", 1)
        await client.send_raw(_with_field(raw, b"34=2"))
        reject = await client.expect("3")
        assert (field(reject, 58), field(reject, 371)) == (
            "Tag specified out of required order",
            "34",
        )
        assert field(reject, 373) == (None if version == "FIX.4.2" else "14")


@version
async def test_14h_repeated_tag_is_rejected(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("D", *client.order_fields("A1"), (40, 2))
        reject = await client.expect("3")
        assert (field(reject, 58), field(reject, 371)) == ("Tag appears more than once", "40")
        assert field(reject, 373) == (None if version == "FIX.4.2" else "13")


@version
async def test_14i_wrong_num_in_group_count_is_rejected(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("D", *client.order_fields("A1"), (386, 3), (336, "PRE"), (336, "OPEN"))
        reject = await client.expect("3")
        assert (field(reject, 58), field(reject, 371)) == (
            "Incorrect NumInGroup count for repeating group",
            "386",
        )
        assert field(reject, 373) == (None if version == "FIX.4.2" else "16")


@version
async def test_19a_possresend_order_already_seen_is_ignored_but_counted(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.new_order("A1")
        await client.expect("8")
        await client.new_order("A1", header=((97, "Y"),))
        await client.send("1", (112, "AFTER"))
        assert field(await client.expect("0"), 112) == "AFTER"


@version
async def test_19b_possresend_order_not_seen_is_processed(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.new_order("NEW", header=((97, "Y"),))
        report = await client.expect("8")
        assert field(report, 11) == "NEW"
        assert field(report, 39) == "0"


@version
async def test_20_resend_request_while_our_own_is_outstanding_is_served_first(
    fix_logged_on, version
):
    async with fix_logged_on(version) as (client, _):
        await client.send("1", (112, "A"))
        await client.expect("0")
        await client.send("0", seq=6)
        request = await client.expect("2")
        assert field(request, 7) == "3"
        await client.send("2", (7, 2), (16, 3), seq=7)
        fill = await client.expect("4")
        assert (field(fill, 34), field(fill, 36)) == ("2", "4")
        for seq in range(3, 6):
            await client.send("0", seq=seq, header=((43, "Y"), (122, client.now())))
        await client.send("1", (112, "DONE"), seq=8)
        assert field(await client.expect("0"), 112) == "DONE"


async def test_session_reset_mid_session_restarts_both_directions_at_1(fix_logged_on):
    async with fix_logged_on("FIX.4.4") as (client, _):
        await client.send("0")
        await client.send("A", (98, 0), (108, 30), (141, "Y"), seq=1)
        answer = await client.expect("A")
        assert (field(answer, 34), field(answer, 141)) == ("1", "Y")
        await client.send("1", (112, "AFTER-RESET"), seq=2)
        assert field(await client.expect("0"), 34) == "2"


def _with_field(raw: bytes, extra: bytes) -> bytes:
    """``raw`` with ``extra`` appended as the last body field (BodyLength and CheckSum
    recomputed)."""
    body_start = raw.index(b"\x01", raw.index(b"\x019=") + 1) + 1
    body = raw[body_start:-7] + extra + b"\x01"
    head = raw[: raw.index(b"\x019=")]
    msg = head + b"\x019=%d\x01" % len(body) + body
    return msg + b"10=%03d\x01" % (sum(msg) % 256)


@version
async def test_reverse_route_reject_goes_back_to_the_on_behalf_of_firm(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.send("0", (55, "X"), header=((115, "FIRM"), (116, "DESK"), (144, "NY")))
        reject = await client.expect("3")
        assert (field(reject, 128), field(reject, 129), field(reject, 145)) == (
            "FIRM",
            "DESK",
            "NY",
        )
        assert field(reject, 115) is None


@version
async def test_reports_of_an_order_on_behalf_of_a_firm_are_delivered_to_it(fix_logged_on, version):
    async with fix_logged_on(version) as (client, _):
        await client.new_order("A1", header=((115, "FIRM"),))
        report = await client.expect("8")
        assert (field(report, 128), field(report, 39)) == ("FIRM", "0")
