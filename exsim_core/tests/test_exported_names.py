"""The public API of exsim-core is exactly ``exsim_core.__all__``: every name in it is
importable, every public name of the package is in it, and every class and function in it
says what it is in a docstring of its own."""

from __future__ import annotations
import __future__

import importlib
import inspect
from types import ModuleType

import pytest

import exsim_core

#: exported classes that have no docstring of their own yet, and where they are defined
UNDOCUMENTED: dict[str, str] = {}


def public_names(module):
    """Names a user sees in the package (``dir()``, which includes the names it imports
    lazily): not private, not a submodule, not a ``from __future__`` feature."""
    return {
        name
        for name, value in ((n, getattr(module, n)) for n in dir(module))
        if not name.startswith("_")
        and not isinstance(value, ModuleType)
        and not isinstance(value, type(__future__.annotations))
    }


def test_all_lists_each_name_once():
    assert len(exsim_core.__all__) == len(set(exsim_core.__all__))


def test_public_names_are_exactly_all():
    assert public_names(exsim_core) == set(exsim_core.__all__)


def test_star_import_gives_exactly_all():
    namespace: dict[str, object] = {}
    exec("from exsim_core import *", namespace)  # the statement under test

    assert set(namespace) - {"__builtins__"} == set(exsim_core.__all__)


@pytest.mark.parametrize("name", exsim_core.__all__)
def test_exported_name_is_importable(name):
    module = importlib.import_module("exsim_core")

    assert getattr(module, name) is getattr(exsim_core, name)


def documented(name):
    marks = ()
    if name in UNDOCUMENTED:
        marks = pytest.mark.xfail(
            strict=True,
            reason=f"class {name} ({UNDOCUMENTED[name]}) has no docstring: it shows as "
            "undocumented in help() and the API reference",
        )
    return pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize(
    "name",
    [
        documented(name)
        for name in exsim_core.__all__
        if inspect.isclass(getattr(exsim_core, name))
        or inspect.isfunction(getattr(exsim_core, name))
    ],
)
def test_exported_class_or_function_has_a_docstring_of_its_own(name):
    value = getattr(exsim_core, name)
    doc = value.__dict__.get("__doc__") if inspect.isclass(value) else value.__doc__

    assert doc is not None
    assert doc.strip()
