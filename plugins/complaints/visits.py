"""Return visits (回访): every complaint closed is visited (spec 2.10 "return_visit → closed or
reopened"). The ``return_visits`` plugin reads complaints through ``wuye_return_visit_sources``
(an optional hook: it exists only when that plugin is enabled) and reopens a complaint when the
visit finds the complainant unsatisfied."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import NotFound, WuyeError, apply, current_assignment
from plugins.complaints.models import Complaint

SOURCE = "complaints.complaint"


def closed_between(session: Session, since: dt.datetime, until: dt.datetime) -> list[dict]:
    """Complaints closed (valid ones, after verification) in ``[since, until)``, oldest first."""
    rows = session.scalars(select(Complaint).where(Complaint.status == "closed", Complaint.closed_at >= since,
                                                   Complaint.closed_at < until)
                           .order_by(Complaint.closed_at, Complaint.id))
    out = []
    for c in rows:
        held = current_assignment(session, c)
        out.append({"record_id": c.id, "estate_id": c.estate_id, "unit_id": c.unit_id, "party_id": c.party_id,
                    "phone": c.complainant_phone, "closed_at": c.closed_at, "summary": f"{c.number} {c.summary}",
                    "handled_by_id": held.assignee_id if held is not None else c.received_by_id})
    return out


def reopen(session: Session, record_id: int, actor, reason: str) -> None:
    """An unsatisfied return visit sends the complaint back to investigation, ``reason`` as the comment."""
    complaint = session.get(Complaint, record_id)
    if complaint is None:
        raise NotFound(f"no complaint with id {record_id}")
    apply(session, complaint, "reopen", actor, comment=reason)


def sources() -> list[dict]:
    """What ``wuye_return_visit_sources`` returns for complaints."""
    return [{"source": SOURCE, "label": "Complaints", "label_zh": "投诉", "record_table": Complaint.__tablename__,
             "closed_between": closed_between, "reopen": reopen}]


def complaint_from_visit(session: Session, visit, actor):
    """``wuye_return_visit_unsatisfied``: an owner unsatisfied with something that cannot be reopened
    (a convenience service, a help request) is registered as a complaint (回访不满意转投诉), on the
    visit's unit and caller, saying which visit raised it. A visit of a complaint reopens that
    complaint instead, so it is left alone here."""
    from plugins.complaints.handling import register_complaint

    if visit.source == SOURCE:
        return None
    data = {"unit_id": visit.unit_id, "estate_id": None if visit.unit_id else visit.estate_id,
            "party_id": visit.party_id, "complainant_phone": visit.phone or "", "channel": "phone",
            # the owner on file names himself; a caller known by his number only is "the visited owner"
            "complainant_name": "" if visit.party_id else "回访对象",
            "summary": f"回访不满意：{visit.summary}"[:200], "content": f"回访 {visit.number}：{visit.comments}".strip()}
    try:
        with session.begin_nested():  # a visit too thin to make a complaint of still records; the supervisor is told
            return register_complaint(session, actor, data)
    except WuyeError:
        return None
