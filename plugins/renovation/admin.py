"""Admin screens (menu 装修管理). Creation goes through the same services as the API."""

from __future__ import annotations

from core import AdminViewSpec
from plugins.renovation import api
from plugins.renovation import models as m
from plugins.renovation import schemas as s

VIEW = "renovation.view"


# columns that are relations or times rather than schema fields
RELATED = {
    "unit": ("Unit", "房屋"), "applicant": ("Applicant", "申请人"), "application": ("Renovation application", "装修申请"),
    "worker": ("Worker", "施工人员"), "inspector": ("Inspector", "巡查人"), "requested_at": ("Requested at", "申请时间"),
    "checked_at": ("Checked at", "验收时间"),
    "original_end": ("Planned end as first applied", "原申请完工日期"),  # on the timeline when the plan changes
}


def admin_views() -> list[AdminViewSpec]:
    return [
        AdminViewSpec(model=m.RenovationApplication, schema=s.ApplicationSchema, column_labels=RELATED, name="renovation_applications",
                      label="Renovation applications", label_zh="装修申请审批", view_permission=VIEW, edit_permission="renovation.apply",
                      list_columns=("number", "unit", "applicant", "status", "planned_start", "planned_end",
                                    "contractor_name", "permit_no"),
                      search_fields=("number", "permit_no", "contractor_name"),
                      filters=("status", "applied_on", "planned_end", "self_renovation"),
                      sensitive_fields=("contractor_phone",),
                      lookups={"unit_id": "unit", "applicant_id": "party", "consenting_owner_id": "party",
                               "contractor_party_id": "party"},
                      workflow="renovation.application", order=10, create_service=api.create_application),
        AdminViewSpec(model=m.RenovationWorker, schema=s.WorkerSchema, column_labels=RELATED, name="renovation_workers", label="Renovation workers",
                      label_zh="装修施工人员", view_permission=VIEW, edit_permission=None, list_columns=("name", "trade", "id_number", "phone", "application"),
                      search_fields=("name",), filters=("trade",), sensitive_fields=("id_number", "phone"),
                      can_create=False, can_edit=False, order=20),
        AdminViewSpec(model=m.RenovationWorkerPass, schema=s.WorkerPassSchema, column_labels=RELATED, name="renovation_worker_passes", label="Worker passes",
                      label_zh="装修人员出入证", view_permission=VIEW, edit_permission="renovation.passes",
                      list_columns=("number", "worker", "status", "expires_on", "issued_at", "returned_at"),
                      search_fields=("number",), filters=("status", "expires_on"), sensitive_fields=("id_number",),
                      lookups={"worker_id": "renovation_worker"}, can_edit=False, order=30,
                      create_service=api.issue_worker_pass),
        AdminViewSpec(model=m.RenovationExtension, schema=s.ExtensionSchema, column_labels=RELATED, name="renovation_extensions", label="Extensions",
                      label_zh="装修延期申请", view_permission=VIEW, edit_permission="renovation.apply",
                      list_columns=("application", "previous_end", "requested_end", "status", "requested_at"),
                      filters=("status",), lookups={"application_id": "renovation_application"},
                      can_edit=False, order=40, create_service=api.create_extension),
        AdminViewSpec(model=m.RenovationInspection, schema=s.InspectionSchema, column_labels=RELATED, name="renovation_inspections", label="Patrols",
                      label_zh="装修巡查记录", view_permission=VIEW, edit_permission="renovation.inspect",
                      list_columns=("application", "kind", "at", "inspector", "findings"),
                      filters=("kind", "at"), lookups={"application_id": "renovation_application"},
                      can_edit=False, order=50, create_service=api.create_inspection),
        AdminViewSpec(model=m.RenovationViolation, schema=s.ViolationSchema, column_labels=RELATED, name="renovation_violations", label="Violations",
                      label_zh="装修违章处理", view_permission=VIEW, edit_permission="renovation.record_violation",
                      list_columns=("number", "application", "code", "status", "deadline", "deduction_fen"),
                      search_fields=("number",), filters=("status", "code", "deadline"),
                      lookups={"application_id": "renovation_application"}, workflow="renovation.violation",
                      can_edit=False, order=60, create_service=api.create_violation),
        AdminViewSpec(model=m.RenovationAcceptanceCheck, schema=s.AcceptanceCheckSchema, column_labels=RELATED, name="renovation_acceptance_checks",
                      label="Acceptance checks", label_zh="完工验收记录", view_permission=VIEW, edit_permission="renovation.accept",
                      list_columns=("application_id", "round", "kind", "passed", "checked_at"),
                      filters=("kind", "passed"), lookups={"application_id": "renovation_application"},
                      can_edit=False, order=70, create_service=api.create_acceptance_check),
        AdminViewSpec(model=m.RenovationSettlement, schema=s.SettlementSchema, column_labels=RELATED, name="renovation_settlements", label="Deposit settlements",
                      label_zh="装修保证金结算", view_permission=VIEW, edit_permission=None,
                      list_columns=("application_id", "deposit_fen", "violation_deductions_fen", "damage_fen",
                                    "refund_fen", "settled_at"),
                      can_create=False, can_edit=False, order=80),
        AdminViewSpec(model=m.RenovationInspectionShortfall, schema=s.ShortfallSchema, column_labels=RELATED, name="renovation_inspection_shortfalls",
                      label="Missing manager patrols", label_zh="经理巡查不足", view_permission=VIEW, edit_permission=None,
                      list_columns=("application", "day", "manager_inspections", "required"), filters=("day",),
                      can_create=False, can_edit=False, order=90),
    ]
