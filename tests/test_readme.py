"""The README's examples do what it says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _block_after(heading: str) -> str:
    text = README.read_text()
    section = text[text.index(heading) :]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, f"no python block after {heading!r}"
    return match.group(1)


def test_the_embedding_example_prints_the_book_it_promises() -> None:
    code = _block_after("## Embedding the engine")
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.splitlines()[-1] == "[(1002, 40, 1)]"


def test_the_quick_start_commands_are_the_ones_ci_runs() -> None:
    text = README.read_text()
    assert "./uvw run exsim serve --config examples/demo.toml" in text
    assert "./uvw run pytest" in text
    ci = (README.parent / ".ci" / "run").read_text()
    assert "./uvw run pytest" in ci
