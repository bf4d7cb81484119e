"""Plugins: discovery through entry points, listing, load order, and the errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from exsim_core import (
    BUY,
    DuplicateName,
    Equity,
    ManualClock,
    Order,
    OrderStatus,
    PluginError,
    PluginHost,
    PluginLoadError,
    Simulator,
)
from exsim_core.testing import make_distribution, on_sys_path, register_plugin

# A plugin as a third party would write it: an order type and a bot kind.
PLUGIN = '''
from exsim_core import Bot, OrderType, hookimpl


class JoinBid(OrderType):
    """A buy that joins the best bid (no price of its own)."""

    name = "join_bid"
    needs_price = False

    def validate(self, order, book):
        reason = super().validate(order, book)
        if reason:
            return reason
        return 16 if order.side != 1 or book.best_bid is None else 0

    def enter(self, order, book):
        order.price = book.best_bid
        book.rest(order)


class OneShot(Bot):
    """Sends one buy order when it starts."""

    name = "one_shot"

    def on_start(self):
        self.send(1, 100, self.book.best_ask)


@hookimpl
def exsim_register_order_types(registry):
    registry.add(JoinBid)


@hookimpl
def exsim_register_bots(registry):
    registry.add(OneShot)
'''

BROKEN = "import a_module_that_does_not_exist\n"


def _exsim(
    *args: str, pythonpath: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    environ = dict(os.environ, **env)
    if pythonpath is not None:
        environ["PYTHONPATH"] = os.pathsep.join(
            [str(pythonpath), *filter(None, [environ.get("PYTHONPATH")])]
        )
    return subprocess.run(
        [sys.executable, "-m", "exsim_core.cli", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        check=False,
    )


@pytest.fixture
def joinbid_dist(tmp_path: Path) -> Path:
    return make_distribution(
        tmp_path / "site",
        "exsim-joinbid",
        {"exsim_joinbid/__init__.py": "", "exsim_joinbid/plugin.py": PLUGIN},
        {"joinbid": "exsim_joinbid.plugin"},
        version="3.1.4",
    )


@pytest.fixture
def broken_dist(tmp_path: Path) -> Path:
    return make_distribution(
        tmp_path / "broken",
        "exsim-broken",
        {"exsim_broken/__init__.py": "", "exsim_broken/plugin.py": BROKEN},
        {"broken": "exsim_broken.plugin"},
        version="0.0.9",
    )


def test_a_plugin_distribution_is_listed_by_exsim_plugins(joinbid_dist: Path) -> None:
    result = _exsim("plugins", "--json", pythonpath=joinbid_dist)
    assert result.returncode == 0, result.stderr
    plugins = {p["name"]: p for p in json.loads(result.stdout)}
    joinbid = plugins["joinbid"]
    assert joinbid["distribution"] == "exsim-joinbid"
    assert joinbid["version"] == "3.1.4"
    assert joinbid["source"] == "entry point"
    assert joinbid["registered"] == {"order_types": ["join_bid"], "bots": ["one_shot"]}


def test_a_plugin_order_type_is_usable_by_name(joinbid_dist: Path) -> None:
    with on_sys_path(joinbid_dist):
        sim = Simulator(clock=ManualClock(), autoload=True)
        venue = sim.create_venue("XSIM")
        venue.add_instrument(Equity(symbol="ACME"))
        venue.submit(Order("ACME", BUY, 100, 1000, session="a"))
        joined = venue.submit(Order("ACME", BUY, 50, ord_type="join_bid", session="b"))
    assert joined.status == OrderStatus.NEW
    assert venue.book("ACME").depth(BUY) == [(1000, 150, 2)]


def test_a_plugin_bot_is_usable_by_name(joinbid_dist: Path) -> None:
    with on_sys_path(joinbid_dist):
        sim = Simulator(clock=ManualClock(), autoload=True)
        venue = sim.create_venue("XSIM")
        venue.add_instrument(Equity(symbol="ACME"))
        venue.submit(Order("ACME", 2, 100, 1001, session="seller"))
        bot = sim.create_bot("one_shot", "XSIM", "ACME")
        bot.start()
    assert bot.position == 100
    assert venue.book("ACME").last_price == 1001


def test_a_plugin_that_fails_to_import_stops_start_up_naming_it(broken_dist: Path) -> None:
    result = _exsim("plugins", pythonpath=broken_dist)
    assert result.returncode != 0
    assert "'broken'" in result.stderr
    assert "exsim_broken.plugin" in result.stderr
    assert "exsim-broken 0.0.9" in result.stderr
    assert "ModuleNotFoundError" in result.stderr


def test_load_error_names_the_entry_point_and_distribution_in_process(broken_dist: Path) -> None:
    with on_sys_path(broken_dist), pytest.raises(PluginLoadError) as info:
        PluginHost(autoload=True).load()
    message = str(info.value)
    assert "'broken'" in message
    assert "distribution exsim-broken 0.0.9" in message


def test_a_blocked_plugin_is_not_even_imported(broken_dist: Path) -> None:
    with on_sys_path(broken_dist):
        host = PluginHost(autoload=True, block=["broken"]).load()
    assert "broken" not in host.plugins


def test_autoload_can_be_turned_off_by_environment(joinbid_dist: Path) -> None:
    result = _exsim("plugins", "--json", pythonpath=joinbid_dist, EXSIM_DISABLE_PLUGIN_AUTOLOAD="1")
    assert result.returncode == 0, result.stderr
    assert [p["name"] for p in json.loads(result.stdout)] == ["exsim.builtin"]


def test_a_plugin_named_explicitly_loads_without_autoload(joinbid_dist: Path) -> None:
    result = _exsim(
        "plugins",
        "--json",
        "-p",
        "exsim_joinbid.plugin",
        pythonpath=joinbid_dist,
        EXSIM_DISABLE_PLUGIN_AUTOLOAD="1",
    )
    assert result.returncode == 0, result.stderr
    names = [p["name"] for p in json.loads(result.stdout)]
    assert names == ["exsim.builtin", "exsim_joinbid.plugin"]


def test_the_builtin_plugin_registers_the_engine_and_every_order_type() -> None:
    result = _exsim("plugins", "--json", EXSIM_DISABLE_PLUGIN_AUTOLOAD="1")
    builtin = json.loads(result.stdout)[0]
    assert builtin["name"] == "exsim.builtin"
    assert builtin["distribution"] == "exsim-core"
    assert "price_time" in builtin["registered"]["engines"]
    assert builtin["registered"]["order_types"] == [
        "limit",
        "market",
        "market_to_limit",
        "peg",
        "stop",
        "stop_limit",
    ]


def test_a_misspelt_hook_is_an_error() -> None:
    class Typo:
        @staticmethod
        def exsim_register_order_type(registry: object) -> None:  # missing "s"
            pass

    from exsim_core import hookimpl

    hookimpl(Typo.exsim_register_order_type)
    sim = Simulator(clock=ManualClock(), autoload=False)
    with pytest.raises(PluginError, match="exsim_register_order_type"):
        register_plugin(sim, Typo(), name="typo")


def test_two_plugins_registering_one_name_is_an_error_naming_both(
    tmp_path: Path, joinbid_dist: Path
) -> None:
    twin = make_distribution(
        tmp_path / "twin",
        "exsim-twin",
        {"exsim_twin/__init__.py": "", "exsim_twin/plugin.py": PLUGIN},
        {"twin": "exsim_twin.plugin"},
        version="2.0",
    )
    with on_sys_path(joinbid_dist), on_sys_path(twin), pytest.raises(DuplicateName) as info:
        PluginHost(autoload=True).load()
    message = str(info.value)
    assert "exsim-joinbid 3.1.4" in message
    assert "exsim-twin 2.0" in message


def test_version_lists_every_installed_exsim_distribution() -> None:
    result = _exsim("--version")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert any(line.startswith("exsim-core ") for line in lines)
    names = [line.split()[0] for line in lines]
    assert names == sorted(names)
