"""The household census (住户普查, KF09 §4.4.2): a round per estate and period (quarterly by default)
with one line per unit, checked as confirmed, changed (with notes) or unreachable; a daily job
reminds the supervisors of rounds past due and of estates whose next round is due."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from core import Conflict, ValidationError, authorize, estate_today, utcnow
from core.models import Estate, Unit
from plugins.archive.models import CensusEntry, CensusResult, CensusRound, CensusStatus
from plugins.archive.settings import archive_settings

CENSUS = "archive.census"


def period_of(day: dt.date, months: int = 3) -> str:
    """The census period a day falls in: ``2026-Q2`` for quarters, ``2026-M05`` / ``2026-P3`` otherwise."""
    index = (day.month - 1) // months + 1
    if months == 3:
        return f"{day.year}-Q{index}"
    if months == 1:
        return f"{day.year}-M{day.month:02d}"
    return f"{day.year}-P{index}"


def open_round(session, actor, estate: Estate, *, today: dt.date | None = None) -> CensusRound:
    """Open the census round of the current period with a line for every unit of the estate."""
    authorize(session, actor, CENSUS, estate)
    settings = archive_settings(session)
    today = today or estate_today(session, estate)
    period = period_of(today, settings["census_months"])
    if session.scalars(select(CensusRound).where(CensusRound.estate_id == estate.id,
                                                 CensusRound.period == period)).first() is not None:
        raise Conflict(f"the census round {period} of {estate.name} is open already")
    rnd = CensusRound(estate_id=estate.id, period=period, starts_on=today,
                      due_on=today + dt.timedelta(days=settings["census_days"]),
                      created_by_id=getattr(actor, "id", None))
    session.add(rnd)
    session.flush()
    for unit_id in session.scalars(select(Unit.id).where(Unit.estate_id == estate.id).order_by(Unit.id)):
        session.add(CensusEntry(estate_id=estate.id, round_id=rnd.id, unit_id=unit_id))
    session.flush()
    session.refresh(rnd, ["entries"])
    return rnd


def record_check(session, actor, entry: CensusEntry, result: str, notes: str = "", *,
                 now: dt.datetime | None = None) -> CensusEntry:
    """Record one unit's check; ``changed`` needs notes saying what changed."""
    authorize(session, actor, CENSUS, entry)
    try:
        value = CensusResult(result)
    except ValueError:
        value = None
    if value is None or value == CensusResult.pending:
        raise ValidationError({"result": ["give confirmed, changed or unreachable"]})
    notes = (notes or "").strip()
    if value == CensusResult.changed and not notes:
        raise ValidationError({"notes": ["say what changed (occupants, phone numbers)"]})
    if len(notes) > 1000:
        raise ValidationError({"notes": ["at most 1000 characters"]})
    if entry.round.status != CensusStatus.open:
        raise Conflict(f"census round {entry.round.period} is closed")
    entry.result, entry.notes = value, notes
    entry.checked_by_id, entry.checked_at = getattr(actor, "id", None), now or utcnow()
    session.flush()
    return entry


def close_round(session, actor, rnd: CensusRound, *, now: dt.datetime | None = None) -> CensusRound:
    authorize(session, actor, CENSUS, rnd)
    if rnd.status == CensusStatus.closed:
        raise Conflict(f"census round {rnd.period} is closed already")
    rnd.status, rnd.closed_at = CensusStatus.closed, now or utcnow()
    session.flush()
    return rnd


def progress(session, rnd: CensusRound) -> dict[str, int]:
    """Count of lines per result, e.g. ``{"pending": 3, "confirmed": 10, ...}``."""
    counts = dict(session.execute(select(CensusEntry.result, func.count()).where(CensusEntry.round_id == rnd.id)
                                  .group_by(CensusEntry.result)).all())
    return {r.value: int(counts.get(r, 0)) for r in CensusResult}


def due_reminders(session, today: dt.date) -> list[dict]:
    """What the reminder job tells: open rounds past due with unchecked units, and estates without a
    round in the current period. Each ``{"estate_id", "kind": "overdue"|"due", "period", "pending"}``."""
    months = archive_settings(session)["census_months"]
    out = []
    for estate in session.scalars(select(Estate).order_by(Estate.id)):
        period = period_of(today, months)
        rounds = list(session.scalars(select(CensusRound).where(CensusRound.estate_id == estate.id)))
        for rnd in rounds:
            if rnd.status == CensusStatus.open and rnd.due_on < today:
                pending = progress(session, rnd)["pending"]
                if pending:
                    out.append({"estate_id": estate.id, "kind": "overdue", "period": rnd.period, "pending": pending,
                                "round": rnd})
        if not any(r.period == period for r in rounds):
            out.append({"estate_id": estate.id, "kind": "due", "period": period, "pending": 0, "round": None})
    return out
