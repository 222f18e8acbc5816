"""The clock: what time it is, and which day it is at an estate (业务日期, the business date).

Every "now" and "today" in Wuye comes from here, never from ``datetime.now()`` or ``date.today()``:

* :func:`utcnow` is the current instant, aware, in UTC;
* :func:`estate_today` is the calendar day at an estate (its time zone, default Asia/Shanghai),
  unless a business date is pinned for the session with :func:`business_date`: the demo builder,
  back-office corrections and tests pass the day in that way instead of depending on the wall clock;
* ``WUYE_CLOCK_SHIFT_DAYS`` (an integer, tests only) moves the whole clock that many days ahead.
  CI runs the suite a second time with the clock years ahead, so a test that silently depends on
  the wall clock (a time bomb) fails today rather than on the day the calendar reaches it.

This module sits at the bottom of the core's layers: it imports only the standard library and
SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import column, select, table
from sqlalchemy.orm import object_session

DEFAULT_TIMEZONE = "Asia/Shanghai"
SHIFT_ENV = "WUYE_CLOCK_SHIFT_DAYS"
BUSINESS_DATE_KEY = "wuye_business_date"  # session.info: a date, or {estate_id: date}


def _shift() -> dt.timedelta:
    raw = os.environ.get(SHIFT_ENV, "").strip()
    if not raw:
        return dt.timedelta(0)
    try:
        return dt.timedelta(days=int(raw))
    except ValueError:
        raise RuntimeError(f"{SHIFT_ENV}={raw!r} is not a whole number of days; unset it or write e.g. 1200") from None


SHIFT = _shift()


def utcnow() -> dt.datetime:
    """The current instant (aware, UTC), moved by ``WUYE_CLOCK_SHIFT_DAYS`` when that is set."""
    return dt.datetime.now(dt.UTC) + SHIFT


def as_utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` as an aware UTC datetime: SQLite hands stored times back naive, and they are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def zone_of(estate) -> ZoneInfo:
    """The estate's time zone (an ``Estate``, a zone name or None); Asia/Shanghai when unknown."""
    name = estate if isinstance(estate, str) else getattr(estate, "timezone", None)
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


class _EstateRef:
    """What the clock needs of an estate given by id: its id and time zone."""

    def __init__(self, id: int, timezone: str | None):
        self.id, self.timezone = id, timezone


# core_estates read by name: the clock sits below the models and must not import them.
_ESTATES = table("core_estates", column("id"), column("timezone"))


def _estate(session, estate):
    """An estate (instance or id) as something with ``id`` and ``timezone``; the id needs a session."""
    if estate is None or not isinstance(estate, int):
        return estate
    if session is None:
        raise TypeError("estate_today(session, estate_id) needs the session to read the estate")
    tz = session.execute(select(_ESTATES.c.timezone).where(_ESTATES.c.id == estate)).scalar()
    return _EstateRef(estate, tz)


def _session_of(session, estate):
    if session is not None or estate is None or isinstance(estate, _EstateRef):
        return session
    return object_session(estate)


def pinned_date(session, estate_id: int | None) -> dt.date | None:
    """The business date pinned on ``session`` for the estate (see :func:`business_date`), if any."""
    pinned = session.info.get(BUSINESS_DATE_KEY) if session is not None else None
    if isinstance(pinned, dict):
        return pinned.get(estate_id, pinned.get(None))
    return pinned


def estate_today(session, estate=None, now: dt.datetime | None = None) -> dt.date:
    """Which day it is at ``estate`` (an ``Estate``, its id, or None for the company's default zone).

    ``now`` asks for the day of that instant instead. Otherwise a business date pinned on the
    session wins over the clock.
    """
    est = _estate(session, estate)
    if now is None:
        day = pinned_date(_session_of(session, est), getattr(est, "id", None))
        if day is not None:
            return day
        now = utcnow()
    return now.astimezone(zone_of(est)).date()


def estate_now(session, estate=None, now: dt.datetime | None = None) -> dt.datetime:
    """``now`` (default the current instant) as a local time at the estate."""
    return (now or utcnow()).astimezone(zone_of(_estate(session, estate)))


def day_bounds(estate, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants where the estate's local ``day`` starts and where the next day starts."""
    tz = zone_of(estate)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


@contextmanager
def business_date(session, day: dt.date, estate=None):
    """Pin the business date for ``session`` (every estate, or only ``estate``) inside the block.

    Everything that asks :func:`estate_today` through this session (postings, due dates, the demo
    builder's year of bills, reports "as of today") sees ``day``; the clock itself is untouched.
    """
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise TypeError("business_date needs a datetime.date")
    previous = session.info.get(BUSINESS_DATE_KEY)
    if estate is None:
        session.info[BUSINESS_DATE_KEY] = day
    else:
        est_id = estate if isinstance(estate, int) else estate.id
        base = dict(previous) if isinstance(previous, dict) else ({None: previous} if previous else {})
        base[est_id] = day
        session.info[BUSINESS_DATE_KEY] = base
    try:
        yield day
    finally:
        if previous is None:
            session.info.pop(BUSINESS_DATE_KEY, None)
        else:
            session.info[BUSINESS_DATE_KEY] = previous
