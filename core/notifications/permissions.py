"""Permissions of notifications."""

from __future__ import annotations

from core.security import Permission

MANAGE = "core.notifications.manage"
VIEW_LOG = "core.notifications.view_log"

PERMISSIONS = (
    Permission(MANAGE, "Manage notification templates and retry deliveries", "管理通知模板与重发",
               ("office_manager", "cs_center_manager", "general_manager", "quality_dept")),
    Permission(VIEW_LOG, "View the notification delivery log", "查看通知发送记录",
               ("office_manager", "cs_center_manager", "cs_supervisor", "general_manager", "quality_dept",
                "engineering_supervisor")),
)
