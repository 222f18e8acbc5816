"""Admin screens (menu 装修管理). Creation goes through the same services as the API."""

from __future__ import annotations

from core.web.specs import AdminViewSpec
from plugins.renovation import api
from plugins.renovation import models as m
from plugins.renovation import schemas as s

VIEW = "renovation.view"


def admin_views() -> list[AdminViewSpec]:
    return [
        AdminViewSpec(m.RenovationApplication, s.ApplicationSchema, "renovation_applications",
                      "Renovation applications", "装修申请审批", VIEW, "renovation.apply",
                      list_columns=("number", "unit", "applicant", "status", "planned_start", "planned_end",
                                    "contractor_name", "permit_no"),
                      search_fields=("number", "permit_no", "contractor_name"),
                      filters=("status", "applied_on", "planned_end", "self_renovation"),
                      sensitive_fields=("contractor_phone",),
                      lookups={"unit_id": "unit", "applicant_id": "party", "consenting_owner_id": "party",
                               "contractor_party_id": "party"},
                      workflow="renovation.application", order=10, create_service=api.create_application),
        AdminViewSpec(m.RenovationWorker, s.WorkerSchema, "renovation_workers", "Renovation workers",
                      "装修施工人员", VIEW, None, list_columns=("name", "trade", "id_number", "phone", "application"),
                      search_fields=("name",), filters=("trade",), sensitive_fields=("id_number", "phone"),
                      can_create=False, can_edit=False, order=20),
        AdminViewSpec(m.RenovationWorkerPass, s.WorkerPassSchema, "renovation_worker_passes", "Worker passes",
                      "装修人员出入证", VIEW, "renovation.passes",
                      list_columns=("number", "worker", "status", "expires_on", "issued_at", "returned_at"),
                      search_fields=("number",), filters=("status", "expires_on"), sensitive_fields=("id_number",),
                      lookups={"worker_id": "renovation_worker"}, can_edit=False, order=30,
                      create_service=api.issue_worker_pass),
        AdminViewSpec(m.RenovationExtension, s.ExtensionSchema, "renovation_extensions", "Extensions",
                      "装修延期申请", VIEW, "renovation.apply",
                      list_columns=("application", "previous_end", "requested_end", "status", "requested_at"),
                      filters=("status",), lookups={"application_id": "renovation_application"},
                      can_edit=False, order=40, create_service=api.create_extension),
        AdminViewSpec(m.RenovationInspection, s.InspectionSchema, "renovation_inspections", "Patrols",
                      "装修巡查记录", VIEW, "renovation.inspect",
                      list_columns=("application", "kind", "at", "inspector", "findings"),
                      filters=("kind", "at"), lookups={"application_id": "renovation_application"},
                      can_edit=False, order=50, create_service=api.create_inspection),
        AdminViewSpec(m.RenovationViolation, s.ViolationSchema, "renovation_violations", "Violations",
                      "装修违章处理", VIEW, "renovation.record_violation",
                      list_columns=("number", "application", "code", "status", "deadline", "deduction_fen"),
                      search_fields=("number",), filters=("status", "code", "deadline"),
                      lookups={"application_id": "renovation_application"}, workflow="renovation.violation",
                      can_edit=False, order=60, create_service=api.create_violation),
        AdminViewSpec(m.RenovationAcceptanceCheck, s.AcceptanceCheckSchema, "renovation_acceptance_checks",
                      "Acceptance checks", "完工验收记录", VIEW, "renovation.accept",
                      list_columns=("application_id", "round", "kind", "passed", "checked_at"),
                      filters=("kind", "passed"), lookups={"application_id": "renovation_application"},
                      can_edit=False, order=70, create_service=api.create_acceptance_check),
        AdminViewSpec(m.RenovationSettlement, s.SettlementSchema, "renovation_settlements", "Deposit settlements",
                      "装修保证金结算", VIEW, None,
                      list_columns=("application_id", "deposit_fen", "violation_deductions_fen", "damage_fen",
                                    "refund_fen", "settled_at"),
                      can_create=False, can_edit=False, order=80),
        AdminViewSpec(m.RenovationInspectionShortfall, s.ShortfallSchema, "renovation_inspection_shortfalls",
                      "Missing manager patrols", "经理巡查不足", VIEW, None,
                      list_columns=("application", "day", "manager_inspections", "required"), filters=("day",),
                      can_create=False, can_edit=False, order=90),
    ]
