# ruff: noqa: PT009 - unittest's own assertions, as a unittest suite writes them
"""Testing with exsim from unittest: one daemon per test class.

``exsim_core.testing.Simulator`` starts a daemon (in-process by default) for the class;
``reset()`` in ``setUp`` gives each test a fresh venue, ``assert_clean()`` in
``tearDown`` fails a test that left expectations unused. Run with
``python -m unittest examples/test_example_unittest.py`` (pytest runs it too).
"""

from __future__ import annotations

import unittest

from exsim_core.testing import Simulator

CONFIG = {
    "simulator": {"clock": "manual"},
    "venues": [
        {"name": "XSIM", "instruments": [{"asset_class": "equity", "symbol": "ACME"}]},
    ],
}


class PriceTimeMatching(unittest.TestCase):
    sim: Simulator

    @classmethod
    def setUpClass(cls) -> None:
        cls.sim = cls.enterClassContext(Simulator(CONFIG))

    def setUp(self) -> None:
        self.sim.reset()
        self.exsim = self.sim.client

    def tearDown(self) -> None:
        self.sim.assert_clean()

    def test_crossing_orders_trade_at_the_resting_price(self) -> None:
        self.exsim.submit("XSIM", "ACME", "sell", 100, "10.00", session="maker")
        result = self.exsim.submit("XSIM", "ACME", "buy", 40, "10.05", session="taker")
        self.assertEqual(result["order"]["status"], "filled")
        (trade,) = self.exsim.trades("XSIM")
        self.assertEqual((trade["price"], trade["qty"]), ("10.00", "40"))

    def test_a_day_order_expires_at_the_end_of_day(self) -> None:
        order = self.exsim.submit("XSIM", "ACME", "buy", 10, "9.00", tif="DAY")["order"]
        self.exsim.advance_clock(seconds=8 * 3600)
        expired = self.exsim.wait_for(lambda e: e["kind"] == "canceled", timeout=5)
        self.assertEqual(expired["order"]["order_id"], order["order_id"])
        self.assertEqual(expired["reason"], "expired")


if __name__ == "__main__":
    unittest.main()
