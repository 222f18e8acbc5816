"""Permissions of the webhooks. ``default_roles`` are granted once, at the first ``wuye db upgrade``
that sees the permission; afterwards grants are company data (``wuye roles grant`` / ``wuye roles
revoke``, or the roles screen)."""

from __future__ import annotations

from core import Permission

PERMISSIONS: tuple[Permission, ...] = (
    Permission("webhooks.view", "See webhook endpoints and the delivery log", "查看事件推送",
               default_roles=("general_manager",)),
    Permission("webhooks.manage", "Add and change webhook endpoints", "管理事件推送",
               default_roles=("general_manager",)),
)
