"""Complaints (投诉) on the unit's page and in the search: the unit's complaints, open ones flagged,
with "register a complaint"; the search finds complaints by number (``TS-2026-000003``)."""

from __future__ import annotations

from sqlalchemy import func

from core import Panel, SearchHit, Text, get_workflow, has_permission, scoped_select
from plugins.complaints.labels import CATEGORIES
from plugins.complaints.models import OPEN_STATES, Complaint

VIEW = "complaints.view"


def status_label(session, value: str):
    for state in get_workflow(session, "complaints.complaint").states:
        if state.name == value:
            return Text(state.label, state.label_zh or state.label)
    return value


def unit_panels(session, actor, unit) -> list[Panel]:
    """The unit's latest complaints (open ones flagged) and the number still open."""
    if not has_permission(session, actor, VIEW):
        return []
    rows_ = list(session.scalars(scoped_select(session, actor, Complaint).where(Complaint.unit_id == unit.id)
                                 .order_by(Complaint.received_at.desc(), Complaint.id.desc()).limit(20)))
    open_ = [c for c in rows_ if c.status in OPEN_STATES]
    rows = [[Panel.link(c.number, "complaints_complaints", c.id), c.received_at.date(), c.summary,
             Text(*CATEGORIES.get(c.category, (c.category, c.category))),
             Panel.flag(status_label(session, c.status), "warning") if c.status in OPEN_STATES
             else status_label(session, c.status)] for c in rows_]
    actions = []
    if has_permission(session, actor, "complaints.register"):
        actions.append(Panel.action(Text("Register a complaint", "登记投诉"), "complaints_complaints", unit_id=unit.id))
    return [Panel(title="Complaints", title_zh="投诉", key="complaints",
                  facts=[(Text("Complaints", "投诉"), len(rows_)), (Text("Open", "未结"), len(open_))],
                  columns=[Text("Complaint no.", "投诉编号"), Text("Received", "受理日期"), Text("Summary", "内容摘要"),
                           Text("Category", "投诉类别"), Text("Status", "状态")],
                  rows=rows, actions=actions, empty=Text("No complaints.", "暂无投诉。"), order=45)]


def search(session, actor, query) -> list[SearchHit]:
    """Complaints by number prefix (TS-)."""
    q = query.strip().upper()
    if not q.startswith("TS") or not has_permission(session, actor, VIEW):
        return []
    like = q.replace("%", "").replace("_", "") + "%"
    return [SearchHit(kind=Text("Complaint", "投诉"), title=c.number, subtitle=c.summary, view="complaints_complaints",
                      record_id=c.id, rank=0 if c.number == q else 5)
            for c in session.scalars(scoped_select(session, actor, Complaint)
                                     .where(func.upper(Complaint.number).like(like))
                                     .order_by(Complaint.number).limit(10))]
