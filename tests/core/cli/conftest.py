"""The ``wuye`` command as a user runs it: real subprocesses, exit codes, JSON, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.testing import in_tree_plugins


def run_wuye(*args, config: Path | None = None, stdin: str | None = None, cwd: Path | None = None,
             env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``wuye ARGS...`` in a fresh interpreter (no WUYE_CONFIG or secret inherited unless given)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("WUYE_CONFIG", "WUYE_SECRET_KEY")}
    if config is not None:
        environ["WUYE_CONFIG"] = str(config)
    environ.update(env or {})
    return subprocess.run([sys.executable, "-c", "from core.cli import main; main()", *args], input=stdin,
                          capture_output=True, text=True, env=environ, cwd=cwd, timeout=300)


@pytest.fixture
def run():
    """``run("db", "upgrade", config=...)``: the command line, in a subprocess."""
    return run_wuye


@pytest.fixture
def instance(tmp_path):
    """A config enabling every in-tree plugin over a SQLite file beside it (not created yet)."""
    cfg = tmp_path / "wuye.toml"
    enabled = ", ".join(f'"{p}"' for p in in_tree_plugins())
    cfg.write_text(f'[core]\ndatabase_url = "sqlite:///w.sqlite3"\n[plugins]\nenabled = [{enabled}]\n')
    return cfg


@pytest.fixture
def upgraded(instance):
    """``instance`` after ``wuye db upgrade``: every table, roles and default grants."""
    out = run_wuye("db", "upgrade", config=instance)
    assert out.returncode == 0, out.stderr
    return instance
