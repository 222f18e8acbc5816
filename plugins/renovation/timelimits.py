"""Renovation dates on the estate's business calendar (营业日历): the rectification deadline of a
violation (整改期限) in working days, and the days works may go on at all.

The calendar is the core's (:func:`core.calendar_for`: the company's and the estate's holidays,
make-up working days (调休上班) and working week). The workflow's own time limits (review,
acceptance, deposit refund) are ``Deadline(working_days=...)`` in :mod:`plugins.renovation.workflows`.
"""

from __future__ import annotations

import datetime as dt

from core import calendar_for, zone_of
from plugins.renovation.settings import DEFAULT_VIOLATION_WORKING_DAYS


def working_days_after(calendar, day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``day`` (``day`` itself for 0); ``day`` is never counted.

    A notice given on Friday 13 February 2026 with 3 working days is due on Wednesday 25 February:
    Saturday 14 is a make-up working day, 15-23 is the Spring Festival, then 24 and 25.
    """
    for _ in range(n):
        day = calendar.next_working_day(day)
    return day


def rectification_deadline(session, estate_id: int, today: dt.date, settings: dict) -> dt.date:
    """整改期限 of a violation noticed ``today``: ``violation_deadline_working_days`` working days of
    the estate's calendar later (the old key ``violation_deadline_days`` is read the same way)."""
    n = settings.get("violation_deadline_working_days")
    if n is None:
        n = settings.get("violation_deadline_days", DEFAULT_VIOLATION_WORKING_DAYS)
    return working_days_after(calendar_for(session, estate_id), today, int(n))


def permitted_day(settings: dict, calendar, day: dt.date) -> bool:
    """Whether works may go on on ``day`` under the ``work_days`` setting and the estate's calendar:
    ``every_day``; ``no_holidays`` (default: not on a public holiday, 放假, unless the estate works it);
    ``working_days`` (only the calendar's working days, make-up Saturdays included)."""
    rule = settings.get("work_days", "no_holidays")
    if rule == "every_day" or calendar is None:
        return True
    if rule == "working_days":
        return calendar.is_working_day(day)
    return day in calendar.workdays or day not in calendar.holidays


def local_day(estate, at: dt.datetime) -> dt.date:
    """The estate's calendar day of the instant ``at``."""
    return at.astimezone(zone_of(estate)).date()
