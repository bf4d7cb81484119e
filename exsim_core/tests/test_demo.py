"""``exsim demo`` runs a scripted venue and prints it."""

from __future__ import annotations

from click.testing import CliRunner

from exsim_core import OrderStatus
from exsim_core.cli import main
from exsim_core.demo import run_demo


def test_demo_prints_the_book_the_trades_and_the_orders() -> None:
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    for title in ("What happened", "ACME book (L2)", "Trades", "Orders"):
        assert title in result.output


def test_demo_shows_every_kind_of_outcome() -> None:
    venue = run_demo()
    book = venue.book("ACME")
    assert not book.is_crossed
    assert book.trades == 14
    assert book.depth(2) == [(10_000, 500, 1), (10_050, 600, 1)]


def test_demo_is_the_same_every_run() -> None:
    first = run_demo()
    second = run_demo()
    assert first.last_order_id == second.last_order_id
    statuses = [
        OrderStatus(o.status) for o in sorted(second.orders.values(), key=lambda o: o.order_id)
    ]
    assert statuses == [
        OrderStatus(o.status) for o in sorted(first.orders.values(), key=lambda o: o.order_id)
    ]
