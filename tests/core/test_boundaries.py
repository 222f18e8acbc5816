"""The plugin boundary (DESIGN 1 and 2): core imports no plugin; a plugin imports only the plugin
kit (``core``, whose names are ``core.__all__``), ``core.models``, and the ``services`` module of a
plugin it lists in ``depends``. The example distribution follows the same rules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core.host import discover

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = {n: m for n, m in discover(use_entry_points=False).items() if m.source == "in-tree"}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            out += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return out


EXAMPLE = ROOT / "examples" / "wuye-visitors"


def kit_offenders(path: Path) -> list[str]:
    """Imports of core internals in a plugin file (anything but ``core``'s public names and ``core.models``)."""
    import core

    migration = "migrations" in path.parts
    tests = "tests" in path.parts
    out = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [(a.name, None) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [(node.module, a.name) for a in node.names]
        else:
            continue
        for module, name in names:
            if module.split(".")[0] != "core":
                continue
            if module == "core" and (name is None or name in core.__all__ or name == "hookimpl"):
                continue
            if module == "core.models" or module.startswith("core.models."):
                continue
            if migration and module == "core.db":
                continue  # generated revisions name column types such as core.db.UTCDateTime
            if tests and module == "core.testing":
                continue
            what = f"{module}.{name}" if name else module
            where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
            out.append(f"{where}:{node.lineno} imports {what}: use `from core import ...` "
                       "(docs/writing-plugins.md lists the kit) or ask for the name to be added to it")
    return out


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_plugin_imports_only_the_core_kit(name):
    offenders = [o for p in sorted(MANIFESTS[name].path.rglob("*.py")) for o in kit_offenders(p)]
    assert offenders == []


def test_example_plugin_imports_only_the_core_kit():
    offenders = [o for p in sorted(EXAMPLE.rglob("*.py")) for o in kit_offenders(p)]
    assert offenders == []


def test_kit_check_reports_an_internal_import(tmp_path):
    bad = tmp_path / "probe.py"
    bad.write_text("from core.workflow.engine import SYSTEM_KEY\nfrom core import authorize, nope\n"
                   "from core.models import Unit\n", encoding="utf-8")
    assert [f.split(": use")[0] for f in kit_offenders(bad)] == [
        "probe.py:1 imports core.workflow.engine.SYSTEM_KEY", "probe.py:2 imports core.nope"]


def test_core_imports_no_plugin():
    offenders = [f"{p.relative_to(ROOT)}:{line} imports {mod}"
                 for p in (ROOT / "core").rglob("*.py")
                 for line, mod in imported_modules(p) if mod == "plugins" or mod.startswith("plugins.")]
    assert offenders == []


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_plugin_imports_only_declared_dependencies_services(name):
    manifest = MANIFESTS[name]
    offenders = []
    for path in manifest.path.rglob("*.py"):
        for line, mod in imported_modules(path):
            parts = mod.split(".")
            if parts[0] != "plugins" or len(parts) < 2 or parts[1] == name:
                continue
            other = parts[1]
            allowed = other in manifest.depends and (len(parts) == 2 or parts[2] == "services")
            if not allowed:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {mod} "
                                 f"({other!r} {'is not in depends' if other not in manifest.depends else 'private module'})")
    assert offenders == []


def _closure(name: str) -> list[str]:
    out, todo = [], [name]
    while todo:
        n = todo.pop()
        if n not in out:
            out.append(n)
            todo.extend(MANIFESTS[n].depends)
    return out


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_plugin_boots_with_only_its_declared_dependencies(name):
    # Registration, workflow validation (permissions registered, states reachable) and config
    # schemas all pass without any plugin the manifest does not declare.
    from core.testing import boot

    wuye = boot(_closure(name))
    assert name in wuye.order
    assert set(wuye.order) == set(_closure(name))
    assert any(owner == name for owner in wuye.registry.table_owner.values())
