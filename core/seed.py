"""Seeding roles and default grants from the registry (idempotent; company changes survive)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Role, RolePermission, SeededPermission


def seed_roles(session: Session, registry) -> dict:
    """Create missing roles and grant each never-seen permission to its default roles.

    Returns counts: ``{"roles_created": n, "grants_added": m}``. Runs on every ``wuye db upgrade``;
    a permission seen before is left alone, so a grant the company revoked stays revoked.
    """
    roles = {r.name: r for r in session.scalars(select(Role))}
    created = 0
    for rdef in registry.roles.values():
        role = roles.get(rdef.name)
        if role is None:
            role = Role(name=rdef.name, label=rdef.label, label_zh=rdef.label_zh, all_estates=rdef.all_estates)
            session.add(role)
            roles[rdef.name] = role
            created += 1
    session.flush()
    seeded = set(session.scalars(select(SeededPermission.permission)))
    existing = {(rp.role_id, rp.permission) for rp in session.scalars(select(RolePermission))}
    grants = 0
    # A role definition may also list permissions it should start with.
    wanted: dict[str, set[str]] = {}
    for perm in registry.permissions.values():
        wanted.setdefault(perm.name, set()).update(perm.default_roles)
    for rdef in registry.roles.values():
        for pname in rdef.permissions:
            wanted.setdefault(pname, set()).add(rdef.name)
    for pname, role_names in sorted(wanted.items()):
        if pname in seeded or pname not in registry.permissions:
            continue
        for rname in sorted(role_names):
            role = roles.get(rname)
            if role is None:
                continue  # a default for a role no enabled plugin defines
            if (role.id, pname) not in existing:
                session.add(RolePermission(role_id=role.id, permission=pname))
                existing.add((role.id, pname))
                grants += 1
        session.add(SeededPermission(permission=pname))
    session.flush()
    return {"roles_created": created, "grants_added": grants}


def seed_all(session: Session, wuye, *, skip: set[str] = frozenset()) -> dict:
    """Roles and grants, then every plugin's reference data (``wuye_seed_data``), in dependency order.

    ``skip`` names plugins whose tables do not exist yet (a plugin still writing its first
    migration), so their seeding waits for the next upgrade instead of failing this one.
    """
    counts = seed_roles(session, wuye.registry)
    for name in ["core", *wuye.order]:
        if name in skip:
            continue
        for impl in wuye.pm.hook.wuye_seed_data.get_hookimpls():
            if impl.plugin_name == name:
                impl.function(session=session)
    session.flush()
    return counts
