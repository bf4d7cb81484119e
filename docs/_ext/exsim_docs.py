"""Sphinx extension of exsim's documentation: reference tables generated from the code.

Directives (use them inside ``{eval-rst}`` blocks of MyST pages):

``exsim-hooks KIND``
    Document every hook of one kind (``factory``, ``decision`` or ``observer``) from
    :mod:`exsim_core.hookspecs`, in source order. A hook without a docstring is a
    warning (so ``sphinx-build -W`` fails): every hook is part of the product.

``exsim-enum DOTTED.NAME``
    A table of an enumeration: value, name, the standard text (option ``:texts:``, the
    dotted name of a ``{member: text}`` mapping) and when it happens (the directive's
    content, one ``NAME: description`` line per member). A member without a line, or a
    line naming no member, is a warning.

``exsim-events``
    The table of event kinds: kind, fields (from :data:`exsim_core.events.FIELDS`) and
    when it is emitted (content, one ``KIND: description`` line per kind, as for
    ``exsim-enum``).

``exsim-model-fields DOTTED.NAME``
    The fields of a pydantic model: name, type, default and description.

Every hook's description starts with its kind, and references to exsim-core objects
written with their defining module (``exsim_core.enums.Side``, as type hints are) resolve
to the documented public name (``exsim_core.Side``).
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
from collections.abc import Callable, Iterator
from enum import Enum
from typing import Any

from docutils import nodes  # type: ignore[import-untyped]
from docutils.statemachine import StringList  # type: ignore[import-untyped]
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

from exsim_core import hookspecs

log = logging.getLogger(__name__)

#: what each kind of hook is, as the hook reference says it
HOOK_KINDS = {
    "factory": "Factory hook",
    "decision": "Decision hook",
    "observer": "Observer hook",
}


def hook_kind(fn: Callable[..., Any]) -> str:
    """``factory``, ``decision`` or ``observer``: what kind of hook ``fn`` specifies."""
    opts = getattr(fn, "exsim_spec", None) or {}
    if opts.get("firstresult"):
        return "decision"
    if fn.__name__.startswith("exsim_register_"):
        return "factory"
    return "observer"


def hook_kind_text(fn: Callable[..., Any]) -> str:
    """The sentence that opens a hook's description: its kind and how it is called."""
    from exsim_core.plugins import KINDS

    kind = hook_kind(fn)
    if kind == "decision":
        how = (
            "(firstresult): the first non-None result is the answer; plugins registered "
            "later are asked first."
        )
    elif kind == "factory" and fn.__name__ in KINDS.values():
        how = "(a registry): called once for each plugin, as the plugin is loaded."
    elif kind == "factory":
        how = "(extension): every implementation runs; it is not called as plugins load."
    else:
        how = "(notification): every implementation runs; results are ignored."
    return f"**{HOOK_KINDS[kind]}** {how}"


def hooks() -> list[Callable[..., Any]]:
    """Every hook specification of :mod:`exsim_core.hookspecs`, in source order."""
    found = [
        fn
        for name, fn in vars(hookspecs).items()
        if name.startswith("exsim_") and inspect.isfunction(fn)
    ]
    return sorted(found, key=lambda fn: fn.__code__.co_firstlineno)


def _resolve(dotted: str) -> Any:
    module, _, attr = dotted.rpartition(".")
    return getattr(importlib.import_module(module), attr)


def _described(lines: StringList) -> dict[str, str]:
    """``{NAME: description}`` from ``NAME: description`` lines (a line starting with
    whitespace continues the previous description)."""
    out: dict[str, str] = {}
    last = None
    for line in lines:
        if not line.strip():
            continue
        if line[0].isspace() and last is not None:
            out[last] += " " + line.strip()
            continue
        name, sep, text = line.partition(":")
        if not sep:
            raise ValueError(f"expected 'NAME: description', got {line!r}")
        last = name.strip()
        out[last] = text.strip()
    return out


class _TableDirective(SphinxDirective):
    """A directive that renders a table whose cells are nodes."""

    def table(self, header: list[str], rows: list[list[nodes.Node | str]]) -> nodes.table:
        table = nodes.table(classes=["exsim-reference"])
        group = nodes.tgroup(cols=len(header))
        table += group
        for _ in header:
            group += nodes.colspec(colwidth=1)
        head = nodes.thead()
        group += head
        head += self._row(header)
        body = nodes.tbody()
        group += body
        for row in rows:
            body += self._row(row)
        return table

    def _row(self, cells: list[nodes.Node | str]) -> nodes.row:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            if isinstance(cell, str):
                entry += nodes.paragraph(text=cell)
            elif isinstance(cell, nodes.paragraph):
                entry += cell
            else:
                entry += nodes.paragraph("", "", cell)
            row += entry
        return row

    def describe(self, text: str) -> nodes.Node:
        """``text`` parsed as inline markup of this document."""
        parsed, messages = self.parse_inline(text)
        return nodes.paragraph("", "", *parsed, *messages)

    def check_descriptions(self, names: list[str], described: dict[str, str], what: str) -> None:
        for name in names:
            if name not in described:
                log.warning(
                    "%s %s is not described in this table", what, name, location=self.get_location()
                )
        for name in described:
            if name not in names:
                log.warning("%s %s does not exist", what, name, location=self.get_location())


class HooksDirective(SphinxDirective):
    """``exsim-hooks KIND``: autodoc every hook of one kind."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        kind = self.arguments[0]
        if kind not in HOOK_KINDS:
            raise self.error(f"unknown hook kind {kind!r}; known: {', '.join(HOOK_KINDS)}")
        lines = StringList()
        source = self.get_source_info()[0]
        for fn in hooks():
            if hook_kind(fn) != kind:
                continue
            if not (fn.__doc__ or "").strip():
                log.warning(
                    "hook %s has no docstring: document it in exsim_core/hookspecs.py",
                    fn.__name__,
                    location=self.get_location(),
                )
            lines.append(f".. autofunction:: exsim_core.hookspecs.{fn.__name__}", source)
            lines.append("", source)
        container = nodes.section()
        container.document = self.state.document
        nested_parse_with_titles(self.state, lines, container)
        children: list[nodes.Node] = container.children
        return children


class EnumDirective(_TableDirective):
    """``exsim-enum DOTTED.NAME``: an enumeration's members, texts and meanings."""

    required_arguments = 1
    has_content = True
    option_spec = {"texts": lambda value: value.strip()}

    def run(self) -> list[nodes.Node]:
        enum: type[Enum] = _resolve(self.arguments[0])
        texts: dict[Any, str] | None = (
            _resolve(self.options["texts"]) if "texts" in self.options else None
        )
        described = _described(self.content)
        members = list(enum)
        self.check_descriptions([m.name for m in members], described, enum.__name__)
        header = ["value", "name"] + (["text"] if texts is not None else []) + ["meaning"]
        rows: list[list[nodes.Node | str]] = []
        for member in members:
            row: list[nodes.Node | str] = [
                nodes.literal(text=str(member.value)),
                nodes.literal(text=member.name),
            ]
            if texts is not None:
                row.append(texts.get(member, ""))
            row.append(self.describe(described.get(member.name, "")))
            rows.append(row)
        return [self.table(header, rows)]


class EventsDirective(_TableDirective):
    """``exsim-events``: every event kind with its fields."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        from exsim_core import events

        described = _described(self.content)
        kinds = sorted(events.KIND_NAMES)
        names = [_kind_constant(k) for k in kinds]
        self.check_descriptions(names, described, "event kind")
        rows: list[list[nodes.Node | str]] = []
        for kind, name in zip(kinds, names, strict=True):
            fields = nodes.paragraph()
            for i, field in enumerate(events.FIELDS[kind]):
                if i:
                    fields += nodes.Text(", ")
                fields += nodes.literal(text=field)
            rows.append(
                [
                    nodes.literal(text=name),
                    nodes.literal(text=str(kind)),
                    fields,
                    self.describe(described.get(name, "")),
                ]
            )
        return [self.table(["kind", "value", "fields after the kind", "emitted when"], rows)]


def _kind_constant(kind: int) -> str:
    from exsim_core import events

    return next(name for name in events.__all__ if getattr(events, name) == kind)


class ModelFieldsDirective(_TableDirective):
    """``exsim-model-fields DOTTED.NAME``: a pydantic model's fields."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        model = _resolve(self.arguments[0])
        rows: list[list[nodes.Node | str]] = []
        for name, field in model.model_fields.items():
            default = field.get_default(call_default_factory=True)
            rows.append(
                [
                    nodes.literal(text=name),
                    nodes.literal(text=_type_name(field.annotation)),
                    nodes.literal(text=_shown(default)),
                    field.description or "",
                ]
            )
        return [self.table(["field", "type", "default", "description"], rows)]


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, type) and not getattr(annotation, "__args__", None):
        return annotation.__name__
    return re.sub(r"\b(?:[a-z_]+\.)+", "", str(annotation))


def _shown(value: Any) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _hook_kind_line(
    _app: Sphinx, what: str, name: str, obj: Any, _options: Any, lines: list[str]
) -> None:
    """Start every hook's description with its kind."""
    if what == "function" and name.startswith("exsim_core.hookspecs.exsim_"):
        lines[:0] = [hook_kind_text(obj), ""]


def _model_signature(
    _app: Sphinx,
    what: str,
    _name: str,
    obj: Any,
    _options: Any,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None] | None:
    """A pydantic model's signature lists every field with its type and default, which
    the model's field table shows better: show ``(**data)``, as pydantic declares it.
    A dataclass's fields made by a factory show the value the factory makes."""
    from pydantic import BaseModel

    if what in ("class", "exception") and inspect.isclass(obj) and issubclass(obj, BaseModel):
        return "(**data)", return_annotation
    if signature and inspect.isclass(obj) and dataclasses.is_dataclass(obj):
        # a field with a default factory shows as ``<factory>``, which is no Python
        for field in dataclasses.fields(obj):
            if field.default_factory is not dataclasses.MISSING:
                made = field.default_factory()
                shown = repr(made) if isinstance(made, dict | list | set | tuple) else "..."
                signature = signature.replace("<factory>", shown, 1)
        return signature, return_annotation
    return None


def _public_candidates(target: str) -> Iterator[str]:
    """Public names ``target`` may stand for: ``exsim_core.enums.Side`` and ``Side`` are
    documented as ``exsim_core.Side``, ``exsim_core.book.Book.work`` as
    ``exsim_core.Book.work``."""
    parts = target.split(".")
    if parts[0] == "exsim_core":
        for i in range(2, len(parts)):
            yield ".".join(["exsim_core", *parts[i:]])
    elif parts[0][:1].isupper():
        yield f"exsim_core.{target}"


def _missing_reference(
    app: Sphinx, env: Any, node: nodes.Element, contnode: nodes.Element
) -> nodes.Element | None:
    if node.get("refdomain") != "py":
        return None
    domain = env.get_domain("py")
    target = node["reftarget"]
    for candidate in _public_candidates(target):
        matches = domain.find_obj(env, None, None, candidate, node["reftype"], 0)
        if matches:
            node["reftarget"] = candidate
            resolved: nodes.Element | None = domain.resolve_xref(
                env, node["refdoc"], app.builder, node["reftype"], candidate, node, contnode
            )
            return resolved
    return None


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("exsim-hooks", HooksDirective)
    app.add_directive("exsim-enum", EnumDirective)
    app.add_directive("exsim-events", EventsDirective)
    app.add_directive("exsim-model-fields", ModelFieldsDirective)
    app.connect("autodoc-process-docstring", _hook_kind_line)
    app.connect("autodoc-process-signature", _model_signature)
    app.connect("missing-reference", _missing_reference)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
