"""Example configurations as tests serve them."""

from __future__ import annotations

import re
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def with_free_ports(config: Path, directory: Path) -> Path:
    """A copy of the example ``config`` in ``directory`` with every port set to 0, so
    that tests serving it run in parallel with each other and with a user's own demo."""
    text = re.sub(r"(?m)^port = \d+$", "port = 0", config.read_text())
    copy = directory / config.name
    copy.write_text(text)
    return copy
