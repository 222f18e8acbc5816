"""Admin screens of the move-in plugin (menu 入伙管理), generated from these specs by core.web."""

from __future__ import annotations

from core import SERVICE_DESK_MENU, AdminViewSpec
from plugins.move_in import api
from plugins.move_in.models import MoveInBatch, MoveInCase, MoveInDefect, MoveInSlot
from plugins.move_in.schemas import BatchSchema, CaseSchema, DefectSchema, SlotSchema
from plugins.move_in.web import CasePage


def admin_views() -> list[AdminViewSpec]:
    """The move-in cases with their workflow buttons, the defect list, handover lists and slots."""
    return [
        AdminViewSpec(model=MoveInCase, schema=CaseSchema, name="move_in_cases", label="Move-in cases",
                      label_zh="入伙办理", view_permission="move_in.view", edit_permission="move_in.manage",
                      list_columns=("number", "unit_id", "owner_id", "notified_by", "status"),
                      search_fields=("number",), filters=("estate_id", "status", "batch_id"),
                      sensitive_fields=api.SENSITIVE, lookups={"unit_id": "unit", "owner_id": "party"},
                      workflow="move_in.case", can_edit=False, create_service=api.create_case,
                      menu=SERVICE_DESK_MENU, order=30, view_mixin=CasePage,
                      column_labels={"number": ("Number", "入伙编号"), "notified_by": ("Come by", "办理期限")}),
        AdminViewSpec(model=MoveInDefect, schema=DefectSchema, name="move_in_defects", label="Move-in defects",
                      label_zh="入伙整改项", view_permission="move_in.view", edit_permission="move_in.manage",
                      list_columns=("case_id", "location", "description", "responsible", "repair_number", "due_on",
                                    "state"),
                      search_fields=("description", "repair_number"), filters=("estate_id", "state", "responsible"),
                      can_edit=False, create_service=api.create_defect, menu=SERVICE_DESK_MENU, order=31),
        AdminViewSpec(model=MoveInBatch, schema=BatchSchema, name="move_in_batches", label="Developer handover lists",
                      label_zh="开发商交房清单", view_permission="move_in.view", edit_permission="move_in.manage",
                      list_columns=("number", "name", "developer_name", "handed_over_on", "move_in_from", "move_in_to"),
                      search_fields=("number", "name"), filters=("estate_id",), can_edit=False,
                      create_service=api.create_batch, menu=SERVICE_DESK_MENU, order=32),
        AdminViewSpec(model=MoveInSlot, schema=SlotSchema, name="move_in_slots", label="Move-in appointment slots",
                      label_zh="入伙预约时段", view_permission="move_in.view", edit_permission="move_in.manage",
                      list_columns=("starts_at", "ends_at", "capacity", "batch_id"), filters=("estate_id",),
                      can_edit=False, create_service=api.create_slot, menu=SERVICE_DESK_MENU, order=33),
    ]
