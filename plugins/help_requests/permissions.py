"""Permissions of the help_requests plugin with their default roles (spec 2.19 roles, spec 3)."""

from __future__ import annotations

from core import Permission

_LEADS = ("general_manager", "office_manager", "cs_center_manager", "cs_supervisor")
_DESK = ("cs_specialist", "front_desk", "hotline_operator", "butler", "duty_manager")

PERMISSIONS: tuple[Permission, ...] = (
    Permission("help_requests.view", "See help requests and standard answers", "查看求助登记与服务口径",
               _LEADS + _DESK + ("assistant_manager", "quality_dept", "security_manager", "squad_leader")),
    Permission("help_requests.register", "Register help requests and emergency calls", "求助与紧急呼叫登记",
               _LEADS + _DESK + ("security_manager", "squad_leader")),
    Permission("help_requests.handle", "Reply to, resolve and close help requests", "答复与处理求助",
               _LEADS + _DESK + ("security_manager",)),
    Permission("help_requests.answers", "Edit the standard answers (服务口径)", "维护服务口径",
               ("general_manager", "office_manager", "cs_center_manager", "cs_supervisor", "quality_dept")),
)
