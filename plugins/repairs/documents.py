"""The repairs plugin's printable document (hook ``wuye_documents``): the three-part work order
(维修派工单, 一式三联) — copy 1 stays with customer service, copies 2 and 3 go to engineering."""

from __future__ import annotations

from core import Document, current_assignment, estate_now, fen_to_yuan
from plugins.repairs.models import RepairOrder

COPIES = (("Copy 1: customer service", "第一联：客服中心留存"), ("Copy 2: engineering", "第二联：工程部"),
          ("Copy 3: technician", "第三联：维修人员"))


def _local(session, order, moment) -> str:
    if moment is None:
        return ""
    return estate_now(session, order.estate, moment).strftime("%Y-%m-%d %H:%M")


def work_order_context(session, order: RepairOrder, actor, **_params) -> dict:
    """The work order: unit or common area, reporter, request, booked time, technician, prices."""
    held = current_assignment(session, order)
    return {"order": order, "copies": COPIES,
            "place": order.unit.label if order.unit is not None else order.location,
            "reporter": order.reporter.name if order.reporter is not None else order.reporter_name,
            "category": str(order.category) if order.category else "",
            "received": _local(session, order, order.received_at), "booked": _local(session, order, order.booked_at),
            "technician": str(held.assignee) if held is not None and held.assignee_id else "",
            "labour": fen_to_yuan(order.labour_fen) if order.paid else "",
            "material": fen_to_yuan(order.material_fen) if order.paid else "",
            "signatures": [("Dispatched by", "派单人"), ("Collected by", "工程部领单人"), ("Owner", "业主")]}


def documents() -> list[Document]:
    return [Document(name="repairs.work_order", label="Repair work order", label_zh="维修派工单",
                     model=RepairOrder, template="repairs/work_order.html", context=work_order_context,
                     permission="repairs.view", number=lambda o: o.number, page_size="A4", order=10)]
