"""Renovation registers (spec 2.5 "Records & reports"): units under renovation, violations by type
and month, deposits held. Months and days are the estate's (Asia/Shanghai unless set otherwise)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core import estate_today, zone_of
from core.models import Estate
from plugins.billing import services as billing
from plugins.renovation.models import RenovationApplication, RenovationViolation
from plugins.renovation.rules import finding_codes

# From the start of works until acceptance the unit counts as "under renovation".
UNDER_RENOVATION = ("in_progress", "suspended", "completion_reported", "acceptance", "rectification")


def _estate(session, estate: Estate | int) -> Estate:
    return estate if isinstance(estate, Estate) else session.get(Estate, estate)


def units_under_renovation(session, estate: Estate | int) -> list[dict]:
    """装修登记: each unit whose works have started and are not yet accepted, with dates and contractor."""
    estate = _estate(session, estate)
    today = estate_today(session, estate)
    apps = session.scalars(select(RenovationApplication)
                           .options(selectinload(RenovationApplication.unit), selectinload(RenovationApplication.applicant))
                           .where(RenovationApplication.estate_id == estate.id,
                                  RenovationApplication.status.in_(UNDER_RENOVATION))
                           .order_by(RenovationApplication.number)).all()
    return [{"number": a.number, "unit": a.unit.label, "unit_id": a.unit_id, "status": a.status,
             "applicant": a.applicant.name,
             "contractor": "self-renovation (自行装修)" if a.self_renovation else a.contractor_name,
             "permit_no": a.permit_no, "planned_start": a.planned_start, "planned_end": a.planned_end,
             "overdue": a.planned_end < today} for a in apps]


def violations_by_type_and_month(session, estate: Estate | int, *, year: int | None = None) -> list[dict]:
    """Violation count and deductions per (local month, code), sorted by month then code."""
    estate = _estate(session, estate)
    names = finding_codes()
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for v in session.scalars(select(RenovationViolation).where(RenovationViolation.estate_id == estate.id)):
        when = v.detected_at.astimezone(zone_of(estate))
        if year is not None and when.year != year:
            continue
        bucket = counts[(f"{when:%Y-%m}", v.code)]
        bucket[0] += 1
        bucket[1] += v.deduction_fen
    return [{"month": month, "code": code, "name_zh": names.get(code, {}).get("name_zh", ""),
             "name": names.get(code, {}).get("name", ""), "count": n, "deduction_fen": fen}
            for (month, code), (n, fen) in sorted(counts.items())]


def deposits_held(session, estate: Estate | int) -> dict:
    """装修保证金台账: every application whose deposit balance (billing's ledger) is above zero."""
    estate = _estate(session, estate)
    apps = session.scalars(select(RenovationApplication)
                           .options(selectinload(RenovationApplication.unit))
                           .where(RenovationApplication.estate_id == estate.id,
                                  RenovationApplication.agreement_signed_at.is_not(None))
                           .order_by(RenovationApplication.number)).all()
    rows = []
    for a in apps:
        held = billing.deposit_balance_fen(session, source=a.source)
        if held > 0:
            rows.append({"number": a.number, "unit": a.unit.label, "status": a.status, "deposit_fen": held,
                         "required_fen": a.deposit_required_fen})
    return {"rows": rows, "total_fen": sum(r["deposit_fen"] for r in rows)}
