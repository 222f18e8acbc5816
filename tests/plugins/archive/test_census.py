"""The household census (住户普查): rounds, checks, progress and the reminder job (``census.py``, ``jobs.py``)."""

from __future__ import annotations

import datetime as dt

import pytest

from core import Conflict, PermissionDenied, ValidationError
from plugins.archive import census, jobs
from tests.plugins.archive.conftest import DAY


def test_a_round_has_a_line_per_unit_and_one_per_period(session, estate, units, specialist):
    rnd = census.open_round(session, specialist, estate, today=DAY)
    assert rnd.period == f"{DAY.year}-Q1" and rnd.due_on == DAY + dt.timedelta(days=30)
    assert sorted(e.unit_id for e in rnd.entries) == [u.id for u in units]
    assert census.progress(session, rnd) == {"pending": 3, "confirmed": 0, "changed": 0, "unreachable": 0}
    with pytest.raises(Conflict):
        census.open_round(session, specialist, estate, today=DAY + dt.timedelta(days=5))
    assert census.open_round(session, specialist, estate, today=dt.date(DAY.year, 4, 1)).period == f"{DAY.year}-Q2"


def test_checks_record_the_result_and_a_change_needs_notes(session, estate, specialist, guard):
    rnd = census.open_round(session, specialist, estate, today=DAY)
    first, second, third = rnd.entries
    with pytest.raises(ValidationError) as err:
        census.record_check(session, specialist, first, "changed")
    assert "notes" in err.value.errors
    with pytest.raises(ValidationError):
        census.record_check(session, specialist, first, "pending")
    with pytest.raises(PermissionDenied):
        census.record_check(session, guard, first, "confirmed")
    census.record_check(session, specialist, first, "changed", "新增租户 张三，电话 139...")
    census.record_check(session, specialist, second, "unreachable")
    assert first.checked_by_id == specialist.id and first.notes.startswith("新增租户")
    assert census.progress(session, rnd) == {"pending": 1, "confirmed": 0, "changed": 1, "unreachable": 1}
    census.close_round(session, specialist, rnd)
    with pytest.raises(Conflict):
        census.record_check(session, specialist, third, "confirmed")


def test_other_estates_staff_cannot_open_a_round(session, estate, stranger):
    with pytest.raises(PermissionDenied):
        census.open_round(session, stranger, estate, today=DAY)


def test_the_job_reminds_of_rounds_past_due_once_a_day_and_of_periods_not_started(session, estate, other_estate,
                                                                                 specialist):
    rnd = census.open_round(session, specialist, estate, today=DAY)
    census.record_check(session, specialist, rnd.entries[0], "confirmed")
    before_due = dt.datetime.combine(DAY + dt.timedelta(days=10), dt.time(2), tzinfo=dt.UTC)
    found = census.due_reminders(session, (before_due + dt.timedelta(hours=8)).date())
    kinds = {(r["estate_id"], r["kind"]) for r in found}
    assert (estate.id, "overdue") not in kinds and (other_estate.id, "due") in kinds and (estate.id, "due") not in kinds
    after_due = dt.datetime.combine(rnd.due_on + dt.timedelta(days=1), dt.time(2), tzinfo=dt.UTC)
    found = census.due_reminders(session, rnd.due_on + dt.timedelta(days=1))
    overdue = [r for r in found if r["kind"] == "overdue"]
    assert [(r["estate_id"], r["pending"]) for r in overdue] == [(estate.id, 2)]
    first = jobs.census_reminder(session, after_due)
    assert first["reminders"] >= 2 and rnd.reminded_on == rnd.due_on + dt.timedelta(days=1)
    again = jobs.census_reminder(session, after_due + dt.timedelta(hours=1))
    assert again["reminders"] == first["reminders"] - 1  # the round was reminded today already
