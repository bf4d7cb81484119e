"""The plugin host: one per simulator, never global.

Load order (documented in :doc:`/plugins`):

1. the builtin plugin (:mod:`exsim_core.builtin`), which registers the core's own
   engine and order types through the same hooks any plugin uses;
2. entry points of the group ``exsim``, in the order of their names (skipped when
   ``EXSIM_DISABLE_PLUGIN_AUTOLOAD`` is set, or ``autoload=False``);
3. plugins named explicitly (configuration ``plugins = [...]``, ``exsim -p MODULE``),
   which load even when autoloading is off.

A plugin named in ``block`` is never loaded (by entry point name or module name). After
loading, ``check_pending()`` makes an implementation of an unknown hook (a misspelt
``exsim_`` function) an error. A plugin that fails to import stops start-up with an error
naming the entry point and its distribution.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata as md
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pluggy

from . import hookspecs
from .errors import DuplicateName, PluginError, PluginLoadError

__all__ = [
    "ENTRY_POINT_GROUP",
    "KINDS",
    "PluginHost",
    "PluginInfo",
    "Registrar",
    "Registry",
    "hookimpl",
]

ENTRY_POINT_GROUP = "exsim"
hookimpl = pluggy.HookimplMarker("exsim")

#: factory hook of each kind of registered thing
KINDS: dict[str, str] = {
    "engines": "exsim_register_engines",
    "order_types": "exsim_register_order_types",
    "protocols": "exsim_register_protocols",
    "bots": "exsim_register_bots",
    "config_sections": "exsim_register_config_sections",
}


@dataclass
class PluginInfo:
    """What the host knows about one loaded plugin."""

    name: str
    module: str
    distribution: str | None
    version: str | None
    source: str  # "builtin", "entry point", "named", "in-process"
    registered: dict[str, list[str]] = field(default_factory=dict)
    hooks: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        if self.distribution:
            return f"{self.name} (distribution {self.distribution} {self.version})"
        return f"{self.name} (module {self.module})"


@dataclass
class _Entry:
    obj: Any
    plugin: PluginInfo


class Registry:
    """Every name registered by every plugin, by kind."""

    def __init__(self) -> None:
        self._kinds: dict[str, dict[str, _Entry]] = {kind: {} for kind in KINDS}

    def add(self, kind: str, name: str, obj: Any, plugin: PluginInfo) -> None:
        names = self._kinds[kind]
        if not name:
            raise PluginError(f"{plugin.where} registered {kind[:-1]} {obj!r} without a name")
        if name in names:
            first = names[name].plugin
            raise DuplicateName(
                f"{kind[:-1].replace('_', ' ')} {name!r} is registered twice: by "
                f"{first.where} and by {plugin.where}; uninstall or block one of them"
            )
        names[name] = _Entry(obj, plugin)
        plugin.registered.setdefault(kind, []).append(name)

    def get(self, kind: str) -> dict[str, Any]:
        """``{name: registered object}`` of one kind."""
        return {name: e.obj for name, e in self._kinds[kind].items()}

    def owner(self, kind: str, name: str) -> PluginInfo:
        return self._kinds[kind][name].plugin

    def names(self, kind: str) -> list[str]:
        return sorted(self._kinds[kind])


class Registrar:
    """What a factory hook receives: registers names of one kind for one plugin."""

    def __init__(self, registry: Registry, kind: str, plugin: PluginInfo) -> None:
        self._registry = registry
        self.kind = kind
        self.plugin = plugin

    def add(self, obj: Any, name: str | None = None) -> None:
        """Register ``obj`` under ``name`` (default: ``obj.name``)."""
        self._registry.add(self.kind, name or getattr(obj, "name", ""), obj, self.plugin)


@functools.cache
def _packages() -> Mapping[str, list[str]]:
    return md.packages_distributions()


def _dist_of(module: str) -> tuple[str | None, str | None]:
    top = module.split(".", maxsplit=1)[0]
    for dist in _packages().get(top, []):
        try:
            return dist, md.version(dist)
        except md.PackageNotFoundError:  # pragma: no cover - broken install
            continue
    return None, None


def autoload_disabled() -> bool:
    return os.environ.get("EXSIM_DISABLE_PLUGIN_AUTOLOAD", "") not in ("", "0")


class PluginHost:
    """Finds, loads and registers plugins for one simulator.

    :param autoload: load entry points of the ``exsim`` group (default: unless
        ``EXSIM_DISABLE_PLUGIN_AUTOLOAD`` is set).
    :param plugins: modules to load as plugins, by import name, even without autoload.
    :param block: plugin names (entry point or module) that must not be loaded.
    """

    def __init__(
        self,
        *,
        autoload: bool | None = None,
        plugins: Iterable[str] = (),
        block: Iterable[str] = (),
    ) -> None:
        self.pm = pluggy.PluginManager("exsim")
        self.pm.add_hookspecs(hookspecs)
        self.hook = self.pm.hook
        self.registry = Registry()
        self.plugins: dict[str, PluginInfo] = {}
        self.autoload = not autoload_disabled() if autoload is None else autoload
        self.named = list(plugins)
        self.blocked = set(block)
        self._loaded = False

    # ------------------------------------------------------------------ loading
    def load(self) -> PluginHost:
        """Load every plugin in the documented order (once)."""
        if self._loaded:
            return self
        self._loaded = True
        from . import builtin

        self.register(builtin, name="exsim.builtin", source="builtin")
        if self.autoload:
            for ep_name, module, dist in self._entry_points():
                self.register(module, name=ep_name, source="entry point", dist=dist)
        for module_name in self.named:
            if module_name in self.blocked or module_name in self.plugins:
                continue
            try:
                module = importlib.import_module(module_name)
            except Exception as exc:
                raise PluginLoadError(
                    f"plugin module {module_name!r} failed to import: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
            self.register(module, name=module_name, source="named")
        self.check()
        return self

    def _entry_points(self) -> Iterator[tuple[str, ModuleType, md.Distribution | None]]:
        from stevedore import NamedExtensionManager

        def failed(_manager: Any, ep: md.EntryPoint, exc: BaseException) -> None:
            dist = getattr(ep, "dist", None)
            where = f"distribution {dist.name} {dist.version}" if dist else "unknown distribution"
            raise PluginLoadError(
                f"plugin entry point {ep.name!r} ({ep.value}) from {where} failed to load: "
                f"{type(exc).__name__}: {exc}. Fix or uninstall that distribution, block the "
                f"plugin, or set EXSIM_DISABLE_PLUGIN_AUTOLOAD=1."
            ) from exc

        blocked = self.blocked
        # only unblocked names are imported at all: a blocked plugin that fails to
        # import must not stop start-up
        names = sorted(
            {ep.name for ep in md.entry_points(group=ENTRY_POINT_GROUP)}
            - blocked
        )
        manager = NamedExtensionManager(
            namespace=ENTRY_POINT_GROUP,
            names=names,
            invoke_on_load=False,
            on_load_failure_callback=failed,
            on_missing_entrypoints_callback=None,
        )
        for ext in sorted(manager.extensions, key=lambda e: e.name):
            if ext.module_name in blocked:
                continue
            yield ext.name, ext.plugin, getattr(ext.entry_point, "dist", None)

    def register(
        self,
        plugin: Any,
        name: str | None = None,
        *,
        source: str = "in-process",
        dist: md.Distribution | None = None,
    ) -> PluginInfo:
        """Register a plugin object (a module or any object with hook functions) and run
        its factory hooks. Used by the loader, and by tests to add a plugin in-process."""
        module = getattr(plugin, "__name__", None) or type(plugin).__module__
        name = name or module
        if name in self.blocked:
            raise PluginError(f"plugin {name!r} is blocked")
        if name in self.plugins:
            raise PluginError(f"a plugin named {name!r} is already registered")
        if dist is not None:
            dist_name, version = dist.name, dist.version
        else:
            dist_name, version = _dist_of(module)
        info = PluginInfo(name, module, dist_name, version, source)
        self.pm.register(plugin, name=name)
        self.plugins[name] = info
        info.hooks = sorted(
            caller.name for caller in self.pm.get_hookcallers(plugin) or () if caller.name
        )
        try:
            for kind, hook_name in KINDS.items():
                for impl in getattr(self.hook, hook_name).get_hookimpls():
                    if impl.plugin is plugin:
                        impl.function(registry=Registrar(self.registry, kind, info))
        except Exception:
            self.pm.unregister(plugin)
            del self.plugins[name]
            raise
        return info

    def check(self) -> None:
        """Fail on implementations of hooks that do not exist (misspelt names)."""
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginError(
                f"{exc}. Hooks are listed in the hook reference (exsim_core.hookspecs)."
            ) from exc

    # ------------------------------------------------------------------ queries
    def get(self, kind: str) -> dict[str, Any]:
        return self.registry.get(kind)

    def implemented(self, hook_name: str) -> bool:
        """Does any plugin implement ``hook_name``?"""
        return bool(getattr(self.hook, hook_name).get_hookimpls())

    def describe(self) -> list[dict[str, Any]]:
        """Every plugin with its distribution, version and registered names (for the
        ``exsim plugins`` command)."""
        return [
            {
                "name": p.name,
                "module": p.module,
                "distribution": p.distribution,
                "version": p.version,
                "source": p.source,
                "registered": {k: sorted(v) for k, v in p.registered.items()},
                "hooks": p.hooks,
            }
            for p in self.plugins.values()
        ]
