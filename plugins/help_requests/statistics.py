"""Monthly statistics of help requests by category (003 §1 6.5.3: inquiries, help and emergencies
counted each month with complaints and repairs), and how many were replied to within the limit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import day_bounds
from core.models import Estate
from plugins.help_requests.models import CATEGORIES, HelpRequest


def month_bounds(estate: Estate, month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants the estate's local month of ``month`` starts and the next one starts."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return day_bounds(estate, first)[0], day_bounds(estate, following)[0]


def monthly_counts(session: Session, estate: Estate, month: dt.date) -> dict[str, tuple[int, int]]:
    """``{category: (received, replied in time)}`` for the estate's month (every category, zeros included).

    "In time": replied at or before the reply limit (``reply_due_at``)."""
    start, end = month_bounds(estate, month)
    rows = session.execute(select(HelpRequest.category, HelpRequest.replied_at, HelpRequest.reply_due_at).where(
        HelpRequest.estate_id == estate.id, HelpRequest.received_at >= start, HelpRequest.received_at < end))
    out = {category: [0, 0] for category in CATEGORIES}
    for category, replied, due in rows:
        entry = out.setdefault(category, [0, 0])
        entry[0] += 1
        if replied is not None and due is not None and _aware(replied) <= _aware(due):
            entry[1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


