"""Every bot parameter is documented, with its unit and default, in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from exsim_bots import BOTS, FairValueParams

README = (Path(__file__).parents[1] / "README.md").read_text()


def _section(title: str) -> str:
    start = README.index(f"### `{title}`") if title != "fair_value" else README.index(
        "## The fair value"
    )
    end = README.find("\n#", start + 5)
    return README[start : end if end != -1 else None]


def _rows(section: str) -> dict[str, tuple[str, str]]:
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \| ([^|]+) \|", section, re.MULTILINE)
    return {name: (unit.strip(), default.strip()) for name, unit, default in rows}


def _shown(value: object) -> str:
    if value is None:
        return "none"
    if value == {}:
        return "`{}`"
    return str(value)


CASES = [(b.name, b.Params) for b in BOTS] + [("fair_value", FairValueParams)]


@pytest.mark.parametrize(("title", "model"), CASES, ids=[c[0] for c in CASES])
def test_every_parameter_is_in_the_readme_with_a_unit_and_its_default(
    title: str, model: type[BaseModel]
) -> None:
    rows = _rows(_section(title))
    for name, field in model.model_fields.items():
        if name == "fair_value" and title != "activity":
            continue  # documented once, in its own section
        assert name in rows, f"{title}.{name} is not documented"
        unit, default = rows[name]
        assert unit, f"{title}.{name} has no unit"
        shown = _shown(field.get_default(call_default_factory=True))
        assert default.strip("`") == shown.strip("`"), f"{title}.{name}: {default} != {shown}"


@pytest.mark.parametrize(("title", "model"), CASES, ids=[c[0] for c in CASES])
def test_every_parameter_has_a_description(title: str, model: type[BaseModel]) -> None:
    assert all(f.description for f in model.model_fields.values())
