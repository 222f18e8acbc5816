"""Demo data of return visits: the estate's rules, the visits generated from the demo's closed repairs,
complaints and convenience orders, two of them recorded (one satisfied, one not), and a link rating."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import add_working_time, as_system, calendar_for, next_number, utcnow, wuye_of
from core.models import Estate, Unit
from plugins.return_visits import generation, ratings, visiting
from plugins.return_visits.models import ReturnVisit, VisitStatus

ILLUSTRATIVE = ("更换厨房水龙头", "卫生间下水道疏通", "入户门锁维修")
RULES = (("repairs.order", 30, 1, "phone"), ("complaints.complaint", 100, 1, "phone"),
         ("convenience.order", 50, 2, "phone"))


def build_demo(session, estate: Estate) -> dict:
    """Add the return-visit demo records for ``estate``; returns counts."""
    with as_system(session):
        now = utcnow()
        for source, share, days, method in RULES:
            generation.create_rule(session, None, source=source, estate_id=estate.id, share_percent=share,
                                   within_working_days=days, method=method)
        made = generation.generate(session, now, lookback_days=60)
        visits = list(session.scalars(select(ReturnVisit).where(
            ReturnVisit.estate_id == estate.id, ReturnVisit.status == VisitStatus.scheduled).order_by(ReturnVisit.id)))
        if not visits:  # no closed records from the other plugins' demos: a few illustrative visits
            visits = _illustrative(session, estate, now)
        recorded = 0
        for visit, (point, words) in zip(visits[:2], (("very_satisfied", "师傅很准时，服务态度好"),
                                                      ("unsatisfied", "修完第二天又漏水了，希望再来看看")),
                                         strict=False):
            visiting.record_visit(session, None, visit, point, words, None, now - dt.timedelta(hours=2))
            recorded += 1
        secret = getattr(getattr(wuye_of(session), "config", None), "secret_key", None) or "demo-secret"
        if visits:
            v = visits[-1]
            token = ratings.make_token(session, source=v.source, record_id=v.record_id, estate_id=v.estate_id,
                                       handled_by_id=v.handled_by_id, now=now, secret=secret)
            ratings.rate_by_token(session, token, "satisfied", "整体满意", now=now, secret=secret)
        return {"rules": len(RULES), "visits": made["created"], "recorded": recorded}


def _illustrative(session, estate: Estate, now: dt.datetime) -> list[ReturnVisit]:
    """Visits of source ``demo.service`` (no plugin behind it: nothing is reopened) on the estate's units."""
    units = list(session.scalars(select(Unit).where(Unit.estate_id == estate.id).order_by(Unit.id).limit(3)))
    out = []
    for i, (unit, summary) in enumerate(zip(units, ILLUSTRATIVE, strict=False)):
        closed = now - dt.timedelta(days=i + 1)
        visit = ReturnVisit(estate_id=estate.id, number=next_number(session, "HF", estate_id=estate.id, year=now.year),
                            source="demo.service", record_table="demo", record_id=unit.id, unit_id=unit.id,
                            phone="", summary=summary, closed_at=closed,
                            due_at=add_working_time(closed, working_days=1, calendar=calendar_for(session, estate.id)),
                            created_at=now)
        session.add(visit)
        out.append(visit)
    session.flush()
    return out
