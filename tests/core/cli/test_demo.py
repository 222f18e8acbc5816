"""``wuye demo`` (``core/cli/demo.py``)."""

from __future__ import annotations

import json


def test_demo_builds_an_instance_that_serves_again(run, tmp_path):
    out = run("demo", "--path", str(tmp_path / "demo"), "--no-serve")
    assert out.returncode == 0, out.stderr
    assert "admin" in out.stdout and "demo1234" in out.stdout
    cfg = tmp_path / "demo" / "wuye.toml"
    assert cfg.exists() and (tmp_path / "demo" / "wuye.sqlite3").exists()
    estates = json.loads(run("estates", "list", "--json", config=cfg).stdout)
    assert [e["code"] for e in estates] == ["CH", "JX"]
    assert all(e["units"] >= 200 for e in estates)
    again = run("demo", "--path", str(tmp_path / "demo"), "--no-serve")
    assert again.returncode == 1 and "--reset" in again.stderr
