"""Core's own hook implementations, registered before any plugin (plugin name ``core``)."""

from __future__ import annotations

from core.hookspecs import hookimpl


@hookimpl
def wuye_register_models():
    from core import models

    return [models.Estate, models.Building, models.Unit, models.Party, models.UnitRelation,
            models.Department, models.Role, models.StaffUser, models.RolePermission,
            models.SeededPermission]


@hookimpl
def wuye_register_permissions():
    from core.security import CORE_PERMISSIONS

    return list(CORE_PERMISSIONS)


@hookimpl
def wuye_register_roles():
    from core.security import CORE_ROLES

    return list(CORE_ROLES)
