"""Admin screens of the repairs plugin (menu 报修管理), generated from these specs by core.web."""

from __future__ import annotations

from core import SERVICE_DESK_MENU, SETTINGS_MENU, AdminViewSpec
from plugins.repairs import api
from plugins.repairs.models import RepairCategory, RepairOrder
from plugins.repairs.schemas import CategorySchema, OrderSchema
from plugins.repairs.web import OrderPage


def admin_views() -> list[AdminViewSpec]:
    """The repair register (报修记录) with its workflow buttons, and the categories."""
    return [
        AdminViewSpec(model=RepairOrder, schema=OrderSchema, name="repairs_orders", label="Repair orders",
                      label_zh="报修记录", view_permission="repairs.view", edit_permission="repairs.attach",
                      list_columns=("number", "unit_id", "location", "description", "urgency", "received_at",
                                    "status"),
                      search_fields=("number", "description", "reporter_name"),
                      filters=("estate_id", "status", "urgency"), sensitive_fields=api.SENSITIVE,
                      lookups={"unit_id": "unit", "reporter_party_id": "party"}, workflow="repairs.order",
                      can_edit=False, create_service=api.create_order, menu=SERVICE_DESK_MENU, order=10,
                      view_mixin=OrderPage,
                      column_labels={"number": ("Number", "报修单号"), "description": ("Description", "报修内容"),
                                     "received_by_id": ("Received by", "受理人")}),
        AdminViewSpec(model=RepairCategory, schema=CategorySchema, name="repairs_categories",
                      label="Repair categories", label_zh="报修类别", view_permission="repairs.view",
                      edit_permission="repairs.categories",
                      list_columns=("code", "name_zh", "dispatch_mode", "paid", "labour_fen", "active"),
                      search_fields=("code", "name_zh"), filters=("estate_id", "active"), can_edit=False,
                      create_service=api.create_category, menu=SETTINGS_MENU, order=75),
    ]
