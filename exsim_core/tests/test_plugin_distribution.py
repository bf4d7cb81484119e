"""Plugins loaded from entry points are listed with the distribution that provides them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from exsim_core import PluginHost
from exsim_core.testing import on_sys_path


def _editable_distribution(root: Path) -> tuple[Path, Path]:
    """A distribution installed as an editable install is: its code in a source folder,
    its metadata (entry points, an empty RECORD of code) elsewhere."""
    src = root / "src"
    (src / "editable_probe").mkdir(parents=True)
    (src / "editable_probe" / "__init__.py").write_text("")
    (src / "editable_probe" / "plugin.py").write_text(
        textwrap.dedent(
            """
            from exsim_core import hookimpl

            @hookimpl
            def exsim_register_bots(registry):
                pass
            """
        )
    )
    site = root / "site"
    info = site / "editable_probe-1.2.3.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: editable-probe\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text("[exsim]\neditable_probe = editable_probe.plugin\n")
    (info / "RECORD").write_text("")
    return src, site


def test_an_editable_plugin_is_listed_with_its_distribution(tmp_path: Path) -> None:
    src, site = _editable_distribution(tmp_path)
    with on_sys_path(site), on_sys_path(src):
        host = PluginHost(autoload=True).load()
        info = host.plugins["editable_probe"]
    assert (info.distribution, info.version) == ("editable-probe", "1.2.3")
