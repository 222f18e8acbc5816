"""Return visits (回访): every complaint closed is visited (spec 2.10 "return_visit → closed or
reopened"). The ``return_visits`` plugin reads complaints through ``wuye_return_visit_sources``
(an optional hook: it exists only when that plugin is enabled) and reopens a complaint when the
visit finds the complainant unsatisfied."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import NotFound, apply, current_assignment
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
