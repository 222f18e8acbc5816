"""Visitor register operations: plain functions taking a session and an actor.

They check with ``authorize`` (permission and estate), validate with ``load`` (the same schema as
the admin form and the API), never commit (the caller owns the transaction) and raise ``core``
errors whose message names the field and the fix.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from core import (
    ValidationError,
    apply,
    attributed,
    authorize,
    day_bounds,
    estate_today,
    has_permission,
    load,
    next_number,
    settings_of,
    visible_estate_ids,
)
from core.models import Estate, StaffUser, Unit
from wuye_visitors.models import Visit
from wuye_visitors.schemas import VisitSchema
from wuye_visitors.settings import Settings

# What a visit's fields may be changed to after registration (the unit and the times may not).
EDITABLE = ("visitor_name", "visitor_phone", "purpose")


@attributed
def register_visit(session: Session, actor: StaffUser | None, data: dict) -> Visit:
    """A guard lets a visitor in to see a unit (``data`` as ``VisitSchema`` loads it).

    Also the ``create_service`` of the admin screen and the API resource: called with
    ``(session, actor, data)``, it returns the new record, flushed.
    """
    data = load(VisitSchema, data)
    unit = session.get(Unit, data["unit_id"])
    if unit is None:
        raise ValidationError(f"no unit with id {data['unit_id']}", field="unit_id")
    authorize(session, actor, "visitors.register", unit)
    year = estate_today(session, unit.estate_id).year
    visit = Visit(estate_id=unit.estate_id, unit_id=unit.id, visitor_name=data["visitor_name"].strip(),
                  visitor_phone=data["visitor_phone"].strip(), purpose=data["purpose"].strip(),
                  number=next_number(session, "VS", estate_id=unit.estate_id, year=year),
                  registered_by_id=actor.id if actor is not None else None)
    session.add(visit)
    session.flush()
    return visit


@attributed
def update_visit(session: Session, actor: StaffUser | None, visit: Visit, data: dict) -> Visit:
    """Correct a visit's visitor details (the API's ``update_service``: record in, record out)."""
    authorize(session, actor, "visitors.register", visit)
    data = load(VisitSchema, data, partial=True)
    if "unit_id" in data and data["unit_id"] != visit.unit_id:
        raise ValidationError("a visit's unit cannot change; register a new visit", field="unit_id")
    for key in EDITABLE:
        if key in data:
            setattr(visit, key, data[key].strip())
    if not visit.visitor_name:
        raise ValidationError("the visitor's name is required", field="visitor_name")
    session.flush()
    return visit


def register_departure(session: Session, actor: StaffUser | None, visit: Visit) -> Visit:
    """The visitor leaves: transition ``depart`` (a visit ends only once)."""
    return apply(session, visit, "depart", actor)


def inside_now(session: Session, estate_id: int) -> list[Visit]:
    """Visitors of the estate who arrived and have not left, first arrived first."""
    return list(session.scalars(select(Visit).where(Visit.estate_id == estate_id, Visit.status == "inside")
                                .order_by(Visit.arrived_at, Visit.id)))


def visits_on(session: Session, estate: Estate, day: dt.date | None = None) -> list[Visit]:
    """The visits that began on ``day`` at the estate (default: today there, or the pinned business date)."""
    start, end = day_bounds(estate, day or estate_today(session, estate))
    return list(session.scalars(select(Visit).where(Visit.estate_id == estate.id, Visit.arrived_at >= start,
                                                    Visit.arrived_at < end).order_by(Visit.arrived_at, Visit.id)))


def flag_overstays(session: Session, now: dt.datetime) -> dict:
    """Flag visitors inside for longer than ``[plugins.visitors] overstay_hours`` (once each)."""
    hours = settings_of(session, "visitors", Settings().load({}))["overstay_hours"]
    stale = session.scalars(select(Visit).where(Visit.status == "inside", Visit.overstay_flagged_at.is_(None),
                                                Visit.arrived_at < now - dt.timedelta(hours=hours)))
    flagged = 0
    for visit in stale:
        visit.overstay_flagged_at = now
        flagged += 1
    session.flush()
    return {"flagged": flagged}


def dashboard_cards(actor: StaffUser | None) -> list:
    """A home-page card: the number of visitors inside the estates the actor works for."""
    from core import Card  # the web layer: imported only when a home page is drawn

    session = object_session(actor) if actor is not None else None
    if session is None or not has_permission(session, actor, "visitors.view"):
        return []
    stmt = select(func.count(Visit.id)).where(Visit.status == "inside")
    ids = visible_estate_ids(session, actor)
    if ids is not None:  # None: the actor sees every estate
        stmt = stmt.where(Visit.estate_id.in_(ids))
    inside = session.scalar(stmt)
    return [Card(title="Visitors inside", title_zh="在访访客", value=inside, url="/admin/visitors_visits/",
                 order=50, level="warning" if inside else "info")]
