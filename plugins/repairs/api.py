"""API resources of the repairs plugin under ``/api/v1/repairs/...``.

Creating an order registers it (``POST /api/v1/repairs/orders``); every status change is a workflow
transition: ``POST /api/v1/repairs/orders/<id>/transitions/complete`` with ``{"diagnosis": "..."}``.
"""

from __future__ import annotations

from core import ApiResourceSpec
from plugins.repairs import services
from plugins.repairs.models import RepairCategory, RepairOrder
from plugins.repairs.schemas import CategorySchema, OrderSchema

SENSITIVE = ("reporter_phone",)


# Adapters from validated schema data to the services (used by the admin screens too).

def create_order(session, actor, data: dict):
    return services.register_order(session, actor, **data)


def create_category(session, actor, data: dict):
    return services.create_category(session, actor, **data)


def api_resources() -> list[ApiResourceSpec]:
    """The plugin's REST resources."""
    return [
        ApiResourceSpec(model=RepairOrder, schema=OrderSchema, path="repairs/orders", view_permission="repairs.view",
                        edit_permission="repairs.register",
                        filters=("estate_id", "unit_id", "status", "category_id", "urgency", "number"),
                        workflow="repairs.order", can_update=False, create_service=create_order,
                        sensitive_fields=SENSITIVE),
        ApiResourceSpec(model=RepairCategory, schema=CategorySchema, path="repairs/categories",
                        view_permission="repairs.view", edit_permission="repairs.categories",
                        filters=("estate_id", "code", "active"), can_update=False, create_service=create_category),
    ]
