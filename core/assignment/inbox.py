"""Inbox sources of assignment (待办): records assigned to the user, and records offered to the user's
teams waiting for someone to grab them (抢单池). Called by :func:`core.services.inbox.inbox_for`, which
turns what :func:`assignment_items` returns into its ``InboxItem`` rows (plain data here, so this module
need not import the inbox that imports it).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.clock import as_utc
from core.models.assignment import Assignment, TeamMember
from core.models.workflow import WorkflowDeadline
from core.scoping import visible_estate_ids
from core.text import Text

LIMIT = 20  # rows listed per group, as the inbox lists them
CAP = 99  # counts stop here: "99+"

ASSIGNED = Text("Assigned to me", "派给我的")
OFFERED = Text("Offered to my team (grab)", "待抢单")


def _views(wuye) -> dict[str, str]:
    """``{table: admin view name}`` of every generated screen (to link an item to its record page)."""
    out: dict[str, str] = {}
    for _plugin, specs in wuye.call_each("wuye_admin_views"):
        for spec in specs or ():
            model = getattr(spec, "model", None)
            table = getattr(model, "__tablename__", None)
            if table and table not in out:
                out[table] = spec.name
    return out



def _label(record) -> str:
    unit = getattr(record, "unit", None)
    label = getattr(unit, "label", None)
    return f"{record} · {label}" if label and label not in str(record) else str(record)


def _add(session: Session, wuye, now: dt.datetime, out: list, kind: str, group, title, stmt, rows: bool) -> None:
    from core.assignment.service import model_for_table

    n = session.scalar(select(func.count()).select_from(stmt.with_only_columns(Assignment.id)
                                                        .limit(CAP + 1).subquery())) or 0
    if not n:
        return
    items: list[dict] = []
    out.append((kind, group, (min(n, CAP), n > CAP), items))
    if not rows:
        return
    found = list(session.scalars(stmt.order_by(Assignment.assigned_at, Assignment.id).limit(LIMIT)))
    due = {(d.record_table, d.record_id): d.due_at for d in session.scalars(select(WorkflowDeadline).where(
        WorkflowDeadline.closed_at.is_(None), WorkflowDeadline.paused_at.is_(None),
        WorkflowDeadline.record_id.in_([a.record_id for a in found])))}
    views = _views(wuye)
    for a in found:
        model = model_for_table(a.record_table)
        record = session.get(model, a.record_id) if model is not None else None
        when = due.get((a.record_table, a.record_id))
        when = as_utc(when) if when is not None else None
        items.append(dict(
            title=title, label=_label(record) if record is not None else f"{a.record_table} #{a.record_id}",
            view=views.get(a.record_table, ""), record_id=a.record_id, due_at=when,
            overdue=when is not None and when <= now, estate_id=a.estate_id))


def assignment_items(session: Session, actor, wuye, now: dt.datetime, rows: bool = True) -> list[tuple]:
    """``[(kind, group, (count, capped), [InboxItem keyword arguments])]``: records assigned to ``actor``
    (kind ``assigned``) and offered to his teams (kind ``grab``), at most :data:`LIMIT` of each."""
    out: list[tuple] = []
    estates = visible_estate_ids(session, actor)

    def scoped(stmt):
        return stmt if estates is None else stmt.where(Assignment.estate_id.in_(list(estates)))

    mine = scoped(select(Assignment).where(Assignment.ended_at.is_(None), Assignment.assignee_id == actor.id))
    _add(session, wuye, now, out, "assigned", ASSIGNED, Text("Handle", "处理"), mine, rows)
    teams = select(TeamMember.team_id).where(TeamMember.staff_id == actor.id, TeamMember.active)
    offered = scoped(select(Assignment).where(Assignment.ended_at.is_(None), Assignment.assignee_id.is_(None),
                                              Assignment.team_id.in_(teams)))
    _add(session, wuye, now, out, "grab", OFFERED, Text("Grab", "抢单"), offered, rows)
    return out
