"""exsim-fix as a plugin: found through the ``exsim`` entry points, configured with
clear errors, and never imported by the core."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

import exsim_core
from exsim_core.cli import main
from exsim_core.plugins import PluginHost
from exsim_fix import FixConfigError, FixProtocol
from exsim_fix.testing import serving


def test_entry_point_registers_the_fix_protocol():
    host = PluginHost(autoload=True).load()
    assert host.get("protocols")["fix"] is FixProtocol
    assert host.registry.owner("protocols", "fix").source == "entry point"


def test_exsim_plugins_lists_fix():
    result = CliRunner().invoke(main, ["plugins", "--json"])
    assert result.exit_code == 0
    assert '"fix"' in result.output


def test_the_core_never_imports_exsim_fix():
    core = Path(exsim_core.__file__).parent
    offenders = [p.name for p in core.rglob("*.py") if "exsim_fix" in p.read_text()]
    assert offenders == []


def test_unknown_begin_string_is_a_clear_error(make_sim):
    sim = make_sim(sessions=())
    with pytest.raises(ValidationError, match=r"FIX\.4\.4"):
        sim.create_session(
            "fix",
            "X",
            {"sender_comp_id": "X", "target_comp_id": "EXSIM"},
            params={"begin_string": "FIX.5.0"},
        )


def test_unknown_session_setting_is_a_clear_error(make_sim):
    sim = make_sim(sessions=())
    with pytest.raises(ValidationError, match="heartbeat"):
        sim.create_session(
            "fix", "X", {"sender_comp_id": "X", "target_comp_id": "EXSIM"}, params={"heartbeat": 30}
        )


@pytest.mark.anyio
async def test_two_sessions_with_the_same_comp_ids_are_refused(make_sim):
    sim = make_sim(sessions=("CLIENT",))
    sim.create_session("fix", "AGAIN", {"sender_comp_id": "CLIENT", "target_comp_id": "EXSIM"})
    with pytest.raises(FixConfigError, match="same CompIDs"):
        async with serving(sim, "fix"):
            pass
