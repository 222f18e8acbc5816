"""Demo data for ``wuye demo``: a few visits to the estate's first units, one of them over."""

from __future__ import annotations

from sqlalchemy import select

from core import as_system
from core.models import Estate, Unit
from wuye_visitors.visits import register_departure, register_visit

VISITORS = (("张伟", "快递送货"), ("李娜", "探亲"), ("王强", "装修报价"))


def build_demo(session, estate: Estate) -> dict:
    """Register the demo visits as the system (no guard in particular); returns the count."""
    units = list(session.scalars(select(Unit).where(Unit.estate_id == estate.id).order_by(Unit.id).limit(3)))
    with as_system(session):
        visits = [register_visit(session, None, {"unit_id": unit.id, "visitor_name": name, "purpose": purpose})
                  for unit, (name, purpose) in zip(units, VISITORS, strict=False)]
        if visits:
            register_departure(session, None, visits[0])
    return {"visits": len(visits)}
