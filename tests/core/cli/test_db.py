"""``wuye db upgrade|current|check`` (``core/cli/db.py``)."""

from __future__ import annotations

import json
import sqlite3


def test_db_upgrade_check_current(run, instance):
    up = run("db", "upgrade", "--json", config=instance)
    assert up.returncode == 0, up.stderr
    lineages = [r["lineage"] for r in json.loads(up.stdout)["lineages"]]
    assert lineages[0] == "core"
    check = run("db", "check", config=instance)
    assert check.returncode == 0, check.stderr
    current = json.loads(run("db", "current", "--json", config=instance).stdout)
    assert all(r["current"] == r["head"] for r in current)


def test_db_check_fails_on_drift(run, upgraded):
    with sqlite3.connect(upgraded.parent / "w.sqlite3") as conn:
        conn.execute("ALTER TABLE core_estates ADD COLUMN surprise TEXT")
    out = run("db", "check", config=upgraded)
    assert out.returncode == 1 and "core_estates.surprise" in out.stderr
