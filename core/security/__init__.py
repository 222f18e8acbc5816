"""Permissions and roles as plugins declare them (DESIGN 8).

A permission is a name such as ``keys.lend``; roles (from the manual, spec 3) hold grants. The
definitions here are what plugins return from ``wuye_register_permissions`` and
``wuye_register_roles``; seeding them into the database and checking them at run time lives in
``core.security.grants``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Permission:
    """A named permission. ``default_roles`` receive it when roles are seeded.

    ``name`` is ``<plugin>.<action>`` (core uses ``core.``); ``label`` is English and
    ``label_zh`` Simplified Chinese, both shown in the role editor.
    """

    name: str
    label: str
    label_zh: str = ""
    default_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoleDef:
    """A role from the manual. ``supervisor`` is the role overdue items escalate to."""

    name: str
    label: str
    label_zh: str
    level: str = "office"  # company | office
    all_estates: bool = False  # sees every estate (general manager, company departments)
    supervisor: str | None = None
    permissions: tuple[str, ...] = field(default=())


# The manual's roles (spec 3, "Consolidated roles"); supervisors follow the reporting lines of
# spec 0.4 so escalations reach the person who answers for the work.
CORE_ROLES: tuple[RoleDef, ...] = (
    RoleDef("general_manager", "General manager", "总经理", "company", True),
    RoleDef("quality_dept", "Quality management department", "品质管理部", "company", True, "general_manager"),
    RoleDef("company_pm_dept", "Property management department", "物业管理部", "company", True, "general_manager"),
    RoleDef("finance_dept", "Finance department", "财务部", "company", True, "general_manager"),
    RoleDef("office_manager", "Management-office manager", "管理处经理", "office", False, "general_manager"),
    RoleDef("assistant_manager", "Assistant manager", "主任助理", "office", False, "office_manager"),
    RoleDef("duty_manager", "Duty manager", "值班经理", "office", False, "office_manager"),
    RoleDef("cs_center_manager", "Customer-service centre manager", "客户服务中心经理", "office", False, "office_manager"),
    RoleDef("cs_supervisor", "Customer-service supervisor", "客服主管", "office", False, "cs_center_manager"),
    RoleDef("cs_specialist", "Customer-service specialist", "客服专员", "office", False, "cs_supervisor"),
    RoleDef("butler", "Zone butler", "片区管家", "office", False, "cs_supervisor"),
    RoleDef("front_desk", "Front-desk receptionist", "前台接待", "office", False, "cs_supervisor"),
    RoleDef("hotline_operator", "Hotline operator", "接线员", "office", False, "cs_supervisor"),
    RoleDef("cashier", "Cashier / fee collector", "收费员", "office", False, "finance_dept"),
    RoleDef("clerk", "Clerk / archivist", "文员/档案管理员", "office", False, "cs_supervisor"),
    RoleDef("key_custodian", "Key custodian", "钥匙管理员", "office", False, "cs_supervisor"),
    RoleDef("culture_specialist", "Community-culture specialist", "社区文化专员", "office", False, "cs_supervisor"),
    RoleDef("after_sales_staff", "After-sales staff", "售后服务人员", "office", False, "cs_supervisor"),
    RoleDef("chief_engineer", "Chief engineer", "总工程师", "office", False, "office_manager"),
    RoleDef("engineering_supervisor", "Engineering supervisor", "工程部主管", "office", False, "chief_engineer"),
    RoleDef("engineer", "Engineer", "工程师", "office", False, "engineering_supervisor"),
    RoleDef("equipment_manager", "Equipment manager", "设备管理员", "office", False, "engineering_supervisor"),
    RoleDef("team_leader_eng", "Engineering team leader", "工程领班", "office", False, "engineering_supervisor"),
    RoleDef("technician", "Technician", "维修人员", "office", False, "team_leader_eng"),
    RoleDef("plant_operator", "Plant-room operator", "配电室值班员", "office", False, "engineering_supervisor"),
    RoleDef("engineering_clerk", "Engineering clerk", "工程部文员", "office", False, "engineering_supervisor"),
    RoleDef("security_manager", "Security manager", "保安部经理", "office", False, "office_manager"),
    RoleDef("squad_leader", "Security squad leader", "保安队长", "office", False, "security_manager"),
    RoleDef("guard", "Security guard", "保安员", "office", False, "squad_leader"),
    RoleDef("cctv_operator", "CCTV operator", "监控员", "office", False, "squad_leader"),
    RoleDef("cleaning_supervisor", "Cleaning supervisor", "保洁主管", "office", False, "office_manager"),
    RoleDef("cleaning_team_leader", "Cleaning team leader", "保洁组长", "office", False, "cleaning_supervisor"),
    RoleDef("cleaner", "Cleaner", "保洁员", "office", False, "cleaning_team_leader"),
    RoleDef("greening_leader", "Greening team leader", "绿化组长", "office", False, "cleaning_supervisor"),
    RoleDef("gardener", "Gardener", "绿化工", "office", False, "greening_leader"),
    RoleDef("storekeeper", "Storekeeper", "仓库保管员", "office", False, "office_manager"),
    RoleDef("household_service_staff", "Household-service staff", "家政服务员", "office", False, "cs_supervisor"),
)

_OFFICE_LEADS = ("general_manager", "office_manager")
_CS = ("cs_center_manager", "cs_supervisor", "cs_specialist", "butler", "front_desk", "hotline_operator")

# Core's own permissions. Plugins add theirs through wuye_register_permissions.
CORE_PERMISSIONS: tuple[Permission, ...] = (
    Permission("core.estates.view", "View estates and buildings", "查看小区与楼栋",
               tuple(r.name for r in CORE_ROLES)),
    Permission("core.estates.manage", "Manage estates and buildings", "管理小区与楼栋", _OFFICE_LEADS),
    Permission("core.units.view", "View units", "查看房屋", tuple(r.name for r in CORE_ROLES)),
    Permission("core.units.manage", "Manage units and their status", "管理房屋及状态",
               _OFFICE_LEADS + ("cs_supervisor", "cs_specialist")),
    Permission("core.parties.view", "View owners, tenants and other parties", "查看业主住户",
               _OFFICE_LEADS + _CS + ("cashier", "clerk", "key_custodian", "finance_dept", "security_manager")),
    Permission("core.parties.manage", "Manage owners, tenants and other parties", "管理业主住户",
               _OFFICE_LEADS + ("cs_supervisor", "cs_specialist", "clerk")),
    Permission("core.parties.view_sensitive", "See ID-card and phone numbers unmasked", "查看身份证号及电话",
               _OFFICE_LEADS + ("cs_center_manager", "cs_supervisor", "clerk")),
    Permission("core.archive.open", "Open an owner's confidential archive (logged)", "查阅业主档案(留痕)",
               _OFFICE_LEADS + ("cs_supervisor", "clerk")),
    Permission("core.staff.manage", "Manage staff accounts and role grants", "管理员工账号与权限",
               ("general_manager",)),
    # The staff directory of the API (GET /api/v1/staff): names, roles and estates of colleagues, so
    # the ids that approver / staff_id / collector_id take can be looked up. No hashes or tokens.
    Permission("core.staff.view", "View the staff of your estates (names, roles)", "查看本项目员工名录",
               _OFFICE_LEADS + _CS + ("quality_dept", "company_pm_dept", "finance_dept", "assistant_manager",
                                      "duty_manager", "cashier", "clerk", "key_custodian", "chief_engineer",
                                      "engineering_supervisor", "security_manager", "cleaning_supervisor")),
    Permission("core.activity.view", "View activity reports per staff member", "查看员工工作记录",
               _OFFICE_LEADS + ("quality_dept", "cs_center_manager", "cs_supervisor")),
    # Holidays, make-up working days and working hours that working-time deadlines count on: the company's
    # (all-estates roles) and an estate's own (its office manager).
    Permission("core.calendar.manage", "Manage the business calendar (holidays, working hours)",
               "管理营业日历(节假日、作息时间)", _OFFICE_LEADS),
)
