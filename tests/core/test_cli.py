"""The ``wuye`` command as a user runs it: real subprocesses, exit codes, JSON, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.testing import in_tree_plugins


def wuye(*args, config: Path | None = None, stdin: str | None = None, cwd: Path | None = None):
    env = {k: v for k, v in os.environ.items() if k not in ("WUYE_CONFIG", "WUYE_SECRET_KEY")}
    if config is not None:
        env["WUYE_CONFIG"] = str(config)
    return subprocess.run([sys.executable, "-c", "from core.cli import main; main()", *args], input=stdin,
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


@pytest.fixture
def instance(tmp_path):
    cfg = tmp_path / "wuye.toml"
    enabled = ", ".join(f'"{p}"' for p in in_tree_plugins())
    cfg.write_text(f'[core]\ndatabase_url = "sqlite:///w.sqlite3"\n[plugins]\nenabled = [{enabled}]\n')
    return cfg


def test_help_lists_the_core_commands():
    out = wuye("--help")
    assert out.returncode == 0
    for command in ("db", "demo", "estates", "plugins", "serve", "users"):
        assert command in out.stdout


def test_plugins_list_json(instance):
    out = wuye("plugins", "list", "--json", config=instance)
    assert out.returncode == 0, out.stderr
    rows = {r["name"]: r for r in json.loads(out.stdout)}
    for name in in_tree_plugins():
        row = rows[name]
        assert row["enabled"] is True and row["source"] == "in-tree"
        assert set(row) >= {"name", "version", "enabled", "depends", "chapter", "source"}


def test_plugins_check_ok_and_with_every_problem(instance, tmp_path):
    ok = wuye("plugins", "check", config=instance)
    assert ok.returncode == 0 and ok.stdout.startswith("OK:")
    bad = tmp_path / "bad.toml"
    bad.write_text('[plugins]\nenabled = ["nosuch", "ghost"]\n')
    out = wuye("plugins", "check", config=bad)
    assert out.returncode == 1
    assert "'nosuch' is enabled in the config but not installed" in out.stderr
    assert "'ghost' is enabled in the config but not installed" in out.stderr
    assert "Traceback" not in out.stderr
    js = wuye("plugins", "check", "--json", config=bad)
    assert js.returncode == 1 and len(json.loads(js.stdout)["problems"]) == 2


def test_config_typo_is_named_without_traceback(tmp_path):
    cfg = tmp_path / "wuye.toml"
    cfg.write_text('[core]\ndatabase_ulr = "sqlite:///x.sqlite3"\n')
    out = wuye("db", "upgrade", config=cfg)
    assert out.returncode == 1
    assert str(cfg) in out.stderr and "unknown key 'core.database_ulr'" in out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "x.sqlite3").exists()


def test_wrong_database_url_is_a_clear_error(tmp_path):
    cfg = tmp_path / "wuye.toml"
    cfg.write_text('[core]\ndatabase_url = "postgresql+psycopg://nobody@127.0.0.1:1/none"\n')
    out = wuye("db", "upgrade", config=cfg)
    assert out.returncode == 1
    assert "cannot connect to the database" in out.stderr and "Traceback" not in out.stderr


def test_db_upgrade_check_current_users_estates(instance):
    up = wuye("db", "upgrade", "--json", config=instance)
    assert up.returncode == 0, up.stderr
    lineages = [r["lineage"] for r in json.loads(up.stdout)["lineages"]]
    assert lineages[0] == "core"
    check = wuye("db", "check", config=instance)
    assert check.returncode == 0, check.stderr
    current = json.loads(wuye("db", "current", "--json", config=instance).stdout)
    assert all(r["current"] == r["head"] for r in current)
    created = wuye("users", "create", "boss", "--role", "general_manager", "--password-stdin", "--json",
                   config=instance, stdin="s3cret-pass\n")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["roles"] == ["general_manager"]
    dup = wuye("users", "create", "boss", "--role", "general_manager", "--password-stdin", config=instance,
               stdin="s3cret-pass\n")
    assert dup.returncode == 1 and "already exists" in dup.stderr
    no_estate = wuye("users", "create", "cs1", "--role", "cs_specialist", "--estate", "NOPE", "--password-stdin",
                     config=instance, stdin="s3cret-pass\n")
    assert no_estate.returncode == 1 and "unknown estate code(s) NOPE" in no_estate.stderr
    estates = wuye("estates", "list", "--json", config=instance)
    assert estates.returncode == 0 and json.loads(estates.stdout) == []


def test_db_check_fails_on_drift(instance):
    import sqlite3

    assert wuye("db", "upgrade", config=instance).returncode == 0
    db = instance.parent / "w.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE core_estates ADD COLUMN surprise TEXT")
    out = wuye("db", "check", config=instance)
    assert out.returncode == 1 and "core_estates.surprise" in out.stderr


def test_demo_builds_an_instance_that_serves_again(tmp_path):
    out = wuye("demo", "--path", str(tmp_path / "demo"), "--no-serve")
    assert out.returncode == 0, out.stderr
    assert "admin" in out.stdout and "demo1234" in out.stdout
    cfg = tmp_path / "demo" / "wuye.toml"
    assert cfg.exists() and (tmp_path / "demo" / "wuye.sqlite3").exists()
    estates = json.loads(wuye("estates", "list", "--json", config=cfg).stdout)
    assert [e["code"] for e in estates] == ["CH", "JX"]
    assert all(e["units"] >= 200 for e in estates)
    again = wuye("demo", "--path", str(tmp_path / "demo"), "--no-serve")
    assert again.returncode == 1 and "--reset" in again.stderr


def test_import_units_reports_rejected_rows_and_exits_1(instance, tmp_path):
    assert wuye("db", "upgrade", config=instance).returncode == 0
    import sqlite3

    with sqlite3.connect(instance.parent / "w.sqlite3") as conn:
        conn.execute("INSERT INTO core_estates (code, name, kind, address, timezone, management_office, office_phone,"
                     " created_at) VALUES ('CLI', 'x', 'residential', '', 'Asia/Shanghai', '', '', '2026-01-01')")
    csv_path = tmp_path / "u.csv"
    csv_path.write_text("estate,building,room_no,built_area\nCLI,1,101,90\nCLI,1,102,abc\n", encoding="utf-8")
    report = tmp_path / "rejected.csv"
    out = wuye("import", "units", str(csv_path), "--report", str(report), "--json", config=instance)
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert data["units_created"] == 1 and data["rejected"] == 1
    assert data["rejected_rows"] == [{"line": 3, "column": "built_area", "reason": "'abc' is not a number"}]
    assert "'abc' is not a number" in report.read_text(encoding="utf-8")


@pytest.mark.parametrize("url", ["mysql+nosuchdriver://x@y/z", "not a url"])
def test_malformed_database_url_is_named(tmp_path, url):
    cfg = tmp_path / "wuye.toml"
    cfg.write_text(f'[core]\ndatabase_url = "{url}"\n')
    out = wuye("db", "current", config=cfg)
    assert out.returncode == 1, out.stderr
    assert "database_url" in out.stderr and "Traceback" not in out.stderr
