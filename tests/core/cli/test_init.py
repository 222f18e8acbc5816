"""``core/cli/__init__.py``: the command group and how ``main`` reports errors (never a traceback)."""

from __future__ import annotations

import pytest


def test_help_lists_the_core_commands(run):
    out = run("--help")
    assert out.returncode == 0
    for command in ("db", "demo", "estates", "plugins", "roles", "serve", "users"):
        assert command in out.stdout


def test_config_typo_is_named_without_traceback(run, tmp_path):
    cfg = tmp_path / "wuye.toml"
    cfg.write_text('[core]\ndatabase_ulr = "sqlite:///x.sqlite3"\n')
    out = run("db", "upgrade", config=cfg)
    assert out.returncode == 1
    assert str(cfg) in out.stderr and "unknown key 'core.database_ulr'" in out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "x.sqlite3").exists()


def test_wrong_database_url_is_a_clear_error(run, tmp_path):
    cfg = tmp_path / "wuye.toml"
    cfg.write_text('[core]\ndatabase_url = "postgresql+psycopg://nobody@127.0.0.1:1/none"\n')
    out = run("db", "upgrade", config=cfg)
    assert out.returncode == 1
    assert "cannot connect to the database" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("url", ["mysql+nosuchdriver://x@y/z", "not a url"])
def test_malformed_database_url_is_named(run, tmp_path, url):
    cfg = tmp_path / "wuye.toml"
    cfg.write_text(f'[core]\ndatabase_url = "{url}"\n')
    out = run("db", "current", config=cfg)
    assert out.returncode == 1, out.stderr
    assert "database_url" in out.stderr and "Traceback" not in out.stderr
