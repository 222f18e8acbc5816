"""``wuye plugins new`` (``core/cli/scaffold.py``, ``core/scaffold``): the skeleton it writes works as
written: ruff clean, `wuye plugins check`, `wuye db upgrade`, `wuye db check`, and its own tests."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.core.cli.conftest import run_wuye
from tests.core.test_anatomy import structure_problems

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "wuye-visitors"
TUTORIAL = ROOT / "docs" / "writing-plugins.md"
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")

ANATOMY = {"plugin.toml", "__init__.py", "hooks.py", "models.py", "schemas.py", "records.py", "workflows.py",
           "permissions.py", "settings.py", "jobs.py", "admin.py", "api.py", "services.py", "demo.py"}


def pytest_run(tests: Path, *, cwd: Path, env: dict, args=()) -> subprocess.CompletedProcess:
    # The generated tests run on SQLite only: on PostgreSQL they would reset the schema of the
    # database this very test run is using.
    environ = {k: v for k, v in os.environ.items() if k not in ("WUYE_CONFIG", "WUYE_TEST_DATABASE_URL")} | env
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests), *args],
                          capture_output=True, text=True, env=environ, cwd=cwd, timeout=600)


def ruff_clean(path: Path, *config: str) -> None:
    assert RUFF, "ruff is part of the test extras"
    out = subprocess.run([RUFF, "check", *config, str(path)], capture_output=True, text=True, cwd=path)
    assert out.returncode == 0, out.stdout + out.stderr


def works_when_enabled(name: str, cwd: Path, env: dict) -> None:
    """Enable the plugin alone on a fresh SQLite database: check, upgrade, check the schema."""
    cfg = cwd / "wuye.toml"
    cfg.write_text(f'[core]\ndatabase_url = "sqlite:///w.sqlite3"\n[plugins]\nenabled = ["{name}"]\n')
    for command in (["plugins", "check"], ["db", "upgrade"], ["db", "check"]):
        out = run_wuye(*command, config=cfg, cwd=cwd, env=env)
        assert out.returncode == 0, f"wuye {' '.join(command)}: {out.stdout}{out.stderr}"
    assert "OK" in out.stdout


def test_a_standalone_distribution_works_as_written(tmp_path):
    out = run_wuye("plugins", "new", "gate_passes", "--package", "--path", str(tmp_path), "--title", "Gate passes",
                   "--title-zh", "放行条", "--json")
    assert out.returncode == 0, out.stderr
    made = json.loads(out.stdout)
    dist = tmp_path / "wuye-gate-passes"
    package = dist / "wuye_gate_passes"
    assert made["package"] == "wuye_gate_passes" and Path(made["root"]) == dist
    assert {p.name for p in package.iterdir() if p.is_file()} == ANATOMY
    assert [p.name for p in (package / "migrations").iterdir()] == ["gate_passes_0001_gate_passes_records.py"]
    assert 'gate_passes = "wuye_gate_passes"' in (dist / "pyproject.toml").read_text()
    assert 'title_zh = "放行条"' in (package / "plugin.toml").read_text(encoding="utf-8")
    assert structure_problems("gate_passes", package) == []
    ruff_clean(dist)
    # What `pip install -e .` would do, without touching the shared environment: the package on the
    # path and a distribution record declaring its wuye.plugins entry point.
    site = tmp_path / "site"
    info = site / "wuye_gate_passes-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: wuye-gate-passes\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text("[wuye.plugins]\ngate_passes = wuye_gate_passes\n")
    env = {"PYTHONPATH": os.pathsep.join([str(dist), str(site)])}
    works_when_enabled("gate_passes", tmp_path, env)
    # its own tests, beside the in-tree plugins of the test run (WUYE_TEST_PLUGINS passes through)
    tests = pytest_run(dist / "tests", cwd=dist, env=env)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "6 passed" in tests.stdout
    # and core's conformance test, which checks every installed plugin, passes for it
    anatomy = pytest_run(ROOT / "tests" / "core" / "test_anatomy.py", cwd=ROOT, env=env, args=("-k", "gate_passes"))
    assert anatomy.returncode == 0 and "2 passed" in anatomy.stdout, anatomy.stdout + anatomy.stderr


def test_in_tree_it_goes_to_plugins_and_its_test_to_tests(tmp_path):
    # A checkout-like root: ./plugins is the in-tree package (first on the path), ./tests mirrors it.
    for package in ("plugins", "tests", "tests/plugins"):
        (tmp_path / package).mkdir(parents=True, exist_ok=True)
        (tmp_path / package / "__init__.py").write_text("")
    env = {"PYTHONPATH": str(tmp_path)}
    out = run_wuye("plugins", "new", "gate_passes", cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    assert "(package plugins.gate_passes)" in out.stdout
    assert {p.name for p in (tmp_path / "plugins" / "gate_passes").iterdir() if p.is_file()} == ANATOMY
    test_dir = tmp_path / "tests" / "plugins" / "gate_passes"
    assert sorted(p.name for p in test_dir.iterdir()) == ["__init__.py", "test_plugin.py"]
    assert "from plugins.gate_passes import services" in (test_dir / "test_plugin.py").read_text()
    assert structure_problems("gate_passes", tmp_path / "plugins" / "gate_passes") == []
    ruff_clean(tmp_path, "--config", str(ROOT / "pyproject.toml"))
    works_when_enabled("gate_passes", tmp_path, env)
    tests = pytest_run(tmp_path / "tests", cwd=tmp_path, env=env | {"WUYE_TEST_PLUGINS": "gate_passes"})
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "6 passed" in tests.stdout


@pytest.mark.parametrize(("name", "message"), [
    ("Gate-Passes", "'Gate-Passes' is not a plugin name: use lowercase letters, digits and single '_'"),
    ("9lives", "'9lives' is not a plugin name"),
    ("core", "'core' is reserved"),
    ("import", "'import' is reserved"),
    ("visitors", "a plugin named 'visitors' already exists ("),
    ("visitors_extra", "'visitors_extra' clashes with the plugin 'visitors' ("),
    ("visit", None),  # only shares letters with 'visitors': fine
    ("visitor", None),
])
def test_names_are_checked_before_anything_is_written(tmp_path, name, message):
    out = run_wuye("plugins", "new", name, "--package", "--path", str(tmp_path))
    if message is None:
        assert out.returncode == 0, out.stderr
        return
    assert out.returncode == 1 and message in out.stderr and "Traceback" not in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_table_prefix_shared_with_a_plugin_beside_it_is_refused(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "__init__.py").write_text("")
    for name in ("gate", "door_log"):
        (plugins / name).mkdir()
        (plugins / name / "plugin.toml").write_text(f'[plugin]\nname = "{name}"\nversion = "1"\ntitle = "x"\n')
    out = run_wuye("plugins", "new", "gate_passes", cwd=tmp_path)  # default --path: ./plugins
    assert out.returncode == 1 and "clashes with the plugin 'gate'" in out.stderr
    assert "e.g. 'gatepasses'" in out.stderr
    out = run_wuye("plugins", "new", "door", cwd=tmp_path)
    assert out.returncode == 1 and "tables named 'door_log_*' would belong to both" in out.stderr
    assert sorted(p.name for p in plugins.iterdir()) == ["__init__.py", "door_log", "gate"]


def test_an_existing_directory_is_never_overwritten(tmp_path):
    (tmp_path / "wuye-gate-passes").mkdir()
    out = run_wuye("plugins", "new", "gate_passes", "--package", "--path", str(tmp_path))
    assert out.returncode == 1 and "already exists" in out.stderr
    assert list((tmp_path / "wuye-gate-passes").iterdir()) == []


def test_the_tutorials_code_samples_are_the_example_plugins_code():
    """docs/writing-plugins.md copies real code: each Python or TOML sample names its file of
    examples/wuye-visitors on its first line, and its lines (parts separated by a line '...') are in
    that file as written. Only samples of the company's wuye.toml stand alone (they must parse)."""
    problems = []
    samples = re.findall(r"^```(python|toml)\n(.*?)^```", TUTORIAL.read_text(encoding="utf-8"), re.M | re.S)
    assert len(samples) > 15
    for _lang, body in samples:
        header, *lines = body.splitlines()
        path = header.removeprefix("# ").strip()
        if path == "wuye.toml":
            tomllib.loads(body)
            continue
        file = EXAMPLE / path
        if not header.startswith("# ") or not file.is_file():
            problems.append(f"a sample does not start with '# <file of the example>': {header!r}")
            continue
        text, pos = file.read_text(encoding="utf-8"), 0
        parts = "\n".join(lines).split("\n...\n")
        for part in parts:
            found = text.find(part.strip("\n"), pos)
            if found < 0:
                problems.append(f"{path}: not in the file as written:\n{part}")
                break
            pos = found + len(part.strip("\n"))
    assert problems == []


def test_a_distribution_goes_to_the_current_directory_even_in_a_checkout(tmp_path):
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "__init__.py").write_text("")
    out = run_wuye("plugins", "new", "gate_passes", "--package", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "wuye-gate-passes" / "pyproject.toml").is_file()
    assert [p.name for p in (tmp_path / "plugins").iterdir()] == ["__init__.py"]
