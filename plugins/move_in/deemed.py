"""Owners who do not come (KF08 §4, §5.3.2): the reminder 3 days before the notified date and
deemed delivery (视同交付) after it.

The jobs run as the system: the reminder only marks the case (``reminded_on``) and lists it for the
desk to call or write; deemed delivery applies the workflow step ``deem``, which records the day and
moves the unit to ``deemed_delivered`` through the core unit service (billing's own job starts the
fees from the unit's status).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import apply, as_system, estate_today, scoped_select
from plugins.move_in.models import WAITING_STATES, MoveInCase
from plugins.move_in.notices import settings


def _waiting(session):
    return list(session.scalars(select(MoveInCase).where(MoveInCase.status.in_(WAITING_STATES))
                                .order_by(MoveInCase.notified_by, MoveInCase.id)))


def remind_due(session, today: dt.date | None = None) -> dict:
    """Mark the waiting cases whose notified date is within the reminder window (once each)."""
    days = settings(session)["reminder_days_before"]
    marked = []
    for case in _waiting(session):
        day = today or estate_today(session, case.estate_id)
        if case.reminded_on is None and case.notified_by - dt.timedelta(days=days) <= day <= case.notified_by:
            case.reminded_on = day
            marked.append(case.number)
    session.flush()
    return {"reminded": marked}


def deem_overdue(session, today: dt.date | None = None) -> dict:
    """Mark the waiting cases past their notified date as deemed delivered (视同交付)."""
    deemed = []
    with as_system(session):
        for case in _waiting(session):
            day = today or estate_today(session, case.estate_id)
            if day > case.notified_by:
                apply(session, case, "deem", None, comment=f"{case.notified_by} 前未办理入伙")
                deemed.append(case.number)
    session.flush()
    return {"deemed": deemed}


def overdue_cases(session, actor, today: dt.date) -> list[MoveInCase]:
    """Waiting cases the actor may see whose notified date has passed (for the desk and the manager)."""
    return list(session.scalars(scoped_select(session, actor, MoveInCase)
                                .where(MoveInCase.status.in_(WAITING_STATES), MoveInCase.notified_by < today)
                                .order_by(MoveInCase.notified_by)))
