"""Finished move-ins are a source of return visits (回访, a customer-care visit within a week of
moving in): ``wuye_return_visit_sources`` lists ``done`` cases; a visit is generated for them by a
rule, once; deemed or unfinished cases are not visited."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core import as_system, business_date
from plugins.move_in import visits

DONE_AT = dt.datetime(2026, 3, 10, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def done_case(mi):
    with business_date(mi.session, mi.day):
        case = mi.to_state(mi.notice(), "complete")
        other = mi.to_state(mi.notice(mi.units[1]), "sign")  # not finished: no visit
    case.done_at = DONE_AT  # pinned: the visit window is counted from it
    other.done_at = DONE_AT
    mi.session.flush()
    return case


def test_done_cases_in_the_window_are_listed(mi, done_case):
    rows = visits.closed_between(mi.session, DONE_AT - dt.timedelta(days=1), DONE_AT + dt.timedelta(hours=1))
    assert [r["record_id"] for r in rows] == [done_case.id]
    [row] = rows
    assert row["party_id"] == mi.owner.id and row["phone"] == "13900000011" and row["unit_id"] == mi.units[0].id
    assert row["summary"].startswith(done_case.number) and "入伙办结" in row["summary"]
    assert visits.closed_between(mi.session, DONE_AT + dt.timedelta(seconds=1), DONE_AT + dt.timedelta(days=1)) == []


def test_return_visits_generates_one_visit_per_finished_move_in(mi, wuye, done_case):
    if not wuye.is_enabled("return_visits"):
        pytest.skip("the return_visits plugin is not enabled (WUYE_TEST_PLUGINS)")
    from plugins.return_visits import services as rv
    from plugins.return_visits.models import ReturnVisit

    s = mi.session
    assert rv.sources(wuye)[visits.SOURCE]["label_zh"] == "入伙"
    with as_system(s):
        rv.create_rule(s, None, source=visits.SOURCE, estate_id=mi.a.id, within_working_days=5)
    now = DONE_AT + dt.timedelta(hours=2)
    assert rv.generate(s, now, wuye=wuye, lookback_days=7)["created"] == 1
    assert rv.generate(s, now, wuye=wuye, lookback_days=7)["created"] == 0
    visit = s.scalar(select(ReturnVisit).where(ReturnVisit.source == visits.SOURCE))
    assert visit.record_id == done_case.id and visit.record_table == "move_in_cases" and visit.party_id == mi.owner.id
