"""The return_visits plugin's source for repair orders (optional hook ``wuye_return_visit_sources``):
orders closed in a period, and rework when the owner was not satisfied on the return visit."""

from __future__ import annotations

from sqlalchemy import select

from core import apply, as_system
from plugins.repairs.models import RepairOrder


def closed_between(session, since, until) -> list[dict]:
    """Orders closed in ``[since, until)`` (UTC) as the return_visits plugin reads them."""
    from core import current_assignment

    rows = session.scalars(select(RepairOrder).where(RepairOrder.closed_at >= since, RepairOrder.closed_at < until)
                           .order_by(RepairOrder.closed_at, RepairOrder.id))
    out = []
    for order in rows:
        held = current_assignment(session, order)
        out.append({"record_id": order.id, "estate_id": order.estate_id, "unit_id": order.unit_id,
                    "party_id": order.reporter_party_id, "phone": order.reporter_phone, "closed_at": order.closed_at,
                    "summary": f"{order.number} {order.description[:80]}",
                    "handled_by_id": held.assignee_id if held is not None else None})
    return out


def reopen_for_rework(session, record_id: int, actor, reason: str) -> None:
    """The owner was not satisfied on the return visit: reopen the order for rework, as the system."""
    order = session.get(RepairOrder, record_id)
    with as_system(session):
        apply(session, order, "reopen", None, comment=reason or "回访不满意")


def sources() -> list[dict]:
    """The return-visit source of this plugin."""
    return [{"source": "repairs.order", "label": "Repair orders", "label_zh": "报修单",
             "record_table": "repairs_orders", "closed_between": closed_between, "reopen": reopen_for_rework}]
