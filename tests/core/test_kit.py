"""The plugin kit (``core/__init__.py``): every public name resolves, lazily, and is documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import core

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", core.__all__)
def test_every_kit_name_resolves_and_is_documented(name):
    assert getattr(core, name) is not None
    doc = (ROOT / "docs" / "writing-plugins.md").read_text(encoding="utf-8")
    assert re.search(rf"\b{re.escape(name)}\b", doc), f"describe core.{name} in docs/writing-plugins.md"


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="module 'core' has no attribute 'SYSTEM_KEY'"):
        core.SYSTEM_KEY  # noqa: B018


def test_importing_the_kit_imports_no_layer_above_the_base():
    # `import core` stays cheap: names are resolved on first use, so a plugin's hooks module that
    # imports one name does not pull in Flask, the web layer or the workflow engine.
    code = "import sys, core; print(sorted(m for m in sys.modules if m.startswith(('core.', 'flask'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
