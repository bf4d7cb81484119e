"""exsim-ouch is discovered through the ``exsim`` entry-point group and registers its
four protocols; the core never imports it by name."""

from __future__ import annotations

import importlib.metadata as md
from pathlib import Path

import pytest

import exsim_ouch
from exsim_core import ConfigError, PluginHost, Simulator, Venue


def test_the_distribution_declares_its_plugin_entry_point() -> None:
    points = {ep.name: ep.value for ep in md.entry_points(group="exsim") if ep.name == "ouch"}
    assert points == {"ouch": "exsim_ouch.plugin"}
    assert md.distribution("exsim-ouch").metadata["Name"] == "exsim-ouch"


def test_autoloading_registers_the_four_protocols_from_exsim_ouch() -> None:
    host = PluginHost(autoload=True).load()
    assert {"ouch42", "ouch50", "itch50", "itch50_mold"} <= set(host.get("protocols"))
    owner = host.registry.owner("protocols", "ouch42")
    assert (owner.name, owner.module, owner.source) == ("ouch", "exsim_ouch.plugin", "entry point")


def test_the_core_never_imports_exsim_ouch() -> None:
    core = Path(md.distribution("exsim-core").locate_file("")) / "exsim_core"
    sources = core.rglob("*.py") if core.is_dir() else []
    assert not [p for p in sources if "exsim_ouch" in p.read_text()]


def test_the_public_api_is_what_the_facade_exports() -> None:
    assert sorted(exsim_ouch.__all__) == sorted(
        name for name in vars(exsim_ouch) if not name.startswith("_") and name[0].isupper()
    )


def test_a_soupbintcp_username_longer_than_six_characters_is_a_config_error(
    sim: Simulator, venue: Venue
) -> None:
    sim.create_endpoint("OUCH", "ouch42", "XNAS")
    sim.create_session("OUCH", "long", {"username": "TOOLONGNAME"}, password="secret")
    protocol_class = sim.protocol_class("ouch42")
    from exsim_core.protocol import ProtocolContext
    from exsim_core.store import MemoryStore

    protocol = protocol_class(sim.endpoint("OUCH"), ProtocolContext(sim, venue, MemoryStore()))
    with pytest.raises(ConfigError, match="1 to 6 printable ASCII"):
        protocol.session_added(sim.session("long"))


def test_a_mold_feed_needs_a_destination_port(sim: Simulator, venue: Venue) -> None:
    with pytest.raises(ValueError, match="dest_port"):
        sim.create_endpoint("MOLD", "itch50_mold", "XNAS")
