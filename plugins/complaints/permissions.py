"""Permissions of the complaint register with their default roles (spec 2.10 "Roles & permissions";
grants are company data afterwards)."""

from __future__ import annotations

from core import Permission

_LEADS = ("general_manager", "office_manager", "assistant_manager")
_CS_LEADS = ("cs_center_manager", "cs_supervisor")
_DESK = ("cs_specialist", "butler", "front_desk", "hotline_operator", "duty_manager")

PERMISSIONS: tuple[Permission, ...] = (
    Permission("complaints.view", "See complaints and their statistics", "查看投诉与投诉统计",
               _LEADS + _CS_LEADS + _DESK + ("quality_dept", "company_pm_dept", "engineering_supervisor",
                                             "security_manager", "cleaning_supervisor")),
    Permission("complaints.register", "Register complaints", "登记投诉", _LEADS + _CS_LEADS + _DESK),
    Permission("complaints.handle", "Classify, investigate and answer complaints", "投诉分类、调查与答复",
               _LEADS + _CS_LEADS + ("cs_specialist", "butler")),
    Permission("complaints.verify", "Verify corrective actions and close complaints", "验证纠正措施并结案",
               _LEADS + _CS_LEADS + ("quality_dept",)),
    Permission("complaints.reopen", "Reopen a closed or answered complaint", "重新处理投诉",
               _LEADS + _CS_LEADS),
)
