"""Roles and grants: seeding is idempotent, company revocations survive upgrades, grant/revoke services."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.activity import timeline
from core.errors import PermissionDenied, ValidationError
from core.models import Role, RolePermission
from core.registry import Registry
from core.security import CORE_PERMISSIONS, CORE_ROLES, Permission, RoleDef
from core.security.grants import grant, has_permission, permissions_of, require, revoke
from core.seed import seed_roles


def holders(session, permission) -> set[str]:
    return set(session.scalars(select(Role.name).join(RolePermission, RolePermission.role_id == Role.id)
                               .where(RolePermission.permission == permission)))


def registry(*extra_perms, extra_roles=()) -> Registry:
    reg = Registry()
    for r in (*CORE_ROLES, *extra_roles):
        reg.roles[r.name] = r
    for p in (*CORE_PERMISSIONS, *extra_perms):
        reg.permissions[p.name] = p
    return reg


def test_seeding_creates_roles_and_default_grants_once(session):
    first = seed_roles(session, registry())
    assert first["roles_created"] == len(CORE_ROLES) and first["grants_added"] > 0
    assert holders(session, "core.staff.manage") == {"general_manager"}
    assert seed_roles(session, registry()) == {"roles_created": 0, "grants_added": 0}


def test_a_revoked_grant_is_not_put_back_by_the_next_upgrade(session):
    seed_roles(session, registry())
    clerk = session.scalar(select(Role).where(Role.name == "clerk"))
    session.delete(session.get(RolePermission, (clerk.id, "core.archive.open")))
    session.flush()
    seed_roles(session, registry())
    assert "clerk" not in holders(session, "core.archive.open")
    assert "cs_supervisor" in holders(session, "core.archive.open")


def test_a_permission_seen_for_the_first_time_gets_its_defaults(session):
    seed_roles(session, registry())
    new = Permission("core.reports.export", "Export reports", "导出报表", ("office_manager", "nobody_defines_this"))
    role = RoleDef("data_officer", "Data officer", "数据专员", permissions=("core.reports.export",))
    counts = seed_roles(session, registry(new, extra_roles=(role,)))
    assert counts == {"roles_created": 1, "grants_added": 2}
    assert holders(session, "core.reports.export") == {"office_manager", "data_officer"}


def test_has_permission_and_require(seeded, make_estate, make_actor):
    a = make_estate("A")
    cs = make_actor("cs_specialist", estates=[a])
    assert has_permission(seeded, cs, "core.units.view")
    assert not has_permission(seeded, cs, "core.staff.manage")
    assert not has_permission(seeded, None, "core.units.view")
    with pytest.raises(PermissionDenied, match=r"u\d+_cs_specialist lacks the permission 'core.staff.manage'"):
        require(seeded, cs, "core.staff.manage")
    with pytest.raises(PermissionDenied, match="an anonymous user"):
        require(seeded, None, "core.units.view")
    cs.active = False
    assert not has_permission(seeded, cs, "core.units.view")


def test_grant_and_revoke_need_staff_management(seeded, make_estate, make_actor):
    a = make_estate("A")
    gm, manager, guard = make_actor("general_manager"), make_actor("office_manager", estates=[a]), \
        make_actor("guard", estates=[a])
    with pytest.raises(PermissionDenied, match="core.staff.manage"):
        grant(seeded, manager, "guard", "core.parties.view")
    assert not has_permission(seeded, guard, "core.parties.view")
    assert grant(seeded, gm, "guard", "core.parties.view") is True
    assert has_permission(seeded, guard, "core.parties.view")  # the cache was refreshed
    assert grant(seeded, gm, "guard", "core.parties.view") is False
    assert revoke(seeded, gm, "guard", "core.parties.view") is True
    assert not has_permission(seeded, guard, "core.parties.view")
    assert revoke(seeded, gm, "guard", "core.parties.view") is False
    role_id = seeded.scalar(select(Role.id).where(Role.name == "guard"))
    entries = timeline(seeded, "core_role_permissions", f"{role_id}/core.parties.view")
    assert [(e.action, e.actor_id) for e in entries] == [("create", gm.id), ("delete", gm.id)]


def test_nobody_may_grant_but_the_system(seeded, make_estate, make_actor):
    from core import as_system

    guard = make_actor("guard", estates=[make_estate("A")])
    with pytest.raises(PermissionDenied):
        grant(seeded, None, "guard", "core.parties.view")  # no actor outside a system session
    with as_system(seeded):  # what `wuye roles grant` does
        assert grant(seeded, None, "guard", "core.parties.view") is True
    assert has_permission(seeded, guard, "core.parties.view")
    with as_system(seeded):
        assert revoke(seeded, None, "guard", "core.parties.view") is True
    assert not has_permission(seeded, guard, "core.parties.view")


def test_grant_validates_role_and_permission(seeded, make_actor):
    gm = make_actor("general_manager")
    with pytest.raises(ValidationError, match="unknown role 'janitor'"):
        grant(seeded, gm, "janitor", "core.units.view")
    with pytest.raises(ValidationError, match="unknown permission 'core.teleport'"):
        grant(seeded, gm, "guard", "core.teleport")
    assert seeded.scalar(select(func.count()).select_from(RolePermission)
                         .where(RolePermission.permission == "core.teleport")) == 0


def test_permissions_of_lists_every_role(seeded, make_estate, make_actor):
    a = make_estate("A")
    both = make_actor("cashier", "key_custodian", estates=[a])
    perms = permissions_of(seeded, both)
    assert {"core.parties.view", "core.units.view"} <= perms
    assert "core.staff.manage" not in perms
