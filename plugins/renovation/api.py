"""API resources under ``/api/v1/renovation/...`` and the thin adapters from validated JSON to services.

Workflow steps are exposed by the generic layer as ``POST .../<id>/transitions/<name>``.
"""

from __future__ import annotations

from core import ApiResourceSpec, NotFound, Text
from core.models import Party, Unit
from plugins.renovation import models as m
from plugins.renovation import schemas as s
from plugins.renovation import services


def _get(session, model, ident, field: str):
    if ident is None:
        return None
    obj = session.get(model, ident)
    if obj is None:
        raise NotFound(Text(f"{field} {ident} does not exist", f"所选记录 {ident} 不存在"))
    return obj


def create_application(session, actor, data: dict):
    data = dict(data)
    unit = _get(session, Unit, data.pop("unit_id"), "unit_id")
    applicant = _get(session, Party, data.pop("applicant_id"), "applicant_id")
    consenting = _get(session, Party, data.pop("consenting_owner_id", None), "consenting_owner_id")
    contractor = _get(session, Party, data.pop("contractor_party_id", None), "contractor_party_id")
    return services.apply_for_renovation(session, actor, unit=unit, applicant=applicant,
                                         consenting_owner=consenting, contractor_party=contractor, **data)


def update_application(session, actor, record, data: dict):
    return services.update_application(session, actor, record, **data)


def _application(session, data: dict):
    return _get(session, m.RenovationApplication, data.pop("application_id"), "application_id")


def create_extension(session, actor, data: dict):
    data = dict(data)
    return services.request_extension(session, actor, _application(session, data), **data)


_MEASURES = ("load_w", "closed_water_test_hours", "slab_drilling", "works_observed", "fire_extinguisher")


def create_inspection(session, actor, data: dict):
    data = dict(data)
    app = _application(session, data)
    measured = {k: data.pop(k, None) for k in _MEASURES}
    measured = {k: v for k, v in measured.items() if v is not None}
    return services.record_inspection(session, actor, app, **data, **measured)


def create_violation(session, actor, data: dict):
    data = dict(data)
    app = _application(session, data)
    inspection = _get(session, m.RenovationInspection, data.pop("inspection_id", None), "inspection_id")
    return services.record_violation(session, actor, app, inspection=inspection, **data)


def issue_worker_pass(session, actor, data: dict):
    return services.issue_pass(session, actor, _get(session, m.RenovationWorker, data["worker_id"], "worker_id"))


def create_acceptance_check(session, actor, data: dict):
    data = dict(data)
    return services.record_acceptance_check(session, actor, _application(session, data), **data)


def api_resources() -> list[ApiResourceSpec]:
    view = "renovation.view"
    return [
        ApiResourceSpec(model=m.RenovationApplication, schema=s.ApplicationSchema, path="renovation/applications", view_permission=view,
                        edit_permission="renovation.apply", filters=("status", "unit_id", "estate_id", "number"),
                        workflow="renovation.application", create_service=create_application,
                        update_service=update_application, sensitive_fields=("contractor_phone",)),
        ApiResourceSpec(model=m.RenovationWorker, schema=s.WorkerSchema, path="renovation/workers", view_permission=view, edit_permission=None,
                        filters=("application_id",), can_create=False, can_update=False,
                        sensitive_fields=("id_number", "phone")),
        ApiResourceSpec(model=m.RenovationWorkerPass, schema=s.WorkerPassSchema, path="renovation/passes", view_permission=view, edit_permission="renovation.passes",
                        filters=("application_id", "status"), create_service=issue_worker_pass, can_update=False,
                        sensitive_fields=("id_number",)),
        ApiResourceSpec(model=m.RenovationExtension, schema=s.ExtensionSchema, path="renovation/extensions", view_permission=view, edit_permission="renovation.apply",
                        filters=("application_id", "status"), create_service=create_extension, can_update=False),
        ApiResourceSpec(model=m.RenovationInspection, schema=s.InspectionSchema, path="renovation/inspections", view_permission=view,
                        edit_permission="renovation.inspect", filters=("application_id", "kind"),
                        create_service=create_inspection, can_update=False),
        ApiResourceSpec(model=m.RenovationViolation, schema=s.ViolationSchema, path="renovation/violations", view_permission=view,
                        edit_permission="renovation.record_violation", filters=("application_id", "status", "code"),
                        workflow="renovation.violation", create_service=create_violation, can_update=False),
        ApiResourceSpec(model=m.RenovationAcceptanceCheck, schema=s.AcceptanceCheckSchema, path="renovation/acceptance-checks",
                        view_permission=view, edit_permission="renovation.accept", filters=("application_id",),
                        create_service=create_acceptance_check, can_update=False),
        ApiResourceSpec(model=m.RenovationSettlement, schema=s.SettlementSchema, path="renovation/settlements", view_permission=view, edit_permission=None,
                        filters=("application_id",), can_create=False, can_update=False),
    ]
