"""Permissions of the move-in plugin with their default roles (spec 2.3 "Roles").

The CS specialist processes each case, Finance confirms the fees, the office manager decides on
owners who do not come (deemed delivery). Grants are data: a company changes them in the role editor.
"""

from __future__ import annotations

from core import Permission

_CS = ("cs_specialist", "cs_supervisor", "butler", "front_desk", "cs_center_manager")
_LEADS = ("office_manager", "general_manager")

PERMISSIONS: tuple[Permission, ...] = (
    Permission("move_in.view", "View move-in cases, notices and defects", "查看入伙办理", _CS + _LEADS + (
        "cashier", "finance_dept", "engineering_supervisor", "key_custodian")),
    Permission("move_in.manage", "Handover lists, notices, appointments and the move-in procedures", "办理入伙",
               _CS + _LEADS),
    Permission("move_in.confirm_fees", "Confirm the move-in fees are paid", "确认入伙费用已缴",
               _CS + _LEADS + ("cashier", "finance_dept")),
    Permission("move_in.deem", "Mark owners who did not come as deemed delivered (视同交付)", "视同交付",
               ("cs_supervisor", "cs_center_manager") + _LEADS),
)
