"""Deemed delivery (视同交付): a notified unit not collected within a month is deemed delivered.

KF08 §4: "业主收到入住通知一个月内未办理入住手续的，视为入住". The notice (入伙通知, ``Unit.notified_on``)
gives the owner until the same day a month later (:func:`collect_by`). The daily job
``billing.deemed_delivery`` moves every unit still ``notified`` after that day to
``deemed_delivered`` through the core unit service, with ``delivered_on`` = that day, so the billing
run starts the owner's fees from it. Billing reads only ``delivered_on`` (one source of truth, set by
``core.services.units.change_unit_status``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import change_unit_status, estate_today
from core.models import Estate, Unit, UnitStatus
from plugins.billing import periods as P


def collect_by(notified_on: dt.date) -> dt.date:
    """The last day to collect the keys: the notice day one month later (clamped to the month's end)."""
    return P.months_before(notified_on, -1)


def deemed_delivery(session: Session, now: dt.datetime | None = None) -> dict:
    """The daily job: every estate's units notified and not collected by :func:`collect_by`."""
    done = 0
    for estate in session.scalars(select(Estate).order_by(Estate.id)):
        today = estate_today(session, estate, now)
        units = session.scalars(
            select(Unit)
            .where(Unit.estate_id == estate.id, Unit.status == UnitStatus.notified, Unit.notified_on.isnot(None))
            .order_by(Unit.id)
        )
        for unit in units:
            deadline = collect_by(unit.notified_on)
            if deadline < today:
                change_unit_status(session, unit, UnitStatus.deemed_delivered, on=deadline,
                                   reason="视同交付：入伙通知后一个月内未办理入住手续")
                done += 1
    session.flush()
    return {"deemed_delivered": done}
