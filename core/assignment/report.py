"""The breach report (超时统计): per person and per team, how many deadlines they held and how many
they breached.

A deadline counts in the period ``[since, until)`` when it ran during it: started before ``until`` and
not closed before ``since`` (closed in the period, or still open). It is *breached* when it was
escalated before ``until``, or closed after its due time. It belongs to whoever held the record
(``WorkflowDeadline.assignee_id`` / ``team_id``: they follow the assignment until the deadline
breaches, then stay frozen); deadlines nobody held are reported as unassigned (id None).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from core.models import StaffUser
from core.models.assignment import Team
from core.models.workflow import WorkflowDeadline


@dataclass(frozen=True)
class BreachRow:
    """One person's or team's line: ``id`` None is the unassigned line."""

    id: int | None
    name: str
    total: int
    breached: int

    @property
    def rate(self) -> float:
        """Share of breached deadlines, 0.0 to 1.0."""
        return self.breached / self.total if self.total else 0.0

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "total": self.total, "breached": self.breached,
                "rate": round(self.rate, 4)}


@dataclass
class BreachReport:
    """``people`` and ``teams`` lines, most breaches first, and the totals of the period."""

    since: dt.datetime
    until: dt.datetime
    people: list[BreachRow] = field(default_factory=list)
    teams: list[BreachRow] = field(default_factory=list)
    total: int = 0
    breached: int = 0

    def as_dict(self) -> dict:
        return {"since": self.since.isoformat(), "until": self.until.isoformat(), "total": self.total,
                "breached": self.breached, "people": [r.as_dict() for r in self.people],
                "teams": [r.as_dict() for r in self.teams]}


def _grouped(session: Session, column, where, names: dict) -> list[BreachRow]:
    d = WorkflowDeadline
    breached = or_(d.escalated_at < names["until"],
                   and_(d.closed_at.is_not(None), d.closed_at > d.due_at, d.closed_at < names["until"]))
    stmt = (select(column, func.count(), func.sum(case((breached, 1), else_=0)))
            .where(*where).group_by(column))
    rows = [(key, n, int(b or 0)) for key, n, b in session.execute(stmt)]
    label = names["label"]
    out = [BreachRow(key, label(key), n, b) for key, n, b in rows]
    return sorted(out, key=lambda r: (-r.breached, -r.rate, r.id is None, r.name))


def breach_report(session: Session, *, since: dt.datetime, until: dt.datetime, estate_ids=None) -> BreachReport:
    """Deadlines run in ``[since, until)`` per person and per team: total, breached, rate.

    ``estate_ids`` (an iterable, None = all estates) limits the report, as
    :func:`core.scoping.visible_estate_ids` returns them for the reader."""
    if until <= since:
        from core.errors import ValidationError

        raise ValidationError({"until": ["the end of the period must come after its start (since)"]})
    d = WorkflowDeadline
    where = [d.started_at < until, or_(d.closed_at.is_(None), d.closed_at >= since)]
    if estate_ids is not None:
        where.append(d.estate_id.in_(list(estate_ids)))
    staff = {s.id: str(s) for s in session.scalars(select(StaffUser).where(
        StaffUser.id.in_(select(d.assignee_id).where(*where, d.assignee_id.is_not(None)))))}
    teams = {t.id: t.name for t in session.scalars(select(Team).where(
        Team.id.in_(select(d.team_id).where(*where, d.team_id.is_not(None)))))}
    report = BreachReport(since=since, until=until)
    report.people = _grouped(session, d.assignee_id, where,
                             {"until": until, "label": lambda k: staff.get(k, "—") if k else "—"})
    report.teams = _grouped(session, d.team_id, where,
                            {"until": until, "label": lambda k: teams.get(k, "—") if k else "—"})
    report.total = sum(r.total for r in report.people)
    report.breached = sum(r.breached for r in report.people)
    return report
