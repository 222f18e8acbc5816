"""Permissions of the repairs plugin with their default roles (spec 2.9 "Roles & permissions").

Grants are data: a company changes them in the role editor; these are only the first defaults.
"""

from __future__ import annotations

from core import Permission

_CS = ("cs_specialist", "cs_supervisor", "front_desk", "hotline_operator", "butler")
_ENG = ("engineer", "engineering_supervisor", "chief_engineer", "team_leader_eng", "technician")
_LEADS = ("office_manager", "general_manager")

PERMISSIONS: tuple[Permission, ...] = (
    Permission("repairs.view", "View repair orders", "查看报修单", _CS + _ENG + _LEADS),
    Permission("repairs.register", "Register repair orders (报修登记)", "受理报修", _CS + _LEADS),
    # The screen's edit permission, so it decides who adds files (core's attachment rule): the technician
    # attaches the completion photo (完工照片) as the clerk attaches the owner's; registering still needs
    # repairs.register (the screen checks both).
    Permission("repairs.attach", "Attach photos and files to repair orders", "上传报修照片和附件", _CS + _ENG + _LEADS),
    Permission("repairs.dispatch", "Fill the work order and dispatch to engineering", "派工",
               _CS + ("engineering_supervisor", "chief_engineer", "team_leader_eng") + _LEADS),
    Permission("repairs.work", "Accept, arrive, carry out and complete repairs", "维修作业", _ENG),
    Permission("repairs.quote", "Assess and quote work outside the price list", "维修报价",
               ("engineering_supervisor", "chief_engineer")),
    Permission("repairs.confirm", "Record the owner's decision, confirmation and satisfaction", "业主确认",
               _CS + _LEADS),
    Permission("repairs.supervise", "Complete or reopen any repair order (supervisors)", "维修督导",
               ("engineering_supervisor", "chief_engineer") + _LEADS),
    Permission("repairs.categories", "Manage repair categories and prices", "管理报修类别",
               ("engineering_supervisor", "chief_engineer", "office_manager")),
)
