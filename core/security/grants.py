"""Run-time permission checks: which permissions an actor's roles hold (grants are data)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import PermissionDenied
from core.models import RolePermission, StaffUser, staff_roles


def permissions_of(session: Session, actor: StaffUser) -> frozenset[str]:
    """The permission names granted to any of ``actor``'s roles (cached per session and actor)."""
    cache = session.info.setdefault("wuye_perm_cache", {})
    if actor.id not in cache:
        stmt = (select(RolePermission.permission)
                .join(staff_roles, staff_roles.c.role_id == RolePermission.role_id)
                .where(staff_roles.c.staff_id == actor.id))
        cache[actor.id] = frozenset(session.scalars(stmt))
    return cache[actor.id]


def has_permission(session: Session, actor: StaffUser | None, permission: str) -> bool:
    """True when ``actor`` is active and one of its roles holds ``permission``."""
    if actor is None or not actor.active:
        return False
    return permission in permissions_of(session, actor)


def require(session: Session, actor: StaffUser | None, permission: str) -> None:
    """Raise ``PermissionDenied`` naming the permission unless ``actor`` holds it."""
    if not has_permission(session, actor, permission):
        who = actor.username if actor is not None else "an anonymous user"
        raise PermissionDenied(f"{who} lacks the permission '{permission}'")


def forget(session: Session) -> None:
    """Drop cached grants (after a role's grants change)."""
    session.info.pop("wuye_perm_cache", None)


MANAGE_STAFF = "core.staff.manage"


def _role_and_permission(session: Session, role_name: str, permission: str, *, registered: bool = True):
    from core.errors import ValidationError
    from core.models import Role

    role = session.scalar(select(Role).where(Role.name == role_name))
    if role is None:
        raise ValidationError(f"unknown role '{role_name}'; see `wuye roles list`", field="role")
    wuye = session.info.get("wuye")
    if registered and wuye is not None and permission not in wuye.registry.permissions:
        raise ValidationError(f"unknown permission '{permission}': no enabled plugin registers it",
                              field="permission")
    return role


def grant(session: Session, actor: StaffUser | None, role_name: str, permission: str) -> bool:
    """Grant ``permission`` to the role ``role_name`` (needs ``core.staff.manage``).

    Returns False when the role already held it. The change is attributed to ``actor`` in the
    activity trail and survives upgrades (seeding never re-grants or revokes).
    """
    from core.activity import acting_as

    require(session, actor, MANAGE_STAFF)
    role = _role_and_permission(session, role_name, permission)
    if session.get(RolePermission, (role.id, permission)) is not None:
        return False
    with acting_as(session, actor):
        session.add(RolePermission(role_id=role.id, permission=permission))
        session.flush()
    forget(session)
    return True


def revoke(session: Session, actor: StaffUser | None, role_name: str, permission: str) -> bool:
    """Take ``permission`` away from the role ``role_name`` (needs ``core.staff.manage``).

    Returns False when the role did not hold it. Seeding never puts a revoked grant back.
    """
    from core.activity import acting_as

    require(session, actor, MANAGE_STAFF)
    role = _role_and_permission(session, role_name, permission, registered=False)
    row = session.get(RolePermission, (role.id, permission))
    if row is None:
        return False
    with acting_as(session, actor):
        session.delete(row)
        session.flush()
    forget(session)
    return True
