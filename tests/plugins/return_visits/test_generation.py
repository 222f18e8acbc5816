"""Generating visits from the rules: the share is deterministic, reruns make no duplicates, and the
visit is due a working day after the record closed on the estate's business calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core import ValidationError
from core.models import CalendarDay, DayKind
from plugins.return_visits import services
from plugins.return_visits.models import ReturnVisit, VisitRule, VisitStatus

from .conftest import SOURCE, UTC

FRI_3PM = dt.datetime(2026, 3, 6, 7, 0, tzinfo=UTC)  # Friday 15:00 in Shanghai


def _count(session) -> int:
    return session.scalar(select(func.count(ReturnVisit.id)).where(ReturnVisit.source == SOURCE))


def test_every_record_in_a_full_rule_gets_one_visit_and_a_rerun_adds_none(seeded, source, rule, estate):
    for i in range(1, 6):
        source.close(i, estate, FRI_3PM - dt.timedelta(hours=i))
    now = FRI_3PM + dt.timedelta(hours=1)
    assert services.generate(seeded, now, lookback_days=7)["created"] == 5
    assert services.generate(seeded, now, lookback_days=7)["created"] == 0
    assert _count(seeded) == 5
    visit = seeded.scalar(select(ReturnVisit).where(ReturnVisit.record_id == 1))
    assert visit.number.startswith("HF-2026-") and visit.status == VisitStatus.scheduled
    assert visit.record_table == "rvtest_jobs" and visit.phone == "13900000000" and visit.summary == "维修 1"


def test_a_share_picks_the_same_records_on_every_run(seeded, source, rule, estate):
    rule.share_percent = 50
    for i in range(1, 41):
        source.close(i, estate, FRI_3PM)
    now = FRI_3PM + dt.timedelta(hours=1)
    expected = {i for i in range(1, 41) if services.chosen(SOURCE, i, 50)}
    assert 5 < len(expected) < 35  # a share, not all or nothing
    services.generate(seeded, now, lookback_days=7)
    services.generate(seeded, now + dt.timedelta(hours=1), lookback_days=7)
    got = set(seeded.scalars(select(ReturnVisit.record_id).where(ReturnVisit.source == SOURCE)))
    assert got == expected
    assert services.chosen(SOURCE, 7, 0) is False and services.chosen(SOURCE, 7, 100) is True


def test_records_closed_before_the_lookback_or_without_a_rule_get_none(seeded, source, rule, estate, other_estate):
    source.close(1, estate, FRI_3PM - dt.timedelta(days=8))  # older than the 7 days looked at
    source.close(2, other_estate, FRI_3PM)  # the other estate has no rule
    assert services.generate(seeded, FRI_3PM + dt.timedelta(hours=1), lookback_days=7)["created"] == 0


def test_a_company_rule_applies_where_the_estate_has_none(seeded, source, rule, other_estate):
    from core.models import Role, StaffUser

    gm = StaffUser(username="rv_gm", roles=[seeded.scalar(select(Role).where(Role.name == "general_manager"))])
    seeded.add(gm)
    seeded.flush()
    services.create_rule(seeded, gm, source=SOURCE, estate_id=None, share_percent=100, within_working_days=2)
    source.close(3, other_estate, FRI_3PM)
    services.generate(seeded, FRI_3PM + dt.timedelta(hours=1), lookback_days=7)
    visit = seeded.scalar(select(ReturnVisit).where(ReturnVisit.record_id == 3))
    assert visit.estate_id == other_estate.id
    assert visit.due_at == dt.datetime(2026, 3, 10, 7, 0, tzinfo=UTC)  # Fri 15:00 + 2 working days: Tue 15:00


def test_due_one_working_day_after_closing_across_the_weekend(seeded, source, rule, estate):
    source.close(1, estate, FRI_3PM)
    services.generate(seeded, FRI_3PM + dt.timedelta(hours=1), lookback_days=7)
    visit = seeded.scalar(select(ReturnVisit).where(ReturnVisit.record_id == 1))
    assert visit.due_at == dt.datetime(2026, 3, 9, 7, 0, tzinfo=UTC)  # Monday 15:00 Shanghai


def test_due_date_skips_a_holiday_of_the_estate(seeded, source, rule, estate):
    seeded.add(CalendarDay(estate_id=estate.id, day=dt.date(2026, 3, 9), kind=DayKind.holiday, name="测试假日"))
    seeded.flush()
    source.close(1, estate, FRI_3PM)
    services.generate(seeded, FRI_3PM + dt.timedelta(hours=1), lookback_days=7)
    visit = seeded.scalar(select(ReturnVisit).where(ReturnVisit.record_id == 1))
    assert visit.due_at == dt.datetime(2026, 3, 10, 7, 0, tzinfo=UTC)  # Monday off: Tuesday 15:00


@pytest.mark.parametrize(("kw", "field"), [({"share_percent": 101}, "share_percent"),
                                           ({"within_working_days": -1}, "within_working_days"),
                                           ({"source": ""}, "source")])
def test_a_bad_rule_is_refused_naming_the_field(seeded, supervisor, estate, kw, field):
    args = {"source": "repairs.order", "estate_id": estate.id} | kw
    before = seeded.scalar(select(func.count(VisitRule.id)))
    with pytest.raises(ValidationError) as err:
        services.create_rule(seeded, supervisor, **args)
    assert field in err.value.errors
    assert seeded.scalar(select(func.count(VisitRule.id))) == before


def test_a_second_rule_for_the_same_source_and_estate_is_refused(seeded, supervisor, estate, rule):
    with pytest.raises(ValidationError) as err:
        services.create_rule(seeded, supervisor, source=SOURCE, estate_id=estate.id)
    assert "source" in err.value.errors


def test_estate_staff_cannot_make_a_company_rule(seeded, supervisor):
    with pytest.raises(ValidationError) as err:
        services.create_rule(seeded, supervisor, source="repairs.order", estate_id=None)
    assert "estate_id" in err.value.errors


def test_the_job_runs_as_the_system(seeded, source, rule, estate):
    from plugins.return_visits.jobs import generate

    source.close(9, estate, FRI_3PM)
    assert generate(seeded, FRI_3PM + dt.timedelta(hours=2))["created"] == 1


def test_the_in_tree_sources_are_offered(seeded, wuye):
    found = services.sources(wuye)
    assert {"repairs.order", "complaints.complaint", "convenience.order"} <= set(found)
    assert found["convenience.order"]["record_table"] == "convenience_orders"
    assert "reopen" not in found["convenience.order"] and callable(found["complaints.complaint"]["reopen"])
    since = dt.datetime(2026, 3, 1, tzinfo=UTC)
    assert found["convenience.order"]["closed_between"](seeded, since, since + dt.timedelta(days=1)) == []
