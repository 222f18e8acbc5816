"""Permissions of the renovation plugin with their default roles (spec 2.5 "Roles & permissions", spec 3).

Grants are data: a company changes them in the role editor; these are only the first defaults.
"""

from __future__ import annotations

from core import Permission

_CS = ("cs_specialist", "cs_supervisor")
_ENG = ("engineer", "engineering_supervisor", "chief_engineer")
_LEADS = ("office_manager", "general_manager")

PERMISSIONS: tuple[Permission, ...] = (
    Permission("renovation.view", "View renovation applications, patrols and violations", "查看装修管理",
               _CS + _ENG + _LEADS + ("cashier", "security_manager", "guard")),
    Permission("renovation.apply", "Receive and correct renovation applications", "受理装修申请",
               _CS + ("office_manager",)),
    Permission("renovation.cs_review", "Initial review of renovation applications (初审)", "装修初审", _CS),
    Permission("renovation.engineering_review", "Engineering (second) review of renovation plans (二审)",
               "装修二审", _ENG),
    Permission("renovation.approve", "Approve renovation applications", "审批装修申请", _LEADS),
    Permission("renovation.reject", "Reject renovation applications", "不予批准装修申请",
               ("cs_supervisor", "engineering_supervisor", "chief_engineer") + _LEADS),
    Permission("renovation.sign_agreement", "Sign the renovation service agreement", "签订装修管理服务协议", _CS),
    Permission("renovation.confirm_payment", "Confirm renovation fees and deposit paid", "确认装修费用已缴",
               ("cashier", "cs_supervisor")),
    Permission("renovation.issue_permit", "Issue the renovation permit", "发放施工许可证", _CS),
    Permission("renovation.passes", "Issue and take back worker passes", "办理装修人员出入证",
               _CS + ("security_manager",)),
    Permission("renovation.start", "Record the start of works", "登记开工", _CS),
    Permission("renovation.report_completion", "Record the completion report", "受理完工申报", _CS),
    Permission("renovation.accept", "Completion acceptance (engineering + CS)", "装修完工验收",
               _CS + _ENG),
    Permission("renovation.settle_deposit", "Settle the renovation deposit", "装修保证金结算",
               ("cs_supervisor", "cashier")),
    Permission("renovation.close", "Close and archive renovation files", "装修结案归档",
               ("cs_supervisor", "office_manager")),
    Permission("renovation.withdraw", "Record an applicant's withdrawal", "撤回装修申请", _CS),
    Permission("renovation.suspend", "Stop renovation works (停工整改)", "责令停工",
               ("cs_supervisor", "engineering_supervisor", "chief_engineer", "security_manager") + _LEADS),
    Permission("renovation.resume", "Let stopped works resume", "批准复工",
               ("cs_supervisor", "chief_engineer") + _LEADS),
    Permission("renovation.extend", "Approve renovation extensions", "审批装修延期",
               ("cs_supervisor",) + _LEADS),
    Permission("renovation.inspect", "Record renovation patrols, verify rectification", "装修巡查",
               _CS + _ENG + _LEADS + ("security_manager", "guard")),
    Permission("renovation.record_violation", "Record renovation violations and notices", "开具装修违章通知",
               _CS + _ENG + ("security_manager", "guard", "office_manager")),
)
