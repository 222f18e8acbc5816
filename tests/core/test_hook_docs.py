"""Every hookspec is documented in docs/hooks.md and exercised by at least one test (as datasette does)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from core import hookspecs

ROOT = Path(__file__).resolve().parents[2]
HOOKS = sorted(name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("wuye_"))


def test_there_are_hooks():
    assert len(HOOKS) >= 15


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented(hook):
    docs = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    assert re.search(rf"^### {hook}$", docs, re.M), f"add a '### {hook}' section to docs/hooks.md"
    assert getattr(hookspecs, hook).__doc__, f"{hook} needs a docstring"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_exercised_by_a_test(hook):
    # A hook counts as exercised when a test module names it: it implements it in a test plugin,
    # calls it, or asserts on what an implementation contributed.
    test_dirs = [ROOT / "tests", ROOT / "examples"]
    this = Path(__file__).resolve()
    for d in test_dirs:
        for path in d.rglob("test_*.py"):
            if path.resolve() != this and hook in path.read_text(encoding="utf-8"):
                return
    pytest.fail(f"no test names {hook}; add one that exercises it")
