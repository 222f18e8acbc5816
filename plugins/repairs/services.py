"""Repairs services: the public API other plugins and screens call (docs/plugins/repairs.md)."""

from plugins.repairs.charges import REPAIR_FEE
from plugins.repairs.models import RepairCategory, RepairOrder
from plugins.repairs.orders import accept_price, categories_for, create_category, register_order, set_price
from plugins.repairs.statistics import statistics
from plugins.repairs.work import assign_technician, grab_order
from plugins.repairs.workflows import transition

__all__ = [
    "REPAIR_FEE",
    "RepairCategory",
    "RepairOrder",
    "accept_price",
    "assign_technician",
    "categories_for",
    "create_category",
    "grab_order",
    "register_order",
    "set_price",
    "statistics",
    "transition",
]
