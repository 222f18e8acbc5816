"""``wuye plugins list|check|info`` (``core/cli/plugins_cmd.py``)."""

from __future__ import annotations

import json

from core.testing import in_tree_plugins


def test_plugins_list_json(run, instance):
    out = run("plugins", "list", "--json", config=instance)
    assert out.returncode == 0, out.stderr
    rows = {r["name"]: r for r in json.loads(out.stdout)}
    for name in in_tree_plugins():
        row = rows[name]
        assert row["enabled"] is True and row["source"] == "in-tree"
        assert set(row) >= {"name", "version", "enabled", "depends", "chapter", "source"}


def test_plugins_check_ok_and_with_every_problem(run, instance, tmp_path):
    ok = run("plugins", "check", config=instance)
    assert ok.returncode == 0 and ok.stdout.startswith("OK:")
    bad = tmp_path / "bad.toml"
    bad.write_text('[plugins]\nenabled = ["nosuch", "ghost"]\n')
    out = run("plugins", "check", config=bad)
    assert out.returncode == 1
    assert "'nosuch' is enabled in the config but not installed" in out.stderr
    assert "'ghost' is enabled in the config but not installed" in out.stderr
    assert "Traceback" not in out.stderr
    js = run("plugins", "check", "--json", config=bad)
    assert js.returncode == 1 and len(json.loads(js.stdout)["problems"]) == 2


def test_plugins_info_names_what_an_enabled_plugin_contributes(run, tmp_path):
    cfg = tmp_path / "wuye.toml"
    cfg.write_text('[core]\ndatabase_url = "sqlite:///w.sqlite3"\n[plugins]\nenabled = ["visitors"]\n')
    out = run("plugins", "info", "visitors", "--json", config=cfg)
    assert out.returncode == 0, out.stderr
    info = json.loads(out.stdout)
    assert info["tables"] == ["visitors_visits"] and info["workflows"] == ["visitors.visit"]
    assert info["jobs"] == ["visitors.flag_overstays"] and "visitors.escort_out" in info["permissions"]
    missing = run("plugins", "info", "nosuch", config=cfg)
    assert missing.returncode == 1 and "no plugin named 'nosuch'" in missing.stderr
