"""Repair statistics (维修统计): per technician and per category, the count of orders, how many met
every time limit (on-time rate, from the core's deadline rows) and the average minutes from
receiving to completion."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from core import current_assignment, visible_estate_ids
from core.models.workflow import WorkflowDeadline
from plugins.repairs.models import RepairOrder


def statistics(session, actor, *, since, until, estate_id: int | None = None) -> dict:
    """``{"technicians": [...], "categories": [...]}`` for orders received in ``[since, until)`` that
    the actor may see; each row ``{"label", "count", "on_time", "on_time_rate", "avg_minutes"}``
    (``avg_minutes`` from receiving to completion, of the completed ones); ``estate_id`` narrows it
    to one estate."""
    stmt = select(RepairOrder).where(RepairOrder.received_at >= since, RepairOrder.received_at < until)
    estates = visible_estate_ids(session, actor)
    if estates is not None:
        stmt = stmt.where(RepairOrder.estate_id.in_(list(estates)))
    if estate_id is not None:
        stmt = stmt.where(RepairOrder.estate_id == estate_id)
    orders = list(session.scalars(stmt))
    late = set(session.scalars(select(WorkflowDeadline.record_id).where(
        WorkflowDeadline.record_table == "repairs_orders", WorkflowDeadline.escalation_level > 0)))
    by_tech, by_cat = defaultdict(list), defaultdict(list)
    for order in orders:
        held = current_assignment(session, order)
        by_tech[str(held.assignee) if held is not None and held.assignee_id else "—"].append(order)
        by_cat[str(order.category) if order.category else "—"].append(order)
    return {"technicians": _rows(by_tech, late), "categories": _rows(by_cat, late)}


def _rows(groups: dict, late: set) -> list[dict]:
    out = []
    for label, orders in sorted(groups.items()):
        on_time = sum(1 for o in orders if o.id not in late)
        done = [(o.completed_at - o.received_at).total_seconds() / 60 for o in orders if o.completed_at]
        out.append({"label": label, "count": len(orders), "on_time": on_time,
                    "on_time_rate": round(on_time / len(orders), 4),
                    "avg_minutes": round(sum(done) / len(done), 1) if done else None})
    return out
