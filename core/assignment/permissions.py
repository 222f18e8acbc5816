"""Permissions of assignment (派工)."""

from __future__ import annotations

from core.security import Permission

_LEADS = ("general_manager", "office_manager", "assistant_manager", "duty_manager")
_SUPERVISORS = ("cs_center_manager", "cs_supervisor", "chief_engineer", "engineering_supervisor", "team_leader_eng",
                "security_manager", "squad_leader", "cleaning_supervisor", "cleaning_team_leader")
_HANDS = ("cs_specialist", "butler", "engineer", "technician", "team_leader_eng", "plant_operator", "guard",
          "cleaner", "gardener", "household_service_staff")

PERMISSIONS = (
    Permission("core.assignment.assign", "Assign and reassign records", "指派与改派", _LEADS + _SUPERVISORS),
    Permission("core.assignment.grab", "Grab records offered to my team", "抢单", _HANDS),
    Permission("core.assignment.manage", "Manage teams and dispatch rules", "管理班组与派工规则",
               _LEADS + ("cs_center_manager", "chief_engineer", "engineering_supervisor")),
    Permission("core.assignment.report", "View breach reports", "查看超时统计",
               _LEADS + _SUPERVISORS + ("quality_dept", "company_pm_dept")),
)
