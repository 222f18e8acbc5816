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
