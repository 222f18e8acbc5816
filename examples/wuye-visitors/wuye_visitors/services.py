"""Visitor register operations: plain functions taking a session and an actor."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import Conflict, ValidationError, utcnow
from core.models import Unit
from core.security.grants import require
from wuye_visitors.models import Visit


def register_visit(session: Session, actor, *, unit: Unit, visitor_name: str, visitor_phone: str = "") -> Visit:
    """A guard lets a visitor in to see ``unit``."""
    require(session, actor, "visitors.register")
    if not visitor_name.strip():
        raise ValidationError("the visitor's name is required", field="visitor_name")
    visit = Visit(estate_id=unit.estate_id, unit_id=unit.id, visitor_name=visitor_name.strip(),
                  visitor_phone=visitor_phone, registered_by_id=actor.id)
    session.add(visit)
    session.flush()
    return visit


def register_departure(session: Session, actor, visit: Visit) -> Visit:
    """The visitor leaves; a visit can end only once."""
    require(session, actor, "visitors.register")
    if visit.left_at is not None:
        raise Conflict(f"visit {visit.id} already ended at {visit.left_at:%Y-%m-%d %H:%M}", field="left_at")
    visit.left_at = utcnow()
    session.flush()
    return visit


def inside_now(session: Session, estate_id: int) -> list[Visit]:
    """Visitors who arrived and have not left."""
    return list(session.scalars(select(Visit).where(Visit.estate_id == estate_id, Visit.left_at.is_(None))))
