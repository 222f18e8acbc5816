"""API resources of the move-in plugin under ``/api/v1/move-in/...``.

Issuing a notice creates a case (``POST /api/v1/move-in/cases``); every step is a workflow
transition: ``POST /api/v1/move-in/cases/<id>/transitions/check_documents`` with the checklist.
"""

from __future__ import annotations

from core import ApiResourceSpec
from plugins.move_in import services
from plugins.move_in.models import MoveInBatch, MoveInCase, MoveInDefect, MoveInSlot
from plugins.move_in.schemas import BatchSchema, CaseSchema, DefectSchema, SlotSchema

SENSITIVE = ("agent_id_number",)


# Adapters from validated schema data to the services (used by the admin screens too).

def create_case(session, actor, data: dict):
    return services.issue_notice(session, actor, **data)


def create_batch(session, actor, data: dict):
    return services.create_batch(session, actor, **data)


def create_slot(session, actor, data: dict):
    return services.create_slot(session, actor, **data)


def create_defect(session, actor, data: dict):
    return services.record_defect(session, actor, **data)


def api_resources() -> list[ApiResourceSpec]:
    """The plugin's REST resources."""
    return [
        ApiResourceSpec(model=MoveInCase, schema=CaseSchema, path="move-in/cases", view_permission="move_in.view",
                        edit_permission="move_in.manage", filters=("estate_id", "unit_id", "owner_id", "status",
                                                                   "batch_id", "number"),
                        workflow="move_in.case", can_update=False, create_service=create_case,
                        sensitive_fields=SENSITIVE),
        ApiResourceSpec(model=MoveInDefect, schema=DefectSchema, path="move-in/defects", view_permission="move_in.view",
                        edit_permission="move_in.manage", filters=("estate_id", "case_id", "state", "responsible"),
                        can_update=False, create_service=create_defect),
        ApiResourceSpec(model=MoveInBatch, schema=BatchSchema, path="move-in/batches", view_permission="move_in.view",
                        edit_permission="move_in.manage", filters=("estate_id", "number"), can_update=False,
                        create_service=create_batch),
        ApiResourceSpec(model=MoveInSlot, schema=SlotSchema, path="move-in/slots", view_permission="move_in.view",
                        edit_permission="move_in.manage", filters=("estate_id", "batch_id"), can_update=False,
                        create_service=create_slot),
    ]
