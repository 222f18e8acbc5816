"""The plugin host (DESIGN 3): discover, validate, resolve, order, register, merge.

Startup is a pipeline; each stage collects every problem it finds and the host raises one
:class:`~core.errors.PluginError` listing them all, each naming the plugin and the fix.
Manifests are read without importing plugin code, so a broken plugin cannot break
``wuye plugins check``.
"""

from __future__ import annotations

import heapq
import importlib
import importlib.util
import re
import tomllib
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path

import pluggy

from core import hookspecs
from core.errors import PluginError

ENTRY_POINT_GROUP = "wuye.plugins"
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
MANIFEST_KEYS = {"name", "version", "title", "title_zh", "summary", "chapter", "depends", "uses"}
REQUIRED_KEYS = {"name", "version", "title"}
RESERVED_NAMES = {"core", "alembic", "api", "admin", "static"}


@dataclass
class Manifest:
    """A plugin's ``plugin.toml``, plus where it was found."""

    name: str
    version: str
    title: str
    package: str  # import name of the plugin package, e.g. "plugins.keys"
    path: Path  # directory of the package
    source: str  # "in-tree" or "entry point <dist>"
    title_zh: str = ""
    summary: str = ""
    chapter: str = ""
    depends: list[str] = field(default_factory=list)
    uses: list[str] = field(default_factory=list)

    @property
    def manifest_file(self) -> Path:
        return self.path / "plugin.toml"

    def to_dict(self, enabled: bool | None = None) -> dict:
        data = {
            "name": self.name, "version": self.version, "title": self.title, "title_zh": self.title_zh,
            "summary": self.summary, "chapter": self.chapter, "depends": self.depends, "uses": self.uses,
            "source": self.source, "package": self.package,
        }
        if enabled is not None:
            data["enabled"] = enabled
        return data


def _package_dir(package: str) -> Path | None:
    """Directory of a package, found without importing it (parents of dotted names are imported)."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def read_manifest(directory: Path, package: str, source: str, problems: list[str]) -> Manifest | None:
    """Read and validate ``directory/plugin.toml``; append problems and return None when broken."""
    file = directory / "plugin.toml"
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{file}: missing; every plugin package needs a plugin.toml manifest")
        return None
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{file}: not valid TOML ({exc}); fix the syntax")
        return None
    bad = False
    top_unknown = sorted(set(data) - {"plugin"})
    for key in top_unknown:
        problems.append(f"{file}: unknown table or key '{key}'; only [plugin] is allowed")
        bad = True
    meta = data.get("plugin")
    if not isinstance(meta, dict):
        problems.append(f"{file}: no [plugin] table; add one with name, version and title")
        return None
    for key in sorted(set(meta) - MANIFEST_KEYS):
        problems.append(f"{file}: unknown key '{key}' in [plugin]; allowed keys: {', '.join(sorted(MANIFEST_KEYS))}")
        bad = True
    for key in sorted(REQUIRED_KEYS - set(meta)):
        problems.append(f"{file}: required key '{key}' is missing from [plugin]")
        bad = True
    name = meta.get("name", "")
    if "name" in meta and (not isinstance(name, str) or not NAME_RE.match(name) or name in RESERVED_NAMES):
        problems.append(f"{file}: name {name!r} is not allowed; use lowercase letters, digits and _ "
                        f"(starting with a letter), not one of {', '.join(sorted(RESERVED_NAMES))}")
        bad = True
    for key in ("depends", "uses"):
        val = meta.get(key, [])
        if not isinstance(val, list) or not all(isinstance(v, str) for v in val):
            problems.append(f"{file}: '{key}' must be a list of plugin names, e.g. {key} = [\"billing\"]")
            bad = True
    for key in ("version", "title", "title_zh", "summary", "chapter"):
        if key in meta and not isinstance(meta[key], str):
            problems.append(f"{file}: '{key}' must be a string")
            bad = True
    if bad:
        return None
    return Manifest(
        name=name, version=meta["version"], title=meta["title"], package=package, path=directory,
        source=source, title_zh=meta.get("title_zh", ""), summary=meta.get("summary", ""),
        chapter=meta.get("chapter", ""), depends=list(meta.get("depends", [])), uses=list(meta.get("uses", [])),
    )


def discover(search: list[tuple[Path, str]] | None = None, *, use_entry_points: bool = True,
             problems: list[str] | None = None) -> dict[str, Manifest]:
    """Find every installed plugin's manifest.

    ``search`` lists ``(directory, package_prefix)`` pairs whose sub-directories with a
    ``plugin.toml`` are plugins (default: the in-tree ``plugins`` package). Entry points in group
    ``wuye.plugins`` name a package each. Problems are appended to ``problems`` (raised if None).
    """
    own = problems is None
    problems = [] if own else problems
    if search is None:
        tree = _package_dir("plugins")
        search = [(tree, "plugins")] if tree else []
    found: dict[str, Manifest] = {}

    def add(m: Manifest | None) -> None:
        if m is None:
            return
        if m.name in found:
            other = found[m.name]
            problems.append(f"plugin name '{m.name}' is defined twice: by {other.manifest_file} ({other.source}) "
                            f"and by {m.manifest_file} ({m.source}); rename or uninstall one")
            return
        found[m.name] = m

    for directory, prefix in search:
        for sub in sorted(p for p in Path(directory).iterdir() if p.is_dir() and (p / "plugin.toml").exists()):
            add(read_manifest(sub, f"{prefix}.{sub.name}", "in-tree", problems))
    if use_entry_points:
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            dist = ep.dist.name if ep.dist else "?"
            directory = _package_dir(ep.module)
            if directory is None:
                problems.append(f"entry point '{ep.name}' of distribution {dist} names package '{ep.module}', "
                                "which cannot be found; reinstall the distribution")
                continue
            add(read_manifest(directory, ep.module, f"entry point ({dist})", problems))
    check_prefix_clashes(found, problems)
    if own and problems:
        raise PluginError(problems)
    return found


def check_prefix_clashes(manifests: dict[str, Manifest], problems: list[str]) -> None:
    """Refuse two installed plugins where one's name followed by ``_`` starts the other's name.

    A plugin owns the tables that start with its name and ``_`` (``keys`` owns ``keys_*``), and its
    migrations and schema checks compare exactly those tables. With ``keys`` and ``keys_extra`` both
    installed, every ``keys_extra_*`` table would also be a ``keys_*`` table: ``keys``'s migration check
    would see it as its own, and whichever plugin is enabled first could claim it. Permissions,
    endpoints and jobs use ``.`` after the name and cannot clash, so tables decide. Checked over every
    installed plugin, like duplicate names, because the database may hold a disabled plugin's tables.
    """
    names = sorted(manifests)
    for short in names:
        for long in names:
            if long != short and long.startswith(short + "_"):
                a, b = manifests[short], manifests[long]
                problems.append(
                    f"plugin names '{short}' ({a.manifest_file}, {a.source}) and '{long}' ({b.manifest_file}, "
                    f"{b.source}) clash: a plugin owns the tables starting with its name and '_', so tables "
                    f"named '{long}_*' would belong to both; rename '{long}' so that it does not start with "
                    f"'{short}_' (e.g. '{short}{long[len(short) + 1:]}'), or uninstall one of them")


def resolve(manifests: dict[str, Manifest], enabled: list[str], problems: list[str]) -> list[str]:
    """Check the enabled set and return it in deterministic dependency order.

    Hard dependencies (``depends``) must be enabled; soft ones (``uses``) only order the plugins
    when both are enabled. Ties are broken by name, so the order never depends on discovery order.
    """
    enabled_set = set()
    for name in enabled:
        if name not in manifests:
            known = ", ".join(sorted(manifests)) or "none"
            problems.append(f"plugin '{name}' is enabled in the config but not installed (installed: {known}); "
                            "remove it from [plugins] enabled or install it")
        else:
            enabled_set.add(name)

    def chain(start: str) -> str:
        # Follow missing dependencies as far as they go: "a needs b, which is not enabled and needs c ..."
        parts, seen, name = [], set(), start
        while name in manifests and name not in seen:
            seen.add(name)
            missing = [d for d in manifests[name].depends if d not in enabled_set]
            if not missing:
                break
            name = missing[0]
            parts.append(name)
        return parts

    for name in sorted(enabled_set):
        for dep in manifests[name].depends:
            if dep in enabled_set:
                continue
            if dep not in manifests:
                problems.append(f"plugin '{name}' needs '{dep}', which is not installed; install it or disable '{name}'")
                continue
            path = [name] + chain(name)
            text = " -> ".join(path)
            to_add = [p for p in path[1:] if p not in enabled_set]
            problems.append(f"plugin '{name}' needs '{dep}', which is not enabled (chain: {text}); add "
                            f"{', '.join(repr(p) for p in to_add)} to [plugins] enabled, or disable '{name}'")

    edges: dict[str, set[str]] = {n: set() for n in enabled_set}  # n -> plugins that must come first
    for name in enabled_set:
        m = manifests[name]
        edges[name] |= {d for d in m.depends + m.uses if d in enabled_set and d != name}
        if name in m.depends or name in m.uses:
            problems.append(f"plugin '{name}' lists itself in depends/uses in {m.manifest_file}; remove it")

    for cycle in _cycles(edges):
        problems.append("dependency cycle: " + " -> ".join(cycle) + "; break it by removing one dependency "
                        "(or turning it into 'uses')")

    indegree = {n: len(edges[n]) for n in enabled_set}
    dependents: dict[str, set[str]] = {n: set() for n in enabled_set}
    for n, deps in edges.items():
        for d in deps:
            dependents[d].add(n)
    heap = [n for n, k in indegree.items() if k == 0]
    heapq.heapify(heap)
    order = []
    while heap:
        n = heapq.heappop(heap)
        order.append(n)
        for m in dependents[n]:
            indegree[m] -= 1
            if indegree[m] == 0:
                heapq.heappush(heap, m)
    return order


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each elementary cycle found by a depth-first search, reported once, starting at its smallest name."""
    found, seen_keys = [], set()
    white, grey, black = 0, 1, 2
    color = dict.fromkeys(edges, white)
    stack: list[str] = []

    def visit(n: str) -> None:
        color[n] = grey
        stack.append(n)
        for d in sorted(edges[n]):
            if color[d] == grey:
                cyc = stack[stack.index(d):]
                i = cyc.index(min(cyc))
                cyc = cyc[i:] + cyc[:i]
                key = tuple(cyc)
                if key not in seen_keys:
                    seen_keys.add(key)
                    # edges point at prerequisites; print in "needs" direction and close the loop
                    found.append(cyc + [cyc[0]])
            elif color[d] == white:
                visit(d)
        stack.pop()
        color[n] = black

    for n in sorted(edges):
        if color[n] == white:
            visit(n)
    return found


def make_plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("wuye")
    pm.add_hookspecs(hookspecs)
    return pm


def load_plugins(manifests: dict[str, Manifest], order: list[str], problems: list[str]) -> pluggy.PluginManager:
    """Import each plugin's ``hooks`` module and register it, core's own implementations first."""
    from core import builtin_hooks

    pm = make_plugin_manager()
    pm.register(builtin_hooks, name="core")
    for name in order:
        m = manifests[name]
        module_name = f"{m.package}.hooks"
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # any error in plugin code is reported, never a traceback
            problems.append(f"plugin '{name}': importing {module_name} failed: {type(exc).__name__}: {exc}")
            continue
        try:
            pm.register(module, name=name)
            impls = [i for i in pm.hook.wuye_add_hookspecs.get_hookimpls() if i.plugin_name == name]
            for impl in impls:
                impl.function(pm=pm)
        except Exception as exc:
            problems.append(f"plugin '{name}': registering {module_name} failed: {exc}")
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        problems.append(f"{exc}; check the spelling against docs/hooks.md (hooks start with 'wuye_')")
    return pm
