"""Recording a return visit (回访登记): the satisfaction found, the comments, and what follows when the
owner is unsatisfied (the source record reopened for rework, the supervisor told)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from core import (
    Audience,
    Conflict,
    Text,
    ValidationError,
    apply,
    authorize,
    send_notification,
    settings_of,
    utcnow,
    wuye_of,
)
from plugins.return_visits.generation import sources
from plugins.return_visits.models import (
    SCORES,
    UNSATISFIED,
    RatingChannel,
    ReturnVisit,
    Satisfaction,
    SatisfactionRating,
    VisitMethod,
    VisitOutcome,
    VisitStatus,
)

SUPERVISOR_ROLES = ("cs_supervisor", "cs_center_manager")


def parse_satisfaction(value, field: str = "satisfaction") -> Satisfaction:
    """The scale point from its id or its label in either language (``不满意``); else a clear error."""
    if isinstance(value, Satisfaction):
        return value
    text = str(value or "").strip()
    for member in Satisfaction:
        if text == member.value or text in Satisfaction.__labels__[member.value]:
            return member
    names = "、".join(zh for _, zh in Satisfaction.__labels__.values())
    raise ValidationError({field: [f"choose one of the 5-point scale: {names} "
                                   f"({', '.join(m.value for m in Satisfaction)})"]})


def _open(visit: ReturnVisit) -> None:
    if visit.status != VisitStatus.scheduled:
        raise Conflict(f"visit {visit.number} is already {visit.status.value}; only a scheduled visit is recorded")


def record_visit(session: Session, actor, visit: ReturnVisit, satisfaction, comments: str = "",
                 method=None, now: dt.datetime | None = None) -> ReturnVisit:
    """Record the visit as done with the owner's ``satisfaction`` (5-point scale) and ``comments``
    (the workflow transition ``record``).

    An unsatisfied owner (不满意/非常不满意): the source's ``reopen`` is called (a repair goes back
    for rework) when it offers one, and the estate's customer-service supervisors are told.
    """
    authorize(session, actor, "return_visits.record", visit)
    _open(visit)
    point = parse_satisfaction(satisfaction)
    if comments is not None and len(comments) > 1000:
        raise ValidationError({"comments": ["keep the comments under 1000 characters"]})
    if method is not None:
        try:
            method = VisitMethod(method)
        except ValueError:
            raise ValidationError({"method": ["choose phone or visit (电话回访/上门回访)"]}) from None
    if now is None or now.tzinfo is None:
        raise ValidationError({"now": ["pass the visit time as an aware UTC datetime"]})
    apply(session, visit, "record", actor, satisfaction=point, comments=comments or "", method=method, now=now)
    session.flush()
    return visit


def check_record(session, visit: ReturnVisit, actor, satisfaction=None, **data):
    """Guard of ``record``: the satisfaction is a point of the scale."""
    try:
        parse_satisfaction(satisfaction)
    except ValidationError:
        return Text("choose the satisfaction on the 5-point scale", "请选择满意度（非常满意/满意/一般/不满意/非常不满意）")
    return None


def record_effect(session, visit: ReturnVisit, actor, satisfaction=None, comments="", method=None, now=None,
                  **data) -> None:
    """Effect of ``record``: the visit's fields, its rating, and the follow-up of an unsatisfied owner."""
    now = now or utcnow()
    point = parse_satisfaction(satisfaction)
    visit.satisfaction = point
    visit.comments = (comments or "")[:1000]
    visit.method = VisitMethod(method) if method else visit.method
    visit.visitor_id = getattr(actor, "id", None)
    visit.visited_at = now
    session.add(SatisfactionRating(estate_id=visit.estate_id, source=visit.source, record_id=visit.record_id,
                                   visit_id=visit.id, handled_by_id=visit.handled_by_id, satisfaction=point,
                                   score=SCORES[point], comment=visit.comments, channel=RatingChannel.visit,
                                   rated_at=now))
    if point in UNSATISFIED:
        _follow_up(session, actor, visit, wuye_of(session), now)


def close_unreachable(session, visit: ReturnVisit, actor, now=None, **data) -> None:
    """Effect of ``unreachable``: who gave up, and when."""
    visit.visitor_id = getattr(actor, "id", None)
    visit.visited_at = now or utcnow()


def _follow_up(session: Session, actor, visit: ReturnVisit, wuye, now: dt.datetime) -> None:
    src = sources(wuye).get(visit.source, {}) if wuye is not None else {}
    reopen = src.get("reopen")
    reason = f"回访不满意 {visit.number}: {visit.comments}".strip()
    if reopen is not None:
        reopen(session, visit.record_id, actor, reason)
        visit.outcome = VisitOutcome.reopened
    else:
        # nothing to reopen: a plugin may take it up as a record of its own (complaints: 转投诉)
        raised = [r for r in (wuye.hook.wuye_return_visit_unsatisfied(session=session, visit=visit, actor=actor)
                              if wuye is not None else ()) if r is not None]
        visit.outcome = VisitOutcome.complaint_raised if raised else VisitOutcome.escalated
    if wuye is not None:
        send_notification(session, "return_visits.unsatisfied",
                          Audience(roles=SUPERVISOR_ROLES, estate_id=visit.estate_id),
                          context={"number": visit.number, "summary": visit.summary, "comments": visit.comments,
                                   "satisfaction": Satisfaction.__labels__[visit.satisfaction.value][1]},
                          record=visit, estate_id=visit.estate_id, actor=actor, now=now)


def record_unreachable(session: Session, actor, visit: ReturnVisit, now: dt.datetime) -> ReturnVisit:
    """One more call that reached nobody; after ``max_attempts`` the visit is closed as unreachable."""
    authorize(session, actor, "return_visits.record", visit)
    _open(visit)
    limit = settings_of(session, "return_visits").get("max_attempts", 3)
    visit.attempts += 1
    if visit.attempts >= limit:
        apply(session, visit, "unreachable", actor, now=now)
    session.flush()
    return visit


def cancel_visit(session: Session, actor, visit: ReturnVisit, reason: str = "") -> ReturnVisit:
    """Cancel a scheduled visit (the owner asked not to be called); it leaves the visit rate."""
    authorize(session, actor, "return_visits.manage_rules", visit)
    _open(visit)
    if not (reason or "").strip():
        raise ValidationError({"reason": ["say why the visit is cancelled (e.g. 业主不需要回访)"]})
    apply(session, visit, "cancel", actor, comment=reason)
    session.flush()
    return visit
