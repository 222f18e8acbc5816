"""Return visits on the workplace: visits due or overdue (to-dos) and the satisfaction chart per estate."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import Chart, InboxItem, Text, day_bounds, has_permission, utcnow, visible_estate_ids
from core.models import Estate
from plugins.return_visits.models import ReturnVisit, VisitStatus
from plugins.return_visits.statistics import satisfaction_stats

LIMIT = 20


def inbox_items(session: Session, actor, today: dt.date) -> list[InboxItem]:
    """Scheduled visits due by the end of ``today``, the most overdue first (holders of ``return_visits.record``)."""
    if not has_permission(session, actor, "return_visits.record"):
        return []
    now = utcnow()
    _start, end = day_bounds(None, today)
    stmt = select(ReturnVisit).where(ReturnVisit.status == VisitStatus.scheduled, ReturnVisit.due_at < end)
    ids = visible_estate_ids(session, actor)
    if ids is not None:
        stmt = stmt.where(ReturnVisit.estate_id.in_(list(ids)))
    group = Text("Return visits due", "待回访")
    return [InboxItem(kind="return_visits.due", group=group, title=Text("Call the owner back", "回访业主"),
                      label=f"{v.number} {v.summary}"[:80], due_at=v.due_at, overdue=v.due_at < now,
                      estate_id=v.estate_id, view="return_visits_visits", record_id=v.id)
            for v in session.scalars(stmt.order_by(ReturnVisit.due_at).limit(LIMIT))]


def charts(session: Session, actor, today: dt.date) -> list[Chart]:
    """Visit rate and satisfied share of the last 30 days, per estate (holders of ``return_visits.view``)."""
    if not has_permission(session, actor, "return_visits.view"):
        return []
    _start, until = day_bounds(None, today)
    since = until - dt.timedelta(days=30)
    ids = visible_estate_ids(session, actor)
    stmt = select(Estate).order_by(Estate.code)
    estates = list(session.scalars(stmt if ids is None else stmt.where(Estate.id.in_(list(ids)))))
    out = []
    for estate in estates:
        row = satisfaction_stats(session, actor, since, until, estate.id)["total"]
        out.append(Chart(id="return-visits-rates", title=Text("Return visits, last 30 days", "近30天回访与满意度"),
                         estate_id=estate.id, kind="bar", unit="%", order=40,
                         category_title=Text("Measure", "指标"),
                         categories=(Text("Visit rate", "回访率"), Text("Satisfied", "满意率")),
                         series=((Text("Percent", "百分比"),
                                  (row["visit_rate"] or 0, row["satisfied_percent"] or 0)),)))
    return out
