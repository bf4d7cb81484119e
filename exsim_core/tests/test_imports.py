"""What importing exsim costs: the package and the commands that need no server import
none of it, so that a plugin, a notebook or ``exsim demo`` starts at once.

Each check runs in a fresh interpreter (what a user starts), never in the test process,
which has imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

import exsim_core

#: the daemon's server stack and the management client
SERVER_STACK = ("fastapi", "starlette", "hypercorn", "httpx")
#: what a plain ``import exsim_core`` must not pay for either
HEAVY = (*SERVER_STACK, "pydantic", "structlog", "rich")


def _modules_after(code: str) -> set[str]:
    """The top-level packages imported once ``code`` has run in a fresh interpreter."""
    script = textwrap.dedent(code) + textwrap.dedent(
        """
        import json, sys
        sys.__stdout__.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    line = done.stdout.rsplit("MODULES ", 1)[1]
    return {name.split(".")[0] for name in json.loads(line)}


def test_importing_exsim_core_imports_neither_the_server_stack_nor_pydantic() -> None:
    loaded = _modules_after("import exsim_core")

    assert loaded.isdisjoint(HEAVY), sorted(loaded.intersection(HEAVY))


def test_a_plugin_module_importing_its_hook_marker_imports_no_server_stack() -> None:
    loaded = _modules_after("from exsim_core import Registrar, hookimpl")

    assert loaded.isdisjoint(HEAVY), sorted(loaded.intersection(HEAVY))


@pytest.mark.parametrize("name", exsim_core.__all__)
def test_every_exported_name_imports_from_the_package(name: str) -> None:
    assert getattr(exsim_core, name) is not None
    assert name in dir(exsim_core)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Orderr'"):
        exsim_core.Orderr  # noqa: B018 - the lookup is the test


@pytest.mark.parametrize("command", [["demo"], ["plugins"], ["plugins", "--json"]])
def test_commands_without_a_server_import_no_server_stack(command: list[str]) -> None:
    loaded = _modules_after(
        f"""
        import contextlib, io
        from exsim_core.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            main({command!r}, standalone_mode=False)
        """
    )

    assert loaded.isdisjoint(SERVER_STACK), sorted(loaded.intersection(SERVER_STACK))
