"""Monthly complaint statistics (投诉月度统计, spec 2.10 and 4.1 rows 13-14) and the open-complaint
stock-take (每日盘点): counts by category, department responsible and estate.

A complaint counts in the month of its ``received_at`` in its estate's local time (a complaint at
00:30 Beijing time on 1 March is March's, though it is still February in UTC).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import Text, ValidationError, day_bounds, has_permission, visible_estate_ids
from core.models import Estate
from plugins.complaints.labels import CATEGORIES, DEPARTMENTS
from plugins.complaints.models import OPEN_STATES, Complaint


def _month_bounds(estate: Estate, year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    first = dt.date(year, month, 1)
    after = dt.date(year + (month == 12), month % 12 + 1, 1)
    return day_bounds(estate, first)[0], day_bounds(estate, after)[0]


def visible_estates(session: Session, actor) -> list[Estate]:
    """The estates ``actor`` sees (all of them for ``actor=None``, the system), by code."""
    stmt = select(Estate).order_by(Estate.code)
    ids = visible_estate_ids(session, actor) if actor is not None else None
    return list(session.scalars(stmt if ids is None else stmt.where(Estate.id.in_(list(ids)))))


def monthly_statistics(session: Session, actor, year: int, month: int, estate_ids=None) -> dict:
    """Complaints received in ``year``-``month``, in the estates ``actor`` sees (narrowed to
    ``estate_ids`` if given): ``{"total", "valid", "invalid", "open", "by_category", "by_department",
    "by_estate"}``; the ``by_*`` dicts list every category / department with zeros, ``by_estate`` maps
    estate code -> count. ``valid`` counts classified valid complaints; unclassified ones are in neither."""
    if not (1 <= month <= 12) or not (2000 <= year <= 2100):
        raise ValidationError({"month": [Text("give a month 1-12 of a year 2000-2100", "请填写有效的年份与月份")]})
    if actor is not None and not has_permission(session, actor, "complaints.view"):
        return {}
    out = {"total": 0, "valid": 0, "invalid": 0, "open": 0, "by_category": dict.fromkeys(CATEGORIES, 0),
           "by_department": dict.fromkeys(DEPARTMENTS, 0), "by_estate": {}}
    for estate in visible_estates(session, actor):
        if estate_ids is not None and estate.id not in estate_ids:
            continue
        start, end = _month_bounds(estate, year, month)
        rows = session.execute(select(Complaint.category, Complaint.department, Complaint.valid, Complaint.status,
                                      func.count(Complaint.id))
                               .where(Complaint.estate_id == estate.id, Complaint.received_at >= start,
                                      Complaint.received_at < end)
                               .group_by(Complaint.category, Complaint.department, Complaint.valid,
                                         Complaint.status)).all()
        n_estate = 0
        for category, department, valid, status, n in rows:
            n_estate += n
            out["by_category"][category] = out["by_category"].get(category, 0) + n
            out["by_department"][department] = out["by_department"].get(department, 0) + n
            out["valid"] += n if valid is True else 0
            out["invalid"] += n if valid is False else 0
            out["open"] += n if status in OPEN_STATES else 0
        out["by_estate"][estate.code] = n_estate
        out["total"] += n_estate
    return out


def open_complaints(session: Session, actor, estate_ids=None) -> list[Complaint]:
    """The open complaints (the daily stock-take), oldest first, in the estates ``actor`` sees."""
    stmt = select(Complaint).where(Complaint.status.in_(OPEN_STATES)).order_by(Complaint.received_at, Complaint.id)
    ids = visible_estate_ids(session, actor) if actor is not None else None
    if ids is not None:
        stmt = stmt.where(Complaint.estate_id.in_(list(ids)))
    if estate_ids is not None:
        stmt = stmt.where(Complaint.estate_id.in_(list(estate_ids)))
    return list(session.scalars(stmt))
