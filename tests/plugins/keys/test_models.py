"""The models package: one module per aggregate, each importable on its own (no import cycle), and
``MODELS`` is exactly what the plugin registers."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

from plugins.keys import models

ROOT = Path(__file__).resolve().parents[3]
MODULES = sorted(f"plugins.keys.models.{m.name}" for m in pkgutil.iter_modules(models.__path__))


def test_every_aggregate_has_its_module():
    assert MODULES == [f"plugins.keys.models.{m}" for m in (
        "columns", "custody", "handover", "inventory", "loans", "locks", "register")]


@pytest.mark.parametrize("module", ["plugins.keys.models", *MODULES])
def test_module_imports_alone_in_a_fresh_interpreter(module):
    # A fresh interpreter: nothing imported before hides a cycle (the old models.py <-> loan_models.py
    # pair failed exactly so). Configuring the mappers proves every relationship finds its class.
    code = f"import {module}\nfrom sqlalchemy.orm import configure_mappers\nconfigure_mappers()\n"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_models_lists_every_mapped_class_once():
    mapped = {cls for cls in vars(models).values() if isinstance(cls, type) and hasattr(cls, "__table__")}
    assert set(models.MODELS) == mapped and len(models.MODELS) == len(mapped) == 9
    assert all(cls.__tablename__.startswith("keys_") for cls in models.MODELS)


def test_the_plugin_registers_models(wuye):
    registered = {cls for table, cls in wuye.registry.models.items() if wuye.registry.table_owner[table] == "keys"}
    assert registered == set(models.MODELS)
