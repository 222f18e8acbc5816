"""``wuye roles list|grant|revoke`` (``core/cli/roles.py``): grants after the first upgrade."""

from __future__ import annotations

import json
import sqlite3


def grants_of(config, role: str) -> set[str]:
    with sqlite3.connect(config.parent / "w.sqlite3") as conn:
        return {p for (p,) in conn.execute(
            "SELECT permission FROM core_role_permissions JOIN core_roles ON core_roles.id = role_id "
            "WHERE core_roles.name = ?", (role,))}


def test_roles_list(run, upgraded):
    rows = {r["name"]: r for r in json.loads(run("roles", "list", "--json", config=upgraded).stdout)}
    assert rows["guard"]["label_zh"] == "保安员" and rows["guard"]["supervisor"] == "squad_leader"


def test_grant_and_revoke_change_grants_that_upgrades_keep(run, upgraded):
    assert "core.units.view" in grants_of(upgraded, "guard")  # a default grant of the first upgrade
    assert "core.estates.manage" not in grants_of(upgraded, "guard")
    out = run("roles", "grant", "guard", "core.estates.manage", "core.units.view", config=upgraded)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "guard: granted core.estates.manage; already held: core.units.view"
    out = run("roles", "revoke", "guard", "core.units.view", "--json", config=upgraded)
    assert json.loads(out.stdout) == {"role": "guard", "revoked": ["core.units.view"], "unchanged": []}
    again = run("roles", "revoke", "guard", "core.units.view", "--json", config=upgraded)
    assert json.loads(again.stdout)["unchanged"] == ["core.units.view"]
    assert run("db", "upgrade", config=upgraded).returncode == 0
    held = grants_of(upgraded, "guard")
    assert "core.estates.manage" in held and "core.units.view" not in held


def test_unknown_names_are_refused_and_nothing_changes(run, upgraded):
    before = grants_of(upgraded, "guard")
    role = run("roles", "grant", "gaurd", "core.estates.manage", config=upgraded)
    assert role.returncode == 1 and "unknown role 'gaurd' (did you mean 'guard'?)" in role.stderr
    perm = run("roles", "grant", "guard", "core.estates.manage", "core.estate.view", config=upgraded)
    assert perm.returncode == 1
    assert "unknown permission 'core.estate.view' (did you mean 'core.estates.view'?)" in perm.stderr
    gone = run("roles", "revoke", "guard", "nosuch.thing", "--json", config=upgraded)
    assert gone.returncode == 1 and "'nosuch.thing'" in gone.stderr
    assert "Traceback" not in role.stderr + perm.stderr + gone.stderr
    assert grants_of(upgraded, "guard") == before


def test_a_grant_needs_the_database_upgraded_first(run, instance):
    assert run("db", "upgrade", config=instance).returncode == 0
    cfg = instance.parent / "more.toml"
    cfg.write_text(instance.read_text().replace("enabled = [", 'enabled = ["visitors", '))
    out = run("roles", "revoke", "guard", "visitors.register", config=cfg)
    assert out.returncode == 1 and "run `wuye db upgrade` first" in out.stderr
    assert run("db", "upgrade", config=cfg).returncode == 0
    out = run("roles", "revoke", "guard", "visitors.register", config=cfg)
    assert out.returncode == 0 and out.stdout.strip() == "guard: revoked visitors.register"
