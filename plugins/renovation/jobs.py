"""Scheduled jobs (``jobs()``): ``renovation.manager_inspections`` (KF02 §2 j: the manager inspects
each renovating household at least twice a day).

The job runner starts a ``daily`` job once per local day, soon after midnight, so the job looks at
the day that has just ended in each estate (Asia/Shanghai unless the estate says otherwise): every
application in progress that had started before that day ended and got fewer manager patrols
(inspections of kind ``manager``) than ``manager_inspections_per_day`` is flagged in
``renovation_inspection_shortfalls``. Running it again for the same day updates the flags (and
drops a flag whose patrols were recorded late) instead of adding new ones. A day on which works may
not go on at the estate (``work_days`` on its business calendar: by default a public holiday) needs no
patrols and flags nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from core import Job, calendar_for, day_bounds, estate_today, settings_of
from core.models import Estate
from plugins.renovation.models import (
    RenovationApplication,
    RenovationInspection,
    RenovationInspectionShortfall,
)
from plugins.renovation.settings import DEFAULTS
from plugins.renovation.timelimits import permitted_day


def manager_inspection_shortfalls(session, estate: Estate, day: dt.date, required: int) -> list[tuple]:
    """(application, count) for applications in progress with fewer than ``required`` manager patrols."""
    start, end = day_bounds(estate, day)
    started = RenovationApplication.started_at.is_(None) | (RenovationApplication.started_at < end)
    counts = (select(RenovationInspection.application_id, func.count().label("n"))
              .where(RenovationInspection.estate_id == estate.id, RenovationInspection.kind == "manager",
                     RenovationInspection.at >= start, RenovationInspection.at < end)
              .group_by(RenovationInspection.application_id).subquery())
    stmt = (select(RenovationApplication, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.application_id == RenovationApplication.id)
            .where(RenovationApplication.estate_id == estate.id, RenovationApplication.status == "in_progress",
                   started)
            .order_by(RenovationApplication.number))
    return [(app, n) for app, n in session.execute(stmt) if n < required]


def run_manager_inspections(session, now: dt.datetime, *, day: dt.date | None = None) -> dict:
    """The job: flag the shortfalls of the day before ``now`` (or of ``day``) in every estate."""
    settings = settings_of(session, "renovation", DEFAULTS)
    required = settings["manager_inspections_per_day"]
    flagged = []
    for estate in session.scalars(select(Estate).order_by(Estate.code)):
        checked = day or estate_today(session, estate, now=now) - dt.timedelta(days=1)
        works_day = permitted_day(settings, calendar_for(session, estate.id), checked)
        short = manager_inspection_shortfalls(session, estate, checked, required) if works_day else []
        # Re-run for the same day: a flag whose patrols were recorded late goes away.
        for stale in session.scalars(select(RenovationInspectionShortfall).where(
                RenovationInspectionShortfall.estate_id == estate.id, RenovationInspectionShortfall.day == checked,
                RenovationInspectionShortfall.application_id.not_in([a.id for a, _ in short] or [0]))):
            session.delete(stale)
        for app, n in short:
            row = session.scalar(select(RenovationInspectionShortfall).where(
                RenovationInspectionShortfall.application_id == app.id, RenovationInspectionShortfall.day == checked))
            if row is None:
                row = RenovationInspectionShortfall(estate_id=estate.id, application_id=app.id, day=checked,
                                                    manager_inspections=n, required=required)
                session.add(row)
            else:
                row.manager_inspections, row.required = n, required
            flagged.append(f"{estate.code} {app.number}")
    session.flush()
    return {"flagged": len(flagged), "applications": flagged}


def jobs() -> list[Job]:
    """The plugin's scheduled jobs (registered through ``wuye_scheduled_jobs``)."""
    return [Job("renovation.manager_inspections", "daily", run_manager_inspections,
                "Flag renovating units with fewer than two manager patrols today (KF02 §2 j)")]
