"""Visit rates and satisfaction (回访率, 满意度) per estate and per person: the basis of staff appraisal.

For a period ``[since, until)`` (UTC):

* visits **due** are the visits due in the period, cancelled ones left out; **done** those of them
  recorded as done; the **visit rate** is done / due (percent, one decimal);
* **ratings** are the satisfaction ratings given in the period (by visit or by the owner's link);
  the **average** is the mean score (5 very satisfied ... 1 very unsatisfied, two decimals) and
  **satisfied** the percent of ratings of 满意 or better.

"Per person" is the staff member who handled the visited record (``handled_by_id``), not the
visitor: the manuals appraise the repairer by the owner's satisfaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import authorize, visible_estate_ids
from plugins.return_visits.models import ReturnVisit, SatisfactionRating, VisitStatus


def _pct(part: int, whole: int, digits: int = 1) -> float | None:
    return round(100.0 * part / whole, digits) if whole else None


def _blank() -> dict:
    return {"due": 0, "done": 0, "ratings": 0, "score_total": 0, "satisfied": 0}


def _finish(row: dict) -> dict:
    return {"due": row["due"], "done": row["done"], "visit_rate": _pct(row["done"], row["due"]),
            "ratings": row["ratings"],
            "average": round(row["score_total"] / row["ratings"], 2) if row["ratings"] else None,
            "satisfied_percent": _pct(row["satisfied"], row["ratings"])}


def satisfaction_stats(session: Session, actor, since: dt.datetime, until: dt.datetime,
                       estate_id: int | None = None) -> dict:
    """``{"by_estate": {estate_id: row}, "by_person": {staff_id or None: row}, "total": row}`` for the
    actor's estates (or the one given), each row ``{due, done, visit_rate, ratings, average,
    satisfied_percent}``."""
    authorize(session, actor, "return_visits.view", estate_id)
    ids = visible_estate_ids(session, actor)
    visits = select(ReturnVisit.estate_id, ReturnVisit.handled_by_id, ReturnVisit.status).where(
        ReturnVisit.due_at >= since, ReturnVisit.due_at < until, ReturnVisit.status != VisitStatus.cancelled)
    ratings = select(SatisfactionRating.estate_id, SatisfactionRating.handled_by_id, SatisfactionRating.score).where(
        SatisfactionRating.rated_at >= since, SatisfactionRating.rated_at < until)
    if ids is not None:
        visits = visits.where(ReturnVisit.estate_id.in_(list(ids)))
        ratings = ratings.where(SatisfactionRating.estate_id.in_(list(ids)))
    if estate_id is not None:
        visits = visits.where(ReturnVisit.estate_id == estate_id)
        ratings = ratings.where(SatisfactionRating.estate_id == estate_id)
    by_estate: dict = defaultdict(_blank)
    by_person: dict = defaultdict(_blank)
    total = _blank()
    for est, person, status in session.execute(visits):
        for row in (by_estate[est], by_person[person], total):
            row["due"] += 1
            row["done"] += status == VisitStatus.done
    for est, person, score in session.execute(ratings):
        for row in (by_estate[est], by_person[person], total):
            row["ratings"] += 1
            row["score_total"] += score
            row["satisfied"] += score >= 4
    return {"by_estate": {k: _finish(v) for k, v in by_estate.items()},
            "by_person": {k: _finish(v) for k, v in by_person.items()}, "total": _finish(total)}
