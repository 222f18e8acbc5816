"""Repairs on the unit's page and in the search.

The unit panel lists the unit's repair orders, newest first, with their status in the user's
language, and offers "register a repair" (报修登记). The search finds orders by number (``RP-2026-...``).
"""

from __future__ import annotations

from sqlalchemy import func

from core import Panel, SearchHit, Text, get_workflow, has_permission, scoped_select
from plugins.repairs.models import OPEN_STATES, RepairOrder

VIEW = "repairs.view"
VIEW_NAME = "repairs_orders"
SHOWN = 8
COLUMNS = [Text("Number", "报修单号"), Text("Received", "受理时间"), Text("Request", "报修内容"), Text("Status", "状态")]


def status_label(session, value: str):
    """The order's status as the workflow names it, in the user's language."""
    for state in get_workflow(session, "repairs.order").states:
        if state.name == value:
            return Text(state.label, state.label_zh)
    return value


def unit_panels(session, actor, unit) -> list[Panel]:
    """The unit's repair orders (报修记录), one repair file per household (001 L147)."""
    if not has_permission(session, actor, VIEW):
        return []
    orders = list(session.scalars(scoped_select(session, actor, RepairOrder).where(RepairOrder.unit_id == unit.id)
                                  .order_by(RepairOrder.received_at.desc(), RepairOrder.id.desc()).limit(SHOWN)))
    rows = [[Panel.link(o.number, VIEW_NAME, o.id), o.received_at.date(), o.description[:40],
             Panel.flag(status_label(session, o.status), "info" if o.status in OPEN_STATES else "secondary")]
            for o in orders]
    actions = []
    if has_permission(session, actor, "repairs.register"):
        actions.append(Panel.action(Text("Register a repair", "报修登记"), VIEW_NAME, unit_id=unit.id))
    open_count = sum(1 for o in orders if o.status in OPEN_STATES)
    return [Panel(title="Repairs", title_zh="报修", key="repairs", facts=[(Text("Open repairs", "未完成报修"), open_count)],
                  columns=COLUMNS, rows=rows, actions=actions, empty=Text("No repair orders.", "暂无报修记录。"),
                  order=25)]


def search(session, actor, query) -> list[SearchHit]:
    """Repair orders by number (RP-...), from their first characters."""
    q = query.strip().upper()
    if not q.startswith("RP") or not has_permission(session, actor, VIEW):
        return []
    like = q.replace("%", "").replace("_", "") + "%"
    stmt = (scoped_select(session, actor, RepairOrder).where(func.upper(RepairOrder.number).like(like))
            .order_by(RepairOrder.number).limit(10))
    return [SearchHit(kind=Text("Repair order", "报修单"), title=o.number,
                      subtitle=f"{o.unit.label if o.unit else o.location} · {status_label(session, o.status)}",
                      view=VIEW_NAME, record_id=o.id, rank=0 if q == o.number else 5)
            for o in session.scalars(stmt)]
