"""Run-time permission checks: which permissions an actor's roles hold (grants are data)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from core.context import acting_as, is_system
from core.errors import PermissionDenied
from core.models import RolePermission, StaffUser, staff_roles

# Separates permission names in the aggregated column of ``select_actor`` (names never contain it).
_SEP = "\x1f"
_CACHE_KEY = "wuye_perm_cache"  # session.info: {staff id: frozenset of permission names}


def _granted(staff_id):
    """``SELECT permission`` over the roles of the staff member ``staff_id`` (a value or a column)."""
    return (select(RolePermission.permission)
            .join(staff_roles, staff_roles.c.role_id == RolePermission.role_id)
            .where(staff_roles.c.staff_id == staff_id))


def _cache(session: Session) -> dict:
    return session.info.setdefault(_CACHE_KEY, {})


def permissions_of(session: Session, actor: StaffUser) -> frozenset[str]:
    """The permission names granted to any of ``actor``'s roles (cached per session and actor)."""
    cache = _cache(session)
    if actor.id not in cache:
        cache[actor.id] = frozenset(session.scalars(_granted(actor.id)))
    return cache[actor.id]


def select_actor(*columns):
    """``SELECT staff user, its permission names`` with roles joined and estates loaded right after:
    the whole actor in two statements (per-request authentication is otherwise five round trips).

    Extra ``columns`` (e.g. ``ApiToken``) come first in each row; add the ``WHERE`` and ``JOIN`` clauses,
    then pass the row to :func:`actor_from_row`. Roles and estates are joined collections, so call
    ``.unique()`` on the result.
    """
    granted = (_granted(StaffUser.id)
               .with_only_columns(func.aggregate_strings(RolePermission.permission, _SEP))
               .scalar_subquery())
    # Estates come by a second statement (selectinload): joined, a company-wide user's rows would be
    # roles x estates, and PostgreSQL evaluates the permissions subquery once per row (370 ms a request
    # for a user with a hundred estates, measured in the API fuzz test); roles stay joined (a few rows).
    return (select(*columns, StaffUser, granted)
            .options(joinedload(StaffUser.roles), selectinload(StaffUser.estates)))


def actor_from_row(session: Session, row) -> StaffUser:
    """The staff user of a ``select_actor`` row, its permissions primed in the session's cache."""
    user, granted = row[-2], row[-1]
    _cache(session)[user.id] = frozenset(granted.split(_SEP)) if granted else frozenset()
    return user


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
    session.info.pop(_CACHE_KEY, None)


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
    if not is_system(session, actor):  # the CLI (wuye roles grant) acts as the system
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
    if not is_system(session, actor):  # the CLI (wuye roles grant) acts as the system
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
