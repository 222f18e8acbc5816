"""Permissions of the archive plugin with their default roles (grants are data afterwards)."""

from __future__ import annotations

from core import Permission

_MANAGERS = ("general_manager", "office_manager")

PERMISSIONS: tuple[Permission, ...] = (
    Permission("archive.view", "Open owner archives (normal parts) and see completeness",
               "查阅业主档案(一般部分)与完整性", _MANAGERS + ("cs_center_manager", "cs_supervisor", "cs_specialist",
                                                          "clerk")),
    Permission("archive.manage", "Register archives, file documents, close archives",
               "建档、归档资料、结档", _MANAGERS + ("cs_center_manager", "cs_supervisor", "clerk")),
    Permission("archive.request_access", "Ask for access to a confidential part of an archive",
               "申请查阅档案绝密部分", _MANAGERS + ("cs_center_manager", "cs_supervisor", "cs_specialist", "clerk")),
    Permission("archive.approve_access", "Approve or refuse archive access requests",
               "审批档案查阅申请", _MANAGERS),
    Permission("archive.view_log", "See the archive access log", "查看档案查阅登记", _MANAGERS + ("cs_center_manager",)),
    Permission("archive.census", "Run the household census (open rounds, record checks)",
               "住户普查(开展、登记)", _MANAGERS + ("cs_center_manager", "cs_supervisor", "cs_specialist")),
)
