"""Renovation time limits on the estate's business calendar (营业日历): the workflow's review,
acceptance and refund limits in working days, paused while the owner rectifies, the rectification
deadline (整改期限) in working days, and no works on public holidays.

The calendar is China's 2026 schedule shipped with the core (Spring Festival 15-23 February, make-up
working Saturdays 14 and 28 February; National Day 1-7 October, make-up Saturday 10 October). Every
instant is passed in, so nothing depends on the wall clock.
"""

from __future__ import annotations

import datetime as dt

import pytest

from core import business_date, get_workflow
from core.cli.calendar import DATA_FILE, import_calendar, parse_calendar
from core.errors import PluginError
from core.testing import boot
from core.workflow import overdue
from core.workflow.calendar import add_working_time, calendar_for
from core.workflow.deadlines import on_transition, open_deadline
from plugins.renovation import services
from plugins.renovation.dashboards import inbox_items
from plugins.renovation.jobs import run_manager_inspections
from plugins.renovation.settings import DEFAULTS, Settings
from plugins.renovation.site import technical_findings
from plugins.renovation.timelimits import rectification_deadline, working_days_after
from plugins.renovation.workflows import LIMITS, WAITING_FOR_OWNER
from tests.plugins.renovation.conftest import SH, at_local

WORKFLOW = "renovation.application"


@pytest.fixture(scope="module")
def china_rows():
    return parse_calendar(DATA_FILE.read_text(encoding="utf-8"), source=str(DATA_FILE))


@pytest.fixture
def china(reno, china_rows):
    """The renovation world with the 2026 official schedule imported as the company's calendar."""
    import_calendar(reno.session, china_rows)
    return reno


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(SH)


def step(reno, app, name: str, moment: dt.datetime):
    """Take the deadline side of transition ``name`` at ``moment`` (the clock of the engine is real time)."""
    wf = get_workflow(reno.session, WORKFLOW)
    row = on_transition(reno.session, wf, app, wf.transition(name), moment.astimezone(dt.UTC))
    reno.session.flush()
    return row


# -- the workflow's limits ------------------------------------------------------------------------

def test_staff_steps_have_working_day_limits_and_owner_waits_pause_them(reno):
    wf = get_workflow(reno.session, WORKFLOW)
    limited = {s.name: s.deadline for s in wf.states if s.deadline is not None}
    assert limited == LIMITS and all(d.working_days and not d.delta for d in limited.values())
    assert {s.name for s in wf.states if s.pauses_deadline} == set(WAITING_FOR_OWNER) == {"revision_requested",
                                                                                          "rectification"}
    # the steps that wait for the owner (sign, pay, do the works) run no staff clock
    assert not {"approved", "agreement_signed", "permit_issued", "in_progress", "suspended"} & set(limited)


def test_a_new_application_must_be_taken_in_within_one_working_day(reno):
    s = reno.session
    app = reno.apply()
    row = open_deadline(s, app)
    assert (row.state, row.working_time, row.escalate_to) == ("submitted", True, "cs_supervisor")
    assert row.due_at == add_working_time(row.started_at, working_days=1, calendar=calendar_for(s, app.estate_id))
    reno.step(app, "receive", "cs_specialist")
    row = open_deadline(s, app)
    assert (row.state, row.escalate_to) == ("cs_review", "cs_supervisor")
    reno.drive(app, "approved")
    assert open_deadline(s, app) is None  # the owner signs and pays in their own time
    reno.drive(app, "fees_paid")
    assert open_deadline(s, app).state == "fees_paid"


def test_a_review_started_the_friday_before_the_spring_festival_is_due_after_it(china):
    app = china.apply()
    friday = dt.datetime(2026, 2, 13, 16, tzinfo=SH)
    # 初审, 2 working days: Saturday 14 is a make-up working day, 15-23 is the holiday: Tuesday 24.
    row = step(china, app, "receive", friday)
    assert row.state == "cs_review" and local(row.due_at) == dt.datetime(2026, 2, 24, 16, tzinfo=SH)
    # 二审, 3 working days from the same Friday: Saturday 14, Tuesday 24, Wednesday 25.
    row = step(china, app, "pass_cs_review", friday)
    assert row.escalate_to == "chief_engineer" and local(row.due_at) == dt.datetime(2026, 2, 25, 16, tzinfo=SH)
    # nothing is overdue during the holiday, and it is on the Wednesday afternoon
    assert row not in overdue(china.session, now=dt.datetime(2026, 2, 23, 23, tzinfo=SH), workflow=WORKFLOW)
    assert row in overdue(china.session, now=dt.datetime(2026, 2, 25, 16, tzinfo=SH), workflow=WORKFLOW)


def test_acceptance_pauses_while_the_owner_rectifies_and_resumes_with_the_time_left(china):
    app = china.apply()
    row = step(china, app, "begin_acceptance", dt.datetime(2026, 2, 13, 10, tzinfo=SH))
    # 2 working days: Saturday 14 (make-up day), then Tuesday 24 after the holiday
    assert row.state == "acceptance" and local(row.due_at) == dt.datetime(2026, 2, 24, 10, tzinfo=SH)
    # Saturday 14 at 10:00 the inspectors require rectification; 7.5 working hours are left
    # (Saturday 10:00-12:00 and 13:30-17:30, Tuesday 08:30-10:00)
    assert step(china, app, "require_rectification", dt.datetime(2026, 2, 14, 10, tzinfo=SH)) is row
    assert row.paused_at is not None
    assert row not in overdue(china.session, now=dt.datetime(2026, 3, 31, tzinfo=SH), workflow=WORKFLOW)
    # The owner reports back on Thursday 26 at 09:00: the inspectors get their 7.5 hours back,
    # Thursday 09:00-12:00 and 13:30-17:30 (7 h), then Friday 08:30-09:00.
    assert step(china, app, "report_rectified", dt.datetime(2026, 2, 26, 9, tzinfo=SH)) is row
    assert row.paused_at is None and row.closed_at is None
    assert row.paused_seconds == int(21.5 * 3600)  # Sat 6 h, Tue 7.5 h, Wed 7.5 h, Thu 0.5 h
    assert local(row.due_at) == dt.datetime(2026, 2, 27, 9, tzinfo=SH)


def test_a_revision_by_the_owner_pauses_the_engineering_review_and_resubmitting_restarts_the_first(china):
    app = china.apply()
    row = step(china, app, "pass_cs_review", dt.datetime(2026, 3, 2, 9, tzinfo=SH))
    assert step(china, app, "request_revision", dt.datetime(2026, 3, 3, 9, tzinfo=SH)) is row
    assert row.paused_at is not None
    fresh = step(china, app, "resubmit", dt.datetime(2026, 3, 20, 9, tzinfo=SH))
    china.session.refresh(row)
    assert row.closed_at is not None and fresh.state == "cs_review"
    assert local(fresh.due_at) == dt.datetime(2026, 3, 24, 9, tzinfo=SH)  # Friday 20 + 2 working days


# -- the rectification deadline (整改期限) ------------------------------------------------------

def test_the_rectification_deadline_counts_working_days_and_skips_the_holiday(china):
    s = china.session
    app = china.drive(china.apply(), "in_progress")
    with business_date(s, dt.date(2026, 2, 13)):  # the Friday before the Spring Festival
        v = services.record_violation(s, china.actors["engineer"], app, code="T03", description="打孔")
    # 3 working days: Saturday 14 (make-up day), Tuesday 24, Wednesday 25
    assert v.deadline == dt.date(2026, 2, 25)
    with business_date(s, dt.date(2026, 9, 30)):  # before National Day: 8, 9 and the make-up Saturday 10
        v = services.record_violation(s, china.actors["engineer"], app, code="T03")
    assert v.deadline == dt.date(2026, 10, 10)
    with business_date(s, dt.date(2026, 2, 13)):  # a date the inspector gives is kept
        v = services.record_violation(s, china.actors["engineer"], app, code="T03", deadline=dt.date(2026, 2, 16))
    assert v.deadline == dt.date(2026, 2, 16)


def test_without_holidays_the_deadline_is_three_weekdays_later(reno):
    app = reno.drive(reno.apply(), "in_progress")
    with business_date(reno.session, dt.date(2026, 2, 13)):
        v = services.record_violation(reno.session, reno.actors["engineer"], app, code="T03")
    assert v.deadline == dt.date(2026, 2, 18)  # Monday 16, Tuesday 17, Wednesday 18


def test_the_old_setting_name_is_read_as_working_days(china):
    cal = calendar_for(china.session, china.estate.id)
    assert working_days_after(cal, dt.date(2026, 2, 13), 0) == dt.date(2026, 2, 13)
    old = Settings().load({"violation_deadline_days": 1})
    assert "violation_deadline_days" not in old and old["violation_deadline_working_days"] == 1
    assert rectification_deadline(china.session, china.estate.id, dt.date(2026, 2, 13), old) == dt.date(2026, 2, 14)
    assert rectification_deadline(china.session, china.estate.id, dt.date(2026, 2, 13),
                                  {"violation_deadline_working_days": 2}) == dt.date(2026, 2, 24)


def test_settings_refuse_conflicting_deadline_keys_and_unknown_work_days():
    assert DEFAULTS["violation_deadline_working_days"] == 3 and DEFAULTS["work_days"] == "no_holidays"
    wuye = boot(["billing", "renovation"], plugin_settings={"renovation": {"violation_deadline_days": 5}})
    assert wuye.settings("renovation")["violation_deadline_working_days"] == 5
    with pytest.raises(PluginError) as err:
        boot(["billing", "renovation"], plugin_settings={"renovation": {
            "violation_deadline_days": 5, "violation_deadline_working_days": 4}})
    assert "keep only violation_deadline_working_days" in str(err.value)
    with pytest.raises(PluginError) as err:
        boot(["billing", "renovation"], plugin_settings={"renovation": {"work_days": "weekdays"}})
    assert "'work_days'" in str(err.value) and "no_holidays" in str(err.value)


# -- no works on public holidays --------------------------------------------------------------------

def test_works_on_a_public_holiday_are_outside_the_permitted_hours(china):
    cal = calendar_for(china.session, china.estate.id)

    def codes(day, rule="no_holidays"):
        settings = dict(DEFAULTS, work_days=rule)
        return [f["code"] for f in technical_findings(settings, china.estate, at_local(day, 10), works_observed=True,
                                                      calendar=cal)]

    national_day, make_up, saturday = dt.date(2026, 10, 1), dt.date(2026, 10, 10), dt.date(2026, 10, 17)
    assert codes(national_day) == ["T04"] and codes(national_day, "every_day") == []
    assert codes(saturday) == [] and codes(saturday, "working_days") == ["T04"]
    assert codes(make_up, "working_days") == [] and codes(dt.date(2026, 10, 12)) == []


def test_a_patrol_on_national_day_records_the_holiday_works(china):
    app = china.drive(china.apply(), "in_progress")
    insp = services.record_inspection(china.session, china.actors["engineer"], app, kind="engineering",
                                      at=at_local(dt.date(2026, 10, 2), 10), works_observed=True)
    assert [f["code"] for f in insp.findings] == ["T04"] and "2026-10-02" in insp.findings[0]["note"]


def test_violations_past_their_rectification_deadline_are_in_the_inspectors_inbox(china, make_estate, make_actor):
    s = china.session
    app = china.drive(china.apply(), "in_progress")
    with business_date(s, dt.date(2026, 2, 13)):
        v = services.record_violation(s, china.actors["engineer"], app, code="T03")
    engineer = china.actors["engineer"]
    assert inbox_items(s, engineer, dt.date(2026, 2, 25)) == []  # due that day: not yet late
    [item] = inbox_items(s, engineer, dt.date(2026, 2, 26))
    assert (item.kind, item.due_on, item.overdue, item.estate_id) == ("renovation.rectification_overdue",
                                                                      dt.date(2026, 2, 25), True, china.estate.id)
    assert v.number in item.label and str(v.id) in item.url
    stranger = make_actor("engineer", estates=[make_estate("RX", units=1)])
    assert inbox_items(s, stranger, dt.date(2026, 2, 26)) == []  # another estate's engineer
    assert inbox_items(s, china.actors["cashier"], dt.date(2026, 2, 26)) == []  # no renovation.inspect
    services.violation_transition(s, engineer, v, "verify")
    assert inbox_items(s, engineer, dt.date(2026, 2, 26)) == []


def test_no_manager_patrols_are_required_on_a_public_holiday(china):
    s = china.session
    app = china.drive(china.apply(), "in_progress")
    app.started_at = at_local(dt.date(2026, 9, 28), 9)
    now = at_local(dt.date(2026, 10, 20), 0, 5)
    assert run_manager_inspections(s, now, day=dt.date(2026, 10, 1))["flagged"] == 0  # National Day: no works
    assert run_manager_inspections(s, now, day=dt.date(2026, 10, 9))["applications"] == [
        f"{china.estate.code} {app.number}"]  # a working Friday without the two patrols
    assert run_manager_inspections(s, now, day=dt.date(2026, 10, 11))["flagged"] == 1  # a Sunday: works allowed
