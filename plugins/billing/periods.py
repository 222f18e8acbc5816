"""Billing periods ("YYYY-MM", 账期) and fee cycles.

A period is always a calendar month. Quarterly and yearly fee items bill in the first month of
their cycle (January, April, July, October; January), so a catch-up run over any range bills each
cycle exactly once. Which day it is at an estate comes from ``core.estate_today``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from core import Text, ValidationError

PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")
CYCLE_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def parse_period(value, field: str = "period") -> tuple[int, int]:
    """``"2026-11"`` -> ``(2026, 11)``; anything else is a ValidationError naming ``field``."""
    m = PERIOD_RE.match(value) if isinstance(value, str) else None
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1900:
        raise ValidationError(
            Text(f"{value!r} is not a billing period; write it as YYYY-MM, e.g. 2026-11", f"{value!r} 不是有效账期，格式为 YYYY-MM，例如 2026-11"), field=field
        )
    return int(m.group(1)), int(m.group(2))


def fmt(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def add_months(period: str, n: int) -> str:
    y, m = parse_period(period)
    idx = y * 12 + (m - 1) + n
    return fmt(idx // 12, idx % 12 + 1)


def bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of the period's month."""
    y, m = parse_period(period)
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def period_of(day: dt.date) -> str:
    return fmt(day.year, day.month)


def periods_between(first: str, last: str, *, field: str = "to_period") -> list[str]:
    """Every period from ``first`` to ``last`` inclusive (ValidationError when reversed)."""
    a, b = parse_period(first, "period"), parse_period(last, field)
    if b < a:
        raise ValidationError(Text(f"{last} is before {first}; give a later end period", f"{last} 早于 {first}，请填写更晚的截止账期"), field=field)
    out, p = [], first
    while True:
        out.append(p)
        if p == last:
            return out
        p = add_months(p, 1)


def cycle_of(period: str, cycle: str) -> tuple[dt.date, dt.date] | None:
    """The (start, end) of the fee cycle containing ``period``, or None for one-off items."""
    months = CYCLE_MONTHS.get(cycle)
    if months is None:
        return None
    y, m = parse_period(period)
    first = m - (m - 1) % months
    start = dt.date(y, first, 1)
    end = bounds(fmt(y, first + months - 1))[1]
    return start, end


def due_on(period: str, due_day: int, prepaid: bool) -> dt.date:
    """Due date of a line: ``due_day`` of the period month (prepaid, 预收) or of the next month (postpaid)."""
    target = period if prepaid else add_months(period, 1)
    start, end = bounds(target)
    return start.replace(day=min(max(due_day, 1), end.day))


def months_before(day: dt.date, n: int) -> dt.date:
    """The same day ``n`` months earlier (clamped to the month's end)."""
    idx = day.year * 12 + day.month - 1 - n
    y, m = idx // 12, idx % 12 + 1
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))
