"""Renovation on the workplace: the application pipeline chart and the reviewer's home card.

Applications waiting for a review are listed by core's inbox (they wait for a workflow transition);
this module only counts them for the home card and draws the pipeline (applications by state).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from core import Card, Chart, InboxItem, Text, get_workflow, has_permission, visible_estate_ids
from core.models import Estate
from plugins.renovation.models import OPEN_VIOLATION_STATES, RenovationApplication, RenovationViolation

# The review steps (初审, 二审, 经理审批) and who takes them: the home card's "to review".
REVIEWS = {"submitted": "renovation.cs_review", "cs_review": "renovation.cs_review",
           "engineering_review": "renovation.engineering_review", "manager_approval": "renovation.approve"}


def _estates(session: Session, actor) -> list[Estate]:
    ids = visible_estate_ids(session, actor)
    stmt = select(Estate).order_by(Estate.code)
    return list(session.scalars(stmt if ids is None else stmt.where(Estate.id.in_(list(ids)))))


def pipeline(session: Session, estate: Estate) -> dict[str, int]:
    """``{state: applications}`` of the estate, every state of the workflow in its order (0 included)."""
    wf = get_workflow(session, "renovation.application")
    counts = dict(session.execute(
        select(RenovationApplication.status, func.count(RenovationApplication.id))
        .where(RenovationApplication.estate_id == estate.id).group_by(RenovationApplication.status)).all())
    return {s.name: int(counts.get(s.name, 0)) for s in wf.states}


def charts(session: Session, actor, today: dt.date) -> list[Chart]:
    """The pipeline (applications by state) per estate, for holders of ``renovation.view``."""
    if not has_permission(session, actor, "renovation.view"):
        return []
    wf = get_workflow(session, "renovation.application")
    labels = {s.name: Text(s.label, s.label_zh or s.label) for s in wf.states}
    out = []
    for estate in _estates(session, actor):
        # States no application is in are left out: 19 bars, most of them empty, hide the pipeline.
        counts = {state: n for state, n in pipeline(session, estate).items() if n}
        out.append(Chart(id="renovation-pipeline", title=Text("Renovation pipeline", "装修申请进度"),
                         estate_id=estate.id, kind="bar", order=20, category_title=Text("State", "状态"),
                         categories=tuple(labels[s] for s in counts),
                         series=((Text("Applications", "申请数"), tuple(counts.values())),)))
    return out


LIMIT = 20  # rows per inbox group, as core's


def inbox_items(session: Session, actor, today: dt.date) -> list[InboxItem]:
    """Violations still open after their rectification deadline (整改期限, working days of the estate's
    calendar): re-inspect them, for holders of ``renovation.inspect``. Applications waiting for a
    review are core's workflow to-dos, with their due times."""
    if not has_permission(session, actor, "renovation.inspect"):
        return []
    ids = visible_estate_ids(session, actor)
    stmt = (select(RenovationViolation).where(RenovationViolation.status.in_(OPEN_VIOLATION_STATES),
                                              RenovationViolation.deadline < today)
            .order_by(RenovationViolation.deadline, RenovationViolation.id).limit(LIMIT))
    if ids is not None:
        stmt = stmt.where(RenovationViolation.estate_id.in_(list(ids)))
    group = Text("Rectification deadlines passed", "整改逾期")
    return [InboxItem(kind="renovation.rectification_overdue", group=group,
                      title=Text("Re-inspect the rectification", "复查整改情况"), label=f"{v.number} {v.code}",
                      due_on=v.deadline, overdue=True, estate_id=v.estate_id,
                      url=f"/admin/renovation_violations/details/?id={v.id}")
            for v in session.scalars(stmt)]


def to_review(session: Session, actor) -> int:
    """Applications in the user's estates at a review step the user may take (capped at 100)."""
    states = [s for s, perm in REVIEWS.items() if has_permission(session, actor, perm)]
    if not states:
        return 0
    ids = visible_estate_ids(session, actor)
    stmt = select(RenovationApplication.id).where(RenovationApplication.status.in_(states))
    if ids is not None:
        stmt = stmt.where(RenovationApplication.estate_id.in_(list(ids)))
    return session.scalar(select(func.count()).select_from(stmt.limit(100).subquery())) or 0


def home_cards(actor) -> list[Card]:
    """"Applications to review" for the reviewers (customer service, engineer, manager)."""
    session = object_session(actor) if actor is not None else None
    if session is None or not any(has_permission(session, actor, p) for p in set(REVIEWS.values())):
        return []
    n = to_review(session, actor)
    return [Card("Renovations to review", "待审核装修申请", "99+" if n > 99 else n,
                 "/admin/inbox/?kind=transition:renovation.application", order=20,
                 level="warning" if n else "success")]
