"""Billing months (``YYYY-MM``, 月份) at an estate: the monthly statement and the profitability review
count by the estate's local calendar, not by UTC."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy.orm import Session

from core import Text, ValidationError, day_bounds
from core.models import Estate

PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
YEAR_RE = re.compile(r"^\d{4}$")


def check_period(period: str, *, allow_year: bool = False, field: str = "period") -> str:
    """``period`` stripped if it is a month like 2026-03 (or, with ``allow_year``, a year like 2026)."""
    period = (period or "").strip()
    if PERIOD_RE.match(period) or (allow_year and YEAR_RE.match(period)):
        return period
    raise ValidationError(Text(f"period {period!r} is not a month like 2026-03" + (" or a year like 2026"
                                                                              if allow_year else ""), f"{period!r} 不是有效月份（如 2026-03）" + ("或年度（如 2026）" if allow_year else "")), field=field)


def month_bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a ``YYYY-MM`` month."""
    year, month = (int(p) for p in check_period(period).split("-"))
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def month_range_utc(session: Session, estate_id: int, period: str) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local month at the estate, as UTC instants."""
    first, last = month_bounds(period)
    estate = session.get(Estate, estate_id)
    return day_bounds(estate, first)[0], day_bounds(estate, last)[1]


def previous_month(today: dt.date) -> str:
    """The ``YYYY-MM`` month before the one ``today`` is in."""
    return (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
