"""The pytest plugin as a test suite uses it."""

from __future__ import annotations

import pytest


def test_each_directorys_configuration_gets_its_own_daemon(pytester: pytest.Pytester) -> None:
    for name in ("alpha", "beta"):
        pytester.mkpydir(name)
        (pytester.path / name / "conftest.py").write_text(
            "import pytest\n"
            "@pytest.fixture(scope='session')\n"
            "def exsim_config():\n"
            "    return {'simulator': {'clock': 'manual'}, "
            f"'venues': [{{'name': '{name.upper()}'}}]}}\n"
        )
        (pytester.path / name / f"test_{name}.py").write_text(
            f"def test_sees_its_venue(exsim):\n"
            f"    assert [v['name'] for v in exsim.venues()] == ['{name.upper()}']\n"
        )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "alpha", "beta")
    result.assert_outcomes(passed=2)


def test_the_plugin_defines_no_autouse_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing(tmp_path):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--setup-plan")
    setups = [line for line in result.stdout.lines if "SETUP" in line]
    assert setups
    assert not [line for line in setups if "exsim" in line]
