"""``wuye webhooks add|list|deliver`` (``plugins/webhooks/cli.py``) as a user runs them: real
subprocesses against a SQLite instance with only webhooks enabled (which also upgrades and
downgrades its migration), delivering to a real HTTP server."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from plugins.webhooks.delivery import sign


def wuye(*args, config):
    env = {k: v for k, v in os.environ.items() if k not in ("WUYE_CONFIG", "WUYE_SECRET_KEY")}
    env["WUYE_CONFIG"] = str(config)
    return subprocess.run([sys.executable, "-c", "from core.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("webhooks_cli")
    cfg = tmp / "wuye.toml"
    cfg.write_text(f'[core]\ndatabase_url = "sqlite:///{(tmp / "w.sqlite3").as_posix()}"\n'
                   '[plugins]\nenabled = ["webhooks"]\n[plugins.webhooks]\nmax_attempts = 2\n')
    up = wuye("db", "upgrade", config=cfg)
    assert up.returncode == 0, up.stderr
    assert wuye("estates", "create", "AA", "甲小区", config=cfg).returncode == 0
    return cfg


def endpoint_count(config) -> int:
    with sqlite3.connect(config.parent / "w.sqlite3") as conn:
        return conn.execute("SELECT count(*) FROM webhooks_endpoints").fetchone()[0]


def test_bad_input_exits_1_naming_the_field_and_adds_nothing(instance):
    before = endpoint_count(instance)
    for args, message in (
        (("ftp://erp.example.com/", "--events", "record.created"), "url: use an http:// or https:// address"),
        (("https://erp.example.com/", "--events", "record.deleted"), "events: unknown event 'record.deleted'"),
        (("https://erp.example.com/", "--events", "record.created", "--estate", "ZZ"),
         "no estate with code 'ZZ' (known: AA)"),
        (("https://erp.example.com/", "--events", "record.created", "--secret", "short"),
         "secret: the secret is 16 to 200 characters"),
    ):
        out = wuye("webhooks", "add", *args, config=instance)
        assert out.returncode == 1 and message in out.stderr, (args, out.stderr)
        assert "Traceback" not in out.stderr
    assert endpoint_count(instance) == before


def test_add_list_and_deliver(instance, receiver):
    out = wuye("webhooks", "add", receiver.url(), "--events", "record.created,record.transition", config=instance)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0] == (f"added endpoint #1 {receiver.url()} (record.created, record.transition; every estate)")
    secret = lines[-1]
    assert len(secret) == 64
    out = wuye("webhooks", "add", "https://a.example.com/hooks", "--events", "record.created", "--estate", "AA",
               "--secret", "0123456789abcdef", "--json", config=instance)
    assert json.loads(out.stdout) == {"id": 2, "url": "https://a.example.com/hooks", "events": ["record.created"],
                                      "estate": "AA", "secret": None}

    assert wuye("estates", "create", "AB", "乙小区", config=instance).returncode == 0  # company-wide endpoint only
    rows = json.loads(wuye("webhooks", "list", "--json", config=instance).stdout)
    assert [(r["id"], r["estate"], r["deliveries"]) for r in rows] == [(1, None, {"pending": 1}), (2, "AA", {})]

    out = wuye("webhooks", "deliver", "--json", config=instance)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"sent": 1, "delivered": 1, "retrying": 0, "failed": 0, "postponed": 0,
                                      "purged": 0}
    (request,) = receiver.requests
    assert request["headers"]["X-Wuye-Signature"] == sign(secret, request["body"])
    assert json.loads(request["body"])["record"]["type"] == "core_estates"
    human = wuye("webhooks", "list", config=instance).stdout
    assert "#1" in human and "delivered 1" in human and "AA" in human
    assert wuye("jobs", "list", config=instance).stdout.count("webhooks.deliver") == 1


def test_the_lineage_goes_down_and_up_again(instance):
    assert wuye("db", "check", config=instance).returncode == 0
    down = wuye("db", "downgrade", "webhooks", "--yes", config=instance)
    assert down.returncode == 0, down.stderr
    with sqlite3.connect(instance.parent / "w.sqlite3") as conn:
        tables = {t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not {"webhooks_endpoints", "webhooks_deliveries"} & tables and "core_estates" in tables
    assert wuye("db", "upgrade", config=instance).returncode == 0
    assert wuye("db", "check", config=instance).returncode == 0
    assert endpoint_count(instance) == 0
