"""Every plugin has the one anatomy of docs/plugin-anatomy.md (in-tree plugins and installed ones).

A failure names the plugin, the file and what to change, so an integrator can fix their own plugin
from the message alone.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from core.db import Base
from core.host import discover
from core.testing import boot

MANIFESTS = {n: m for n, m in discover(use_entry_points=True).items()}
REQUIRED = ("plugin.toml", "__init__.py", "hooks.py", "services.py", "migrations")
# module -> the entry point it must offer when it exists
ENTRY_POINTS = {
    "admin": "admin_views", "api": "api_resources", "jobs": "jobs", "workflows": "workflows",
    "permissions": "PERMISSIONS", "settings": "Settings", "demo": "build_demo",
}
GRAB_BAGS = {"common", "utils", "util", "helpers", "misc", "reference"}


def package_of(name: str) -> str:
    return MANIFESTS[name].package


def top_modules(path: Path) -> set[str]:
    return {p.stem for p in path.glob("*.py")} | {p.name for p in path.iterdir()
                                                  if p.is_dir() and (p / "__init__.py").exists()}


def only_docstring(path: Path) -> bool:
    body = ast.parse(path.read_text(encoding="utf-8")).body
    return all(isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) for n in body)


def structure_problems(name: str, path: Path) -> list[str]:
    """What in the plugin's files breaks the anatomy (without importing the plugin)."""
    out = []
    for required in REQUIRED:
        if not (path / required).exists():
            out.append(f"{name}: missing {required}")
    if not ((path / "models.py").exists() or (path / "models" / "__init__.py").exists()):
        out.append(f"{name}: missing models.py (or a models/ package)")
    if (path / "__init__.py").exists() and not only_docstring(path / "__init__.py"):
        out.append(f"{name}: __init__.py must hold only a docstring (importing the package has no side effects)")
    if (path / "hooks.py").exists():
        for node in ast.parse((path / "hooks.py").read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                marks = [ast.unparse(d) for d in node.decorator_list]
                if not any(m.startswith("hookimpl") for m in marks):
                    out.append(f"{name}: hooks.py defines {node.name}() without @hookimpl; move it to a module "
                               "of the plugin and call it from a hook")
            elif isinstance(node, ast.ClassDef):
                out.append(f"{name}: hooks.py defines class {node.name}; hooks.py holds @hookimpl functions only")
    if (path / "services.py").exists():
        tree = ast.parse((path / "services.py").read_text(encoding="utf-8"))
        has_all = False
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
                has_all = True
            elif not isinstance(node, ast.Import | ast.ImportFrom | ast.Expr):
                out.append(f"{name}: services.py line {node.lineno} is not an import: services.py only re-exports "
                           "(define the function in a feature module and import it here)")
        if not has_all:
            out.append(f"{name}: services.py must list its contract in __all__")
    modules = top_modules(path)
    for module in sorted(modules):
        if module in GRAB_BAGS:
            out.append(f"{name}: {module}.py is a grab-bag name; move each helper to the module that uses it, "
                       "use the core kit (authorize, estate_today, ...), or name the module for what it holds")
        if re.fullmatch(r"\w+_models|models_\w+", module):
            out.append(f"{name}: {module}.py holds models beside models; make models a package (models/{module}.py)")
        head = module.split("_")[0]
        if "_" in module and head in modules and head != module and module not in ENTRY_POINTS:
            out.append(f"{name}: {module}.py beside {head}.py; make {head} a package ({head}/{module[len(head) + 1:]}.py)")
    data = path / "data"
    if data.is_dir():
        for py in sorted(data.rglob("*.py")):
            out.append(f"{name}: data/ holds non-Python files only; move {py.relative_to(path)} to a module")
    return out


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_plugin_files_follow_the_anatomy(name):
    assert structure_problems(name, MANIFESTS[name].path) == []


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_plugin_entry_points_and_models(name):
    package = package_of(name)
    problems = []
    for module, entry in ENTRY_POINTS.items():
        if module in top_modules(MANIFESTS[name].path):
            if not hasattr(importlib.import_module(f"{package}.{module}"), entry):
                problems.append(f"{name}: {module}.py must offer {entry}")
    models = importlib.import_module(f"{package}.models")
    listed = getattr(models, "MODELS", None)
    if not isinstance(listed, tuple):
        problems.append(f"{name}: models must define MODELS, a tuple of every mapped class")
        listed = ()
    wuye = boot(_with_dependencies(name), use_entry_points=True)
    registered = {cls for table, cls in wuye.registry.models.items() if wuye.registry.table_owner[table] == name}
    if set(listed) != registered:
        problems.append(f"{name}: MODELS {sorted(c.__name__ for c in listed)} differs from what "
                        f"wuye_register_models returns {sorted(c.__name__ for c in registered)}")
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if cls.__module__.startswith(package + ".") and not (
                cls.__module__ == f"{package}.models" or cls.__module__.startswith(f"{package}.models.")):
            problems.append(f"{name}: mapped class {cls.__name__} is defined in {cls.__module__}; define it in models")
    assert problems == []


def _with_dependencies(name: str) -> list[str]:
    out, todo = [], [name]
    while todo:
        n = todo.pop()
        if n not in out:
            out.append(n)
            todo.extend(MANIFESTS[n].depends)
    return out


def test_the_checker_reports_what_breaks_the_anatomy(tmp_path):
    bad = tmp_path / "shop"
    (bad / "data").mkdir(parents=True)
    (bad / "plugin.toml").write_text('[plugin]\nname = "shop"\n')
    (bad / "__init__.py").write_text('"""Shop."""\nfrom .hooks import x\n')
    (bad / "hooks.py").write_text("def helper():\n    pass\n")
    (bad / "models.py").write_text("")
    (bad / "loan_models.py").write_text("")
    (bad / "run.py").write_text("")
    (bad / "run_chunk.py").write_text("")
    (bad / "common.py").write_text("")
    (bad / "data" / "demo.py").write_text("")
    (bad / "services.py").write_text("def charge():\n    pass\n")
    found = structure_problems("shop", bad)
    assert found == [
        "shop: missing migrations",
        "shop: __init__.py must hold only a docstring (importing the package has no side effects)",
        "shop: hooks.py defines helper() without @hookimpl; move it to a module of the plugin and call it from a hook",
        "shop: services.py line 1 is not an import: services.py only re-exports (define the function in a feature "
        "module and import it here)",
        "shop: services.py must list its contract in __all__",
        "shop: common.py is a grab-bag name; move each helper to the module that uses it, use the core kit "
        "(authorize, estate_today, ...), or name the module for what it holds",
        "shop: loan_models.py holds models beside models; make models a package (models/loan_models.py)",
        "shop: run_chunk.py beside run.py; make run a package (run/chunk.py)",
        "shop: data/ holds non-Python files only; move data/demo.py to a module",
    ]
