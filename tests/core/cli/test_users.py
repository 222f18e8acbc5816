"""``wuye users list|create`` (``core/cli/users.py``)."""

from __future__ import annotations

import json


def test_users_create_refuses_duplicates_and_unknown_estates(run, upgraded):
    created = run("users", "create", "boss", "--role", "general_manager", "--password-stdin", "--json",
                  config=upgraded, stdin="s3cret-pass\n")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["roles"] == ["general_manager"]
    dup = run("users", "create", "boss", "--role", "general_manager", "--password-stdin", config=upgraded,
              stdin="s3cret-pass\n")
    assert dup.returncode == 1 and "already exists" in dup.stderr
    no_estate = run("users", "create", "cs1", "--role", "cs_specialist", "--estate", "NOPE", "--password-stdin",
                    config=upgraded, stdin="s3cret-pass\n")
    assert no_estate.returncode == 1 and "unknown estate code(s) NOPE" in no_estate.stderr


def create(run, config, username, *args, stdin="s3cret-pass\n"):
    return run("users", "create", username, *args, "--password-stdin", "--json", config=config, stdin=stdin)


def test_users_list_filters_by_estate_and_role(run, upgraded):
    for code in ("CH", "HX"):
        assert run("estates", "create", code, f"Estate {code}", config=upgraded).returncode == 0
    for username, args in {"boss": ("--role", "general_manager", "--name", "总经理"),
                           "cs1": ("--role", "cs_specialist", "--estate", "CH"),
                           "cash2": ("--role", "cashier", "--role", "cs_specialist", "--estate", "HX"),
                           "sup": ("--role", "cs_supervisor", "--estate", "CH", "--estate", "HX")}.items():
        out = create(run, upgraded, username, *args)
        assert out.returncode == 0, out.stderr
        assert out.stderr == ""  # no warning for an office role with its estates
    rows = {r["username"]: r for r in json.loads(run("users", "list", "--json", config=upgraded).stdout)}
    assert list(rows) == ["boss", "cash2", "cs1", "sup"]
    assert {k: v for k, v in rows["boss"].items() if k != "id"} == {
        "username": "boss", "name": "总经理", "roles": ["general_manager"], "estates": [], "all_estates": True,
        "active": True}
    assert rows["cash2"]["roles"] == ["cashier", "cs_specialist"] and rows["sup"]["estates"] == ["CH", "HX"]
    assert all("password" not in key for row in rows.values() for key in row)
    at_ch = json.loads(run("users", "list", "--estate", "CH", "--json", config=upgraded).stdout)
    assert [r["username"] for r in at_ch] == ["boss", "cs1", "sup"]  # the general manager works for CH too
    cs = json.loads(run("users", "list", "--role", "cs_specialist", "--estate", "HX", "--json", config=upgraded).stdout)
    assert [r["username"] for r in cs] == ["cash2"]
    text = run("users", "list", "--estate", "CH", config=upgraded)
    assert text.returncode == 0
    lines = {line.split()[0]: line for line in text.stdout.splitlines()}
    assert lines["boss"].endswith("all estates") and lines["sup"].endswith("CH, HX") and "active" in lines["cs1"]


def test_users_list_refuses_unknown_names(run, upgraded):
    estate = run("users", "list", "--estate", "NOPE", config=upgraded)
    assert estate.returncode == 1 and "unknown estate code 'NOPE'" in estate.stderr and "Traceback" not in estate.stderr
    role = run("users", "list", "--role", "cashiers", config=upgraded)
    assert role.returncode == 1 and "unknown role 'cashiers'" in role.stderr and "wuye roles list" in role.stderr


def test_users_create_warns_that_an_all_estates_role_sees_every_estate(run, upgraded):
    assert run("estates", "create", "CH", "Estate CH", config=upgraded).returncode == 0
    out = create(run, upgraded, "qa", "--role", "quality_dept", "--estate", "CH")
    assert out.returncode == 0, out.stderr
    assert "Warning: quality_dept already sees every estate; --estate CH does not limit what qa sees" in out.stderr
    assert json.loads(out.stdout)["estates"] == ["CH"]  # still created, JSON on stdout unspoiled
    text = run("users", "create", "gm2", "--role", "general_manager", "--role", "cashier", "--estate", "CH",
               "--password-stdin", config=upgraded, stdin="s3cret-pass\n")
    assert text.returncode == 0 and "general_manager already sees every estate" in text.stderr
    assert "created gm2 (roles: cashier, general_manager; estates: all)" in text.stdout
    listed = {r["username"]: r for r in json.loads(run("users", "list", "--json", config=upgraded).stdout)}
    assert listed["qa"]["all_estates"] is True and listed["gm2"]["active"] is True
