"""Permissions of the visitor register. ``default_roles`` are granted once, at the first
``wuye db upgrade`` that sees the permission; afterwards grants are company data
(``wuye roles grant`` / ``wuye roles revoke``, or the roles screen)."""

from __future__ import annotations

from core import Permission

_SECURITY = ("guard", "squad_leader", "security_manager")

PERMISSIONS: tuple[Permission, ...] = (
    Permission("visitors.view", "See the visitor register", "查看来访登记",
               default_roles=_SECURITY + ("office_manager", "duty_manager", "front_desk")),
    Permission("visitors.register", "Register visitors and their departure", "来访登记",
               default_roles=_SECURITY),
    Permission("visitors.escort_out", "Escort a visitor out", "劝离访客",
               default_roles=("squad_leader", "security_manager")),
)
