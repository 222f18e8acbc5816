"""Vacancy periods (空置) kept from unit status events; the run's vacancy discount reads them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from core import Text, ValidationError, estate_today
from core.models import Unit
from plugins.billing.models import Vacancy


def record_vacancy(
    session: Session, unit: Unit, vacant_from: dt.date, vacant_to: dt.date | None = None
) -> Vacancy:
    """Record that ``unit`` stood empty from ``vacant_from`` (until ``vacant_to``, open if None)."""
    if vacant_to is not None and vacant_to < vacant_from:
        raise ValidationError(Text("the vacancy ends before it starts", "空置结束日期早于开始日期"), field="vacant_to")
    row = Vacancy(estate_id=unit.estate_id, unit_id=unit.id, vacant_from=vacant_from, vacant_to=vacant_to)
    session.add(row)
    session.flush()
    return row


def on_unit_event(unit: Unit, event: str, data: dict) -> None:
    """``wuye_unit_event``: open a vacancy when a unit becomes vacant, close it when it is used again."""
    if event != "status_changed" or "vacant" not in (data.get("from"), data.get("to")):
        return
    session = object_session(unit)
    if session is None:
        return
    today = estate_today(session, unit.estate)
    current = session.scalar(select(Vacancy).where(Vacancy.unit_id == unit.id, Vacancy.vacant_to.is_(None)))
    if data.get("to") == "vacant":
        if current is None:
            record_vacancy(session, unit, today)
    elif current is not None:
        current.vacant_to = max(today - dt.timedelta(days=1), current.vacant_from)
        session.flush()
