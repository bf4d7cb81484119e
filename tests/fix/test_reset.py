"""A reset of the daemon starts FIX sessions afresh: sequence numbers at 1 both ways."""

from __future__ import annotations

import pytest
from fixexample import Example

from exsim_fix.testing import field

pytestmark = pytest.mark.anyio


async def test_after_a_reset_a_session_logs_on_at_one_without_resetting_itself(
    example: Example,
) -> None:
    first = await example.open("fix44", "CLIENT")
    answer = await first.logon(30)
    assert answer is not None
    assert field(answer, 34) == "1"
    await first.new_order("R1", 1, 100, "10.00", "ACME", "2", (59, 1))
    ack = await first.expect("8")
    assert field(ack, 34) == "2"
    await first.send("5")
    await first.expect("5")
    await example.api.reset()
    again = await example.open("fix44", "CLIENT")
    answer = await again.logon(30)  # no ResetSeqNumFlag: the venue starts at 1 too
    assert answer is not None
    assert field(answer, 34) == "1"
    assert field(answer, 141) is None
