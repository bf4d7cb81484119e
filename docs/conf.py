"""Sphinx configuration of exsim's documentation.

Build it from the repository root with::

    ./uvw run sphinx-build -W --keep-going -n docs docs/_build/html
"""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "exsim"
author = "exsim developers"
copyright = "exsim developers; GPL-3.0-or-later"
release = importlib.metadata.version("exsim-core")
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx_click",
    "exsim_docs",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "_ext"]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# every cross-reference must resolve (sphinx-build -n); with no network there is no
# intersphinx, so references to other projects' objects are named here instead
nitpicky = True
nitpick_ignore_regex = [
    # the standard library and the libraries exsim builds on
    (
        r"py:.*",
        r"(collections\.abc|typing|types|enum|decimal|datetime|dt|logging|pathlib|"
        r"importlib\.metadata|md|pluggy|click|anyio|anyio\.abc|pydantic|pydantic_core|"
        r"httpx|subprocess|unittest)"
        r"(\..*)?",
    ),
]

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_class_signature = "mixed"
autodoc_inherit_docstrings = False

html_theme = "furo"
html_title = f"exsim {release}"
