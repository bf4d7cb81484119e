"""The documentation builds without a warning, and its references cover the code: every
hook and every public name is documented, and the quick start prints what it says.

The docs are built once, with ``sphinx-build -W --keep-going -n`` in a subprocess, into a
temporary directory; the tests read the HTML it wrote.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import exsim_core
from exsim_core import hookspecs

DOCS = Path(__file__).resolve().parents[1] / "docs"

#: the tests that read the build, which takes several seconds (once for all of them)
reads_the_build = pytest.mark.slow


@dataclass
class Build:
    returncode: int
    output: str
    html: Path
    pages: dict[str, dict[str, str]] = field(default_factory=dict)

    def page(self, name: str) -> dict[str, str]:
        """``{signature id: text of its description}`` of every object a page documents
        (typographic quotes as the source wrote them)."""
        if name not in self.pages:
            parser = _Descriptions()
            parser.feed((self.html / f"{name}.html").read_text(encoding="utf-8"))
            parser.close()
            self.pages[name] = {
                ident: " ".join("".join(parts).translate(_PLAIN_QUOTES).split())
                for ident, parts in parser.text.items()
            }
        return self.pages[name]


_PLAIN_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


class _Descriptions(HTMLParser):
    """Collects the description (``<dd>``) of every documented object (``<dt id=...>``)."""

    def __init__(self) -> None:
        super().__init__()
        self.text: dict[str, list[str]] = {}
        self._depth = 0
        self._signature: str | None = None
        self._open: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("dl", "dt", "dd"):
            return
        self._depth += 1
        attributes = dict(attrs)
        ident = attributes.get("id")
        if tag == "dt" and ident and "sig-object" in (attributes.get("class") or ""):
            self._signature = ident
        elif tag == "dd" and self._signature is not None:
            self._open.append((self._depth, self._signature))
            self.text[self._signature] = []
            self._signature = None

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("dl", "dt", "dd"):
            return
        if self._open and self._open[-1][0] == self._depth:
            self._open.pop()
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        for _, ident in self._open:
            self.text[ident].append(data)


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    out = tmp_path_factory.mktemp("docs")
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "--keep-going",
        "-n",
        "-q",
        "-b",
        "html",
        "-d",
        str(out / "doctrees"),
        str(DOCS),
        str(out / "html"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    return Build(done.returncode, done.stdout + done.stderr, out / "html")


@reads_the_build
def test_the_docs_build_without_a_warning(build: Build) -> None:
    assert build.returncode == 0, f"sphinx-build -W -n failed:\n{build.output}"


# --------------------------------------------------------------------- the hook reference


def _hooks() -> list[Callable[..., Any]]:
    return [
        fn
        for name, fn in vars(hookspecs).items()
        if name.startswith("exsim_") and inspect.isfunction(fn)
    ]


def _kind(fn: Callable[..., Any]) -> str:
    if (getattr(fn, "exsim_spec", None) or {}).get("firstresult"):
        return "Decision hook"
    if fn.__name__.startswith("exsim_register_"):
        return "Factory hook"
    return "Observer hook"


def _rendered(rst: str) -> str:
    """What a paragraph of reStructuredText reads as once rendered."""
    text = re.sub(r":\w+:`~[\w.]*?(\w+)`", r"\1", rst)
    text = re.sub(r":\w+:`([^`<]*?)(?:\s*<[^>]+>)?`", r"\1", text)
    text = text.replace("``", "").replace("**", "")
    return " ".join(text.split())


HOOKS = _hooks()


def test_hookspecs_define_hooks() -> None:
    assert len(HOOKS) >= 10


@reads_the_build
@pytest.mark.parametrize("hook", HOOKS, ids=[fn.__name__ for fn in HOOKS])
def test_every_hook_is_documented_in_the_hook_reference(
    build: Build, hook: Callable[..., Any]
) -> None:
    name = hook.__name__
    doc = inspect.getdoc(hook)
    assert doc, f"hook {name} has no docstring in exsim_core/hookspecs.py"
    described = build.page("hooks")
    ident = f"exsim_core.hookspecs.{name}"
    assert ident in described, f"hook {name} is not in the hook reference"
    text = described[ident]

    assert text.startswith(_kind(hook)), f"{name}: kind not shown first: {text[:80]!r}"
    summary = _rendered(doc.split("\n\n")[0])
    assert summary in text, f"{name}: summary {summary!r} not rendered"
    for param in inspect.signature(hook).parameters:
        # Sphinx renders ":param name: text" as "name, an en dash, text"
        assert re.search(rf"\b{param} (\([^)]*\) )?\u2013 \S", text), (
            f"{name}: parameter {param!r} is not documented (:param {param}: ...)"
        )
    if hook.__annotations__.get("return", "None") != "None":
        assert "Returns :" in text or "Returns:" in text, f"{name}: its result is not documented"


# --------------------------------------------------------------------- the API reference


@reads_the_build
@pytest.mark.parametrize("name", exsim_core.__all__)
def test_every_public_name_is_in_the_api_reference(build: Build, name: str) -> None:
    assert f"exsim_core.{name}" in build.page("api"), f"exsim_core.{name} is not in api.md"


@reads_the_build
def test_the_api_reference_documents_only_public_names_at_top_level(build: Build) -> None:
    top_level = {
        ident.removeprefix("exsim_core.")
        for ident in build.page("api")
        if re.fullmatch(r"exsim_core\.\w+", ident)
    }

    assert top_level <= set(exsim_core.__all__)


# --------------------------------------------------------------------- the quick start


def _blocks(page: Path, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", page.read_text(), re.MULTILINE | re.DOTALL)


def test_the_quickstart_example_prints_what_the_page_shows() -> None:
    page = DOCS / "quickstart.md"
    (code,) = _blocks(page, "python")
    (shown,) = _blocks(page, "text")
    printed = io.StringIO()

    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(page), "exec"), {"__name__": "quickstart"})  # the example

    assert printed.getvalue() == shown
