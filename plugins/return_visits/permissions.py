"""Permissions of the return_visits plugin with their default roles (grants are data afterwards)."""

from __future__ import annotations

from core import Permission

_LEADS = ("general_manager", "office_manager", "cs_center_manager")

PERMISSIONS: tuple[Permission, ...] = (
    Permission("return_visits.view", "View return visits, ratings and satisfaction statistics",
               "查看回访记录、满意度与统计",
               _LEADS + ("cs_supervisor", "cs_specialist", "engineering_supervisor", "quality_dept")),
    Permission("return_visits.record", "Record return visits (satisfaction, comments, unreachable)",
               "登记回访（满意度、意见、联系不上）", _LEADS + ("cs_supervisor", "cs_specialist")),
    Permission("return_visits.manage_rules", "Set the return-visit rules and cancel visits",
               "设置回访规则、取消回访", _LEADS + ("cs_supervisor",)),
)
