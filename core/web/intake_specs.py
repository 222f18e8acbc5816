"""Generated screens and API resources of core intake: 来电来访登记 (reception records) and 事件 (incidents).

Creating goes through the services (``register_intake``, ``open_incident``), so the admin form, the
API and the CLI refuse the same input with the same messages. Records are changed only by the
actions on their page (route, answer, merge, resolve; :mod:`core.web.admin.intake`) and the API's
action routes (:mod:`core.web.api.intake`), never edited field by field.
"""

from __future__ import annotations

from core.intake import open_incident, register_intake
from core.intake.schemas import IncidentSchema, IntakeSchema
from core.models.intake import Incident, Intake
from core.web.specs import SERVICE_DESK_MENU, AdminViewSpec, ApiResourceSpec

SENSITIVE = ("caller_phone",)


def create_intake(session, actor, data: dict) -> Intake:
    return register_intake(session, actor, **data)


def create_incident(session, actor, data: dict) -> Incident:
    return open_incident(session, actor, data["estate_id"], data["title"], data.get("category", "repair"),
                         data.get("description", ""))


def admin_specs() -> list:
    return [
        AdminViewSpec(model=Intake, schema=IntakeSchema, name="core_intakes", label="Calls and visits",
                      label_zh="来电来访登记", view_permission="core.intake.view",
                      edit_permission="core.intake.register",
                      list_columns=("number", "received_at", "channel", "category", "summary", "caller_name",
                                    "caller_phone", "unit_id", "status"),
                      search_fields=("number", "summary", "caller_name"),
                      filters=("estate_id", "channel", "category", "status"), sensitive_fields=SENSITIVE,
                      lookups={"unit_id": "unit", "party_id": "party", "estate_id": "estate"},
                      can_edit=False, create_service=create_intake, menu=SERVICE_DESK_MENU, order=5),
        AdminViewSpec(model=Incident, schema=IncidentSchema, name="core_incidents", label="Incidents",
                      label_zh="事件", view_permission="core.intake.view", edit_permission="core.incidents.manage",
                      list_columns=("number", "opened_at", "category", "title", "status", "resolved_at"),
                      search_fields=("number", "title"), filters=("estate_id", "category", "status"),
                      lookups={"estate_id": "estate"}, can_edit=False, create_service=create_incident,
                      menu=SERVICE_DESK_MENU, order=6),
    ]


def api_specs() -> list:
    return [
        ApiResourceSpec(model=Intake, schema=IntakeSchema, path="intakes", view_permission="core.intake.view",
                        edit_permission="core.intake.register", filters=("estate_id", "channel", "category",
                                                                         "status", "unit_id", "incident_id"),
                        can_update=False, create_service=create_intake, sensitive_fields=SENSITIVE),
        ApiResourceSpec(model=Incident, schema=IncidentSchema, path="incidents", view_permission="core.intake.view",
                        edit_permission="core.incidents.manage", filters=("estate_id", "category", "status"),
                        can_update=False, create_service=create_incident),
    ]
