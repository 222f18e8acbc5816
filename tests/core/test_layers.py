"""The core is layered (DESIGN 2): each module imports only its own layer and the layers below.

Imports inside functions count too: a lazy import is still a dependency, and an upward one is how
the import cycles this test now prevents (activity <-> security <-> workflow, host -> workflow ->
runtime -> host) came about. Within a layer, modules must not import each other in a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. A module belongs to the layer of the longest prefix that matches its name.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base: errors, bilingual text, clock, session context, database, config, hook markers, input loading",
     ("core.errors", "core.text", "core.clock", "core.context", "core.db", "core.config", "core.hookspecs",
      "core.validation")),
    ("models", ("core.models", "core.sequences")),
    ("security: grants, masking, estate scoping", ("core.security", "core.scoping")),
    ("activity trail, attachments", ("core.activity", "core.attachments")),
    ("workflow engine", ("core.workflow",)),
    ("core services: units, import, jobs, seeding, notifications, assignment, intake",
     ("core.services", "core.jobs", "core.seed", "core.notifications", "core.assignment", "core.intake",
      "core.documents", "core.queue")),
    ("host: plugins, registry, boot, migrations", ("core.host", "core.registry", "core.runtime", "core.builtin_hooks",
                                                   "core.migrate", "core.migrations")),
    ("applications: web, CLI, testing, demo, scaffolding",
     ("core.web", "core.cli", "core.testing", "core.demo", "core.translations", "core.scaffold")),
]


def layer_of(module: str) -> int | None:
    if module == "core":  # the plugin kit: it resolves names from every layer, lazily, on use
        return len(LAYERS) - 1
    best: tuple[int, int] | None = None
    for index, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[1]):
                best = (index, len(prefix))
    return None if best is None else best[0]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in (ROOT / "core").rglob("*.py")}


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, core module) for every import of a core module in ``path``, at any depth."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "core"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.split(".")[0] == "core":
            for alias in node.names:  # ``from core.workflow import deadlines`` imports the submodule
                sub = f"{node.module}.{alias.name}"
                out.append((node.lineno, sub if sub in MODULES else node.module))
    return out


def test_every_core_module_has_a_layer():
    assert [m for m in MODULES if layer_of(m) is None] == []


def upward_imports(module: str, imports: list[tuple[int, str]]) -> list[str]:
    """The imports of ``module`` that reach a higher layer, as readable lines."""
    mine, out = layer_of(module), []
    for line, target in imports:
        theirs = layer_of(target)
        if target != "core" and theirs is not None and theirs > mine:
            out.append(f"{module}:{line} ({LAYERS[mine][0].split(':')[0]}) imports {target} "
                       f"({LAYERS[theirs][0].split(':')[0]})")
    return out


def test_core_imports_only_downward():
    assert [u for m, p in sorted(MODULES.items()) for u in upward_imports(m, imports_of(p))] == []


def test_core_has_no_import_cycles():
    # ``import core`` (the lazy plugin kit) resolves names on use, so it is no edge here.
    graph = {m: {t for _line, t in imports_of(p) if t in MODULES and t != m and t != "core"} for m, p in MODULES.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    assert cycles == []


def test_the_checker_reports_an_upward_import_and_allows_a_downward_one():
    assert upward_imports("core.models.party", [(3, "core.workflow.engine")]) == [
        "core.models.party:3 (models) imports core.workflow.engine (workflow engine)"]
    assert upward_imports("core.workflow.engine", [(3, "core.models.party"), (4, "core.clock")]) == []
    assert layer_of("core.web.admin.base") == len(LAYERS) - 1 and layer_of("core.clock") == 0
