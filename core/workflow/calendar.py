"""Working-time arithmetic over the business calendar (营业日历): "2 working days", "8 working hours".

:class:`BusinessCalendar` is plain data (working weekdays, the day's working spans, holidays,
make-up working days and the estate's time zone) and its arithmetic is pure: no database, no
clock. :func:`calendar_for` builds one from the rows of :mod:`core.models.calendar` (an estate's
own rows win over the company's), and :func:`add_working_time` is what deadlines use:

* ``minutes``, ``hours``, ``days`` are calendar time (a 24-hour limit runs through the night and
  through the Spring Festival);
* ``working_hours`` (and ``working_minutes``) count only working spans of working days;
* ``working_days`` lands at the same time of day that many working days later (from the next
  working moment when the start is outside working hours).

A day is a working day when it is a make-up working day (调休上班), or when it is not a holiday
and its weekday is worked. The module sits in the workflow layer because deadlines are its first
user; it imports only the models below it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.clock import zone_of
from core.models.calendar import DEFAULT_HOURS, DEFAULT_WEEKDAYS, CalendarDay, DayKind, WorkingSchedule

Span = tuple[dt.time, dt.time]
MAX_SEARCH_DAYS = 3660  # a calendar with no working day in ten years is a configuration error
_SPAN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


def parse_hours(text: str) -> tuple[Span, ...]:
    """``"08:30-12:00 13:30-17:30"`` (spaces or commas between spans) as ordered (start, end) times."""
    spans: list[Span] = []
    for part in re.split(r"[\s,;]+", (text or "").strip()):
        if not part:
            continue
        m = _SPAN.match(part)
        if not m:
            raise ValueError(f"working hours {part!r}: write each span as HH:MM-HH:MM, e.g. 08:30-12:00")
        start = dt.time(int(m[1]), int(m[2]))
        end = dt.time.max if m[3] == "24" else dt.time(int(m[3]), int(m[4]))
        if end <= start:
            raise ValueError(f"working hours {part!r}: a span must end after it starts")
        if spans and start < spans[-1][1]:
            raise ValueError(f"working hours {part!r}: spans must be in order and not overlap")
        spans.append((start, end))
    if not spans:
        raise ValueError("working hours are empty: give at least one span, e.g. 08:30-12:00 13:30-17:30")
    return tuple(spans)


def parse_weekdays(text: str) -> frozenset[int]:
    """``"12345"`` (ISO weekdays, Monday = 1) as a set."""
    text = (text or "").strip()
    if not text or any(c not in "1234567" for c in text):
        raise ValueError(f"working weekdays {text!r}: write the ISO weekday digits, Monday = 1, e.g. 12345")
    return frozenset(int(c) for c in text)


@dataclass(frozen=True)
class BusinessCalendar:
    """When an estate works. The default is Monday to Friday, 08:30-12:00 and 13:30-17:30, Shanghai."""

    zone: dt.tzinfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    weekdays: frozenset[int] = frozenset(range(1, 6))
    hours: tuple[Span, ...] = parse_hours(DEFAULT_HOURS)
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()  # make-up working days (调休上班)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day not in self.holidays and day.isoweekday() in self.weekdays

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day after ``day``."""
        for n in range(1, MAX_SEARCH_DAYS):
            candidate = day + dt.timedelta(days=n)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("the business calendar has no working day in ten years: check its weekdays and holidays")

    def spans_on(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The working spans of ``day`` as aware local datetimes (none on a day off)."""
        if not self.is_working_day(day):
            return []
        out = []
        for start, end in self.hours:
            local_end = (dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=self.zone)
                         if end == dt.time.max else dt.datetime.combine(day, end, tzinfo=self.zone))
            out.append((dt.datetime.combine(day, start, tzinfo=self.zone), local_end))
        return out

    def _spans_from(self, moment: dt.datetime):
        """Working spans that end after ``moment`` (local), in order, for as long as asked."""
        day = moment.date()
        for _ in range(MAX_SEARCH_DAYS):
            for start, end in self.spans_on(day):
                if end > moment:
                    yield start, end
            day += dt.timedelta(days=1)
        raise ValueError("the business calendar has no working time in ten years: check its weekdays and hours")

    def next_working_moment(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` if it falls within working hours, else when work next starts (local time)."""
        local = moment.astimezone(self.zone)
        start, _end = next(self._spans_from(local))
        return max(start, local)

    def add_working(self, start: dt.datetime, delta: dt.timedelta) -> dt.datetime:
        """``start`` plus ``delta`` of working time (local aware result)."""
        local = start.astimezone(self.zone)
        if delta <= dt.timedelta(0):
            return local
        remaining = delta
        for span_start, span_end in self._spans_from(local):
            begin = max(span_start, local)
            available = span_end - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        raise AssertionError("unreachable")  # _spans_from raises first

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The same local time of day, ``days`` working days after the next working moment."""
        moment = self.next_working_moment(start)
        day = moment.date()
        for _ in range(days):
            day = self.next_working_day(day)
        return dt.datetime.combine(day, moment.timetz().replace(tzinfo=None), tzinfo=self.zone)

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """How much working time lies between two instants (zero when ``end`` is not after ``start``)."""
        local, stop = start.astimezone(self.zone), end.astimezone(self.zone)
        total = dt.timedelta(0)
        if stop <= local:
            return total
        for span_start, span_end in self._spans_from(local):
            if span_start >= stop:
                break
            total += min(span_end, stop) - max(span_start, local)
        return total


DEFAULT_CALENDAR = BusinessCalendar()


def add_working_time(start: dt.datetime, *, minutes: float = 0, hours: float = 0, days: int = 0,
                     working_minutes: float = 0, working_hours: float = 0, working_days: int = 0,
                     calendar: BusinessCalendar | None = None) -> dt.datetime:
    """``start`` (aware) moved by calendar time, then working days, then working time; returned in UTC.

    ``minutes``/``hours``/``days`` are calendar time, holidays included; ``working_days`` and
    ``working_hours``/``working_minutes`` skip nights, weekends and holidays of ``calendar``
    (default: :data:`DEFAULT_CALENDAR`, Monday to Friday office hours without holidays).
    """
    if start.tzinfo is None:
        raise ValueError("add_working_time needs an aware datetime (core.clock.utcnow() gives one)")
    cal = calendar or DEFAULT_CALENDAR
    moment = start + dt.timedelta(minutes=minutes, hours=hours, days=days)
    if working_days:
        moment = cal.add_working_days(moment, working_days)
    if working_minutes or working_hours:
        moment = cal.add_working(moment, dt.timedelta(minutes=working_minutes, hours=working_hours))
    return moment.astimezone(dt.UTC)


# -- loading a calendar from the rows --------------------------------------------------------------

def calendar_for(session, estate_id: int | None) -> BusinessCalendar:
    """The business calendar of an estate (None: the company's): its own schedule and days, where it
    has them, over the company's. Reads through the session's connection, so it also works while
    the session is flushing (deadlines opened at insert)."""
    conn = session.connection()
    sched = WorkingSchedule.__table__
    owners = [None] if estate_id is None else [None, estate_id]
    rows = conn.execute(select(sched.c.estate_id, sched.c.weekdays, sched.c.hours)
                        .where(sched.c.estate_id.is_(None) | (sched.c.estate_id == estate_id))
                        .order_by(sched.c.id)).all()
    chosen = {}
    for owner, weekdays, hours in rows:
        chosen.setdefault(owner, (weekdays, hours))  # the first row of each owner
    weekdays, hours = chosen.get(estate_id) or chosen.get(None) or (DEFAULT_WEEKDAYS, DEFAULT_HOURS)
    days = CalendarDay.__table__
    kinds: dict[dt.date, str] = {}
    for owner in owners:  # company first, then the estate's own rows override day by day
        where = days.c.estate_id.is_(None) if owner is None else days.c.estate_id == owner
        for day, kind in conn.execute(select(days.c.day, days.c.kind).where(where).order_by(days.c.id)):
            kinds[day] = kind.value if isinstance(kind, DayKind) else kind
    zone_name = None
    if estate_id is not None:
        from core.models import Estate

        zone_name = conn.execute(select(Estate.__table__.c.timezone).where(Estate.__table__.c.id == estate_id)).scalar()
    return BusinessCalendar(
        zone=zone_of(zone_name), weekdays=parse_weekdays(weekdays), hours=parse_hours(hours),
        holidays=frozenset(d for d, k in kinds.items() if k == DayKind.holiday.value),
        workdays=frozenset(d for d, k in kinds.items() if k == DayKind.workday.value))
