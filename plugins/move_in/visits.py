"""Return visits (回访) after a move-in: a customer-care visit within a week of moving in (001 L135
item 6). The ``return_visits`` plugin reads finished cases through ``wuye_return_visit_sources`` (an
optional hook: it exists only when that plugin is enabled); a move-in cannot be reopened, so an
unsatisfied owner goes the way return_visits sends it (a complaint when complaints is enabled)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugins.move_in.models import MoveInCase

SOURCE = "move_in.case"


def closed_between(session: Session, since: dt.datetime, until: dt.datetime) -> list[dict]:
    """Move-ins finished (``done``) in ``[since, until)``, oldest first; deemed ones are not visits."""
    rows = session.scalars(select(MoveInCase).where(MoveInCase.status == "done", MoveInCase.done_at >= since,
                                                    MoveInCase.done_at < until)
                           .order_by(MoveInCase.done_at, MoveInCase.id))
    return [{"record_id": c.id, "estate_id": c.estate_id, "unit_id": c.unit_id, "party_id": c.owner_id,
             "phone": c.owner.phone or "", "closed_at": c.done_at, "summary": f"{c.number} 入伙办结 {c.unit.label}",
             "handled_by_id": c.handled_by_id} for c in rows]


def sources() -> list[dict]:
    """What ``wuye_return_visit_sources`` returns for move-in cases (no ``reopen``: a move-in is done)."""
    return [{"source": SOURCE, "label": "Move-ins", "label_zh": "入伙", "record_table": MoveInCase.__tablename__,
             "closed_between": closed_between}]
