"""The business calendar (营业日历) and working-time deadlines: "2 working days" across the 2026 Spring
Festival and its make-up working days, working hours across lunch and the night, per-estate
overrides, pause/resume while a record waits for the owner, and the ``wuye calendar`` import.

Every instant is passed in (2026 dates), so the suite also passes with WUYE_CLOCK_SHIFT_DAYS.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from core.cli.calendar import DATA_FILE, calendar_rows, import_calendar, parse_calendar
from core.errors import ValidationError
from core.models import CalendarDay, DayKind, WorkingSchedule
from core.workflow import Deadline, State, Transition, Workflow, overdue
from core.workflow.calendar import BusinessCalendar, add_working_time, calendar_for, parse_hours
from core.workflow.deadlines import on_transition, open_at_insert, open_deadline
from tests.core.web.conftest import client_as, world  # noqa: F401
from tests.core.workflow_fixture_plugin import WfTicket, wf_fixture, wf_instance_fixture, wf_tables_fixture  # noqa: F401

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=0, mm=0, zone=SH) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=zone)


def local(moment: dt.datetime, zone=SH) -> dt.datetime:
    return moment.astimezone(zone)


@pytest.fixture(scope="module")
def china_rows():
    return parse_calendar(DATA_FILE.read_text(encoding="utf-8"), source=str(DATA_FILE))


@pytest.fixture(scope="module")
def china(china_rows) -> BusinessCalendar:
    """The shipped 2026 schedule on the default working week (Mon-Fri, 08:30-12:00, 13:30-17:30)."""
    return BusinessCalendar(holidays=frozenset(r.day for r in china_rows if r.kind == "holiday"),
                            workdays=frozenset(r.day for r in china_rows if r.kind == "workday"))


# -- the data file ---------------------------------------------------------------------------------

def test_the_shipped_2026_schedule_has_the_spring_festival_and_its_make_up_days(china_rows, china):
    text = DATA_FILE.read_text(encoding="utf-8")
    assert "State Council" in text and "PROVISIONAL" in text  # the company is told to check it yearly
    spring = [r.day for r in china_rows if r.name.startswith("春节 ") and r.day.year == 2026]
    assert spring == [dt.date(2026, 2, 15) + dt.timedelta(days=n) for n in range(9)]  # Feb 15-23
    assert china.is_working_day(dt.date(2026, 2, 14)) and china.is_working_day(dt.date(2026, 2, 28))  # Saturdays
    assert not china.is_working_day(dt.date(2026, 2, 17))  # 春节, a Tuesday
    assert not china.is_working_day(dt.date(2026, 10, 7)) and china.is_working_day(dt.date(2026, 10, 10))
    assert not china.is_working_day(dt.date(2026, 3, 7))  # an ordinary Saturday


# -- arithmetic --------------------------------------------------------------------------------------

def test_two_working_days_skip_the_spring_festival_but_count_the_make_up_saturday(china):
    friday = at(2026, 2, 13, 16)
    # Sat Feb 14 is worked (调休上班), Feb 15-23 are off: the second working day is Tue Feb 24.
    assert local(add_working_time(friday, working_days=1, calendar=china)) == at(2026, 2, 14, 16)
    assert local(add_working_time(friday, working_days=2, calendar=china)) == at(2026, 2, 24, 16)
    # The make-up Saturday after the holiday counts too.
    assert local(add_working_time(at(2026, 2, 27, 10), working_days=1, calendar=china)) == at(2026, 2, 28, 10)


def test_working_hours_run_through_the_make_up_day_and_stop_for_the_holiday(china):
    # Fri 16:00-17:30 (1.5 h), Sat Feb 14 08:30-12:00 (3.5 h) and 13:30-16:30 (3 h) = 8 h
    assert local(add_working_time(at(2026, 2, 13, 16), working_hours=8, calendar=china)) == at(2026, 2, 14, 16, 30)
    # 9 h from Sat Feb 14 09:00: 7 h that day, then nothing until Tue Feb 24 08:30
    assert local(add_working_time(at(2026, 2, 14, 9), working_hours=9, calendar=china)) == at(2026, 2, 24, 10, 30)


def test_working_hours_skip_lunch_and_the_night():
    monday = at(2026, 3, 2, 11)
    assert local(add_working_time(monday, working_hours=2)) == at(2026, 3, 2, 14, 30)  # 12:00-13:30 is lunch
    assert local(add_working_time(at(2026, 3, 2, 17), working_hours=1)) == at(2026, 3, 3, 9)  # evening, night
    assert local(add_working_time(at(2026, 3, 2, 12, 30), working_minutes=30)) == at(2026, 3, 2, 14)
    assert local(add_working_time(at(2026, 3, 6, 17), working_hours=1)) == at(2026, 3, 9, 9)  # Friday -> Monday


def test_working_days_start_from_the_next_working_moment():
    assert local(add_working_time(at(2026, 3, 7, 10), working_days=1)) == at(2026, 3, 10, 8, 30)  # Sat -> Mon -> Tue
    assert local(add_working_time(at(2026, 3, 2, 20), working_days=2)) == at(2026, 3, 5, 8, 30)  # after closing
    assert local(add_working_time(at(2026, 3, 2, 12, 15), working_days=1)) == at(2026, 3, 3, 13, 30)  # at lunch


def test_calendar_minutes_hours_and_days_ignore_holidays(china):
    eve = at(2026, 2, 16, 20)  # 除夕 evening, a holiday
    assert local(add_working_time(eve, minutes=3, calendar=china)) == at(2026, 2, 16, 20, 3)
    assert local(add_working_time(eve, hours=24, calendar=china)) == at(2026, 2, 17, 20)
    assert local(add_working_time(eve, days=7, calendar=china)) == at(2026, 2, 23, 20)  # "1 week"


def test_working_time_is_counted_in_the_estates_time_zone():
    urumqi = ZoneInfo("Asia/Urumqi")  # UTC+6: its 08:30 is Shanghai's 10:30
    cal = BusinessCalendar(zone=urumqi)
    due = add_working_time(at(2026, 3, 2, 7, zone=urumqi), working_hours=1, calendar=cal)
    assert due.tzinfo == dt.UTC and local(due, urumqi) == at(2026, 3, 2, 9, 30, zone=urumqi)


def test_working_time_between_counts_only_working_spans(china):
    assert china.working_time_between(at(2026, 2, 13, 17), at(2026, 2, 24, 9, 30)) == dt.timedelta(hours=9)
    assert china.working_time_between(at(2026, 2, 16, 9), at(2026, 2, 17, 9)) == dt.timedelta(0)
    assert china.working_time_between(at(2026, 3, 2, 9), at(2026, 3, 2, 8)) == dt.timedelta(0)


def test_bad_working_hours_and_mixed_deadlines_are_refused():
    assert parse_hours("08:30-12:00, 13:30-17:30") == ((dt.time(8, 30), dt.time(12)), (dt.time(13, 30), dt.time(17, 30)))
    for bad in ("8:30-12:00", "13:00-12:00", "08:00-12:00 11:00-13:00", ""):
        with pytest.raises(ValueError):
            parse_hours(bad)
    with pytest.raises(ValueError, match="not both"):
        Deadline(hours=4, working_days=1)
    with pytest.raises(ValueError, match="cannot carry"):
        State("waiting", "Waiting", pauses_deadline=True, deadline=Deadline(days=1))
    assert Deadline(working_days=2).working and not Deadline(days=7).working
    assert Deadline(days=7).delta == dt.timedelta(weeks=1)
    with pytest.raises(ValueError, match="aware"):
        add_working_time(dt.datetime(2026, 3, 2, 9), working_hours=1)


# -- calendars from the database ----------------------------------------------------------------------

def test_an_estates_own_days_and_hours_beat_the_company_default(session, make_estate, china_rows):
    a, b = make_estate("CALA"), make_estate("CALB")
    import_calendar(session, china_rows)
    session.add_all([CalendarDay(estate_id=a.id, day=dt.date(2026, 10, 5), kind=DayKind.workday, name="值班"),
                     WorkingSchedule(estate_id=a.id, weekdays="123456", hours="09:00-18:00")])
    session.flush()
    cal_a, cal_b, company = calendar_for(session, a.id), calendar_for(session, b.id), calendar_for(session, None)
    assert cal_a.is_working_day(dt.date(2026, 10, 5)) and not cal_b.is_working_day(dt.date(2026, 10, 5))
    assert not cal_a.is_working_day(dt.date(2026, 10, 6))  # the company's National Day still applies to A
    assert cal_a.is_working_day(dt.date(2026, 3, 7)) and not cal_b.is_working_day(dt.date(2026, 3, 7))  # Saturday
    assert cal_a.hours == ((dt.time(9), dt.time(18)),) and cal_b.hours == company.hours == parse_hours("08:30-12:00 13:30-17:30")
    assert local(add_working_time(at(2026, 3, 7, 17), working_hours=2, calendar=cal_a)) == at(2026, 3, 9, 10)
    shown = {r["day"]: r for r in calendar_rows(session, "CALA", 2026)}
    assert shown["2026-10-05"]["from"] == "estate" and shown["2026-10-05"]["working"] is True
    assert shown["2026-10-06"]["working"] is False


# -- pause and resume -------------------------------------------------------------------------------

PAUSING = Workflow(
    name="wftest.ticket", model=WfTicket,
    states=[State("new", "New", initial=True, deadline=Deadline(minutes=3)),
            State("waiting_owner", "Waiting for the owner", "等待业主", pauses_deadline=True),
            State("done", "Done", final=True)],
    transitions=[Transition("reopen", ("new",), "new", "wftest.dispatch", deadline=Deadline(working_hours=8)),
                 Transition("wait", ("new",), "waiting_owner", "wftest.dispatch"),
                 Transition("back", ("waiting_owner",), "new", "wftest.dispatch"),
                 Transition("finish", ("new", "waiting_owner"), "done", "wftest.dispatch")])


def step(session, ticket, name: str, now: dt.datetime):
    row = on_transition(session, PAUSING, ticket, PAUSING.transition(name), now.astimezone(dt.UTC))
    session.flush()
    return row


def test_a_working_time_deadline_pauses_while_waiting_for_the_owner_and_resumes(wf, china_rows):
    import_calendar(wf.session, china_rows)
    t = wf.ticket(wf.make_estate("CALP"))
    row = step(wf.session, t, "reopen", at(2026, 2, 13, 16))  # 8 working hours from Friday 16:00
    assert row.working_time and local(row.due_at) == at(2026, 2, 14, 16, 30)
    assert step(wf.session, t, "wait", at(2026, 2, 13, 17)) is row and row.paused_at is not None
    # paused: never overdue, however late
    assert row.id not in [r.id for r in overdue(wf.session, now=at(2026, 3, 1), workflow="wftest.ticket")]
    # back on Tue Feb 24 09:30: 9 working hours were paused (Fri 0.5, Sat 7.5, Tue 1), 7 were left
    assert step(wf.session, t, "back", at(2026, 2, 24, 9, 30)) is row
    assert row.paused_at is None and row.paused_seconds == 9 * 3600 and row.closed_at is None
    assert local(row.due_at) == at(2026, 2, 25, 9)
    assert [r.id for r in overdue(wf.session, now=row.due_at, workflow="wftest.ticket")] == [row.id]


def test_a_calendar_deadline_moves_by_the_paused_time(wf):
    t = wf.ticket(wf.make_estate("CALQ"))
    row = open_deadline(wf.session, t)  # the 3 minutes of state "new", opened at insert
    due = row.due_at
    step(wf.session, t, "wait", due - dt.timedelta(minutes=2))
    step(wf.session, t, "back", due + dt.timedelta(minutes=58))
    assert row.due_at == due + dt.timedelta(hours=1) and row.paused_seconds == 3600 and not row.is_paused


def test_leaving_the_waiting_state_elsewhere_closes_the_paused_deadline(wf):
    t = wf.ticket(wf.make_estate("CALR"))
    row = open_deadline(wf.session, t)
    step(wf.session, t, "wait", at(2026, 3, 2, 9))
    assert step(wf.session, t, "finish", at(2026, 3, 3, 9)) is None
    wf.session.refresh(row)
    assert row.closed_at is not None and open_deadline(wf.session, t) is None


def test_a_record_inserted_with_a_working_day_limit_gets_its_due_time_from_the_calendar(wf, china_rows):
    import_calendar(wf.session, china_rows)
    t = wf.ticket(wf.make_estate("CALS"))
    on_transition(wf.session, PAUSING, t, PAUSING.transition("finish"), at(2026, 2, 13, 9))  # close the 3 minutes
    open_at_insert(wf.session, "wftest.ticket", t, "new", Deadline(working_days=2))
    row = open_deadline(wf.session, t)
    cal = calendar_for(wf.session, t.estate_id)
    assert row.working_time and row.state == "new" and cal.is_working_day(local(row.due_at).date())
    assert row.due_at == add_working_time(row.started_at, working_days=2, calendar=cal) > row.started_at


# -- import ---------------------------------------------------------------------------------------------

def test_import_is_idempotent_and_updates_changed_days(session, china_rows):
    first = import_calendar(session, china_rows)
    assert first["added"] == len(china_rows) and first["updated"] == 0
    assert import_calendar(session, china_rows) == {"added": 0, "updated": 0, "unchanged": len(china_rows)}
    fixed = parse_calendar("day,kind,name\n2026-01-04,holiday,元旦 (corrected)\n")
    assert import_calendar(session, fixed) == {"added": 0, "updated": 1, "unchanged": 0}
    assert session.scalar(select(CalendarDay.kind).where(CalendarDay.day == dt.date(2026, 1, 4),
                                                         CalendarDay.estate_id.is_(None))) == DayKind.holiday


def test_bad_lines_are_named_with_their_fix_and_nothing_is_imported(session, make_estate):
    text = ("# comment\nday,kind,name,estate\n2026-02-30,holiday,x,\n2026-03-01,rest,y,\n"
            "2026-03-02,holiday,z,\n2026-03-02,workday,again,\n")
    with pytest.raises(ValidationError) as err:
        parse_calendar(text, source="cal.csv")
    message = err.value.message
    assert "line 3: day '2026-02-30' is not a date; write YYYY-MM-DD" in message
    assert "line 4: kind 'rest' is not holiday or workday" in message
    assert "line 6: 2026-03-02 is already listed on line 5" in message
    with pytest.raises(ValidationError, match="lacks kind"):
        parse_calendar("day,name\n2026-01-01,x\n")
    make_estate("CALX")
    rows = parse_calendar("day,kind,name,estate\n2026-05-06,workday,ok,CALX\n2026-05-07,holiday,no,NOPE\n")
    before = session.scalar(select(func.count(CalendarDay.id)))
    with pytest.raises(ValidationError, match="line 3: no estate with code 'NOPE'"):
        import_calendar(session, rows)
    assert session.scalar(select(func.count(CalendarDay.id))) == before


def test_the_cli_refuses_a_bad_file_with_a_non_zero_exit_and_imports_a_good_one(tmp_path):
    from tests.core.cli.conftest import run_wuye

    cfg = tmp_path / "wuye.toml"
    cfg.write_text('[core]\ndatabase_url = "sqlite:///w.sqlite3"\n[plugins]\nenabled = []\n')
    assert run_wuye("db", "upgrade", config=cfg).returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("day,kind,name\n2026-02-17,off,春节\n", encoding="utf-8")
    out = run_wuye("calendar", "import", str(bad), config=cfg)
    assert out.returncode != 0 and "line 2: kind 'off'" in out.stderr and "Traceback" not in out.stderr
    out = run_wuye("calendar", "import", "--json", config=cfg)  # the shipped file
    assert out.returncode == 0, out.stderr
    assert '"added": ' in out.stdout and '"updated": 0' in out.stdout
    out = run_wuye("calendar", "show", "--year", "2026", config=cfg)
    assert out.returncode == 0 and "2026-02-17 Tue  off" in out.stdout and "2026-02-14 Sat  work" in out.stdout


# -- admin screens ---------------------------------------------------------------------------------------

def test_the_admin_keeps_one_row_per_day_and_checks_working_hours(client_as, world, factory):  # noqa: F811
    from tests.core.web.conftest import csrf_of

    c = client_as("admin")
    page = c.get("/admin/core_calendar_days/new/")
    assert page.status_code == 200 and "调休上班" in page.text  # the kind's Chinese label (default locale zh_CN)
    token = csrf_of(page.text)
    form = {"csrf_token": token, "day": "2026-10-08", "kind": "holiday", "name": "公司福利假"}
    r = c.post("/admin/core_calendar_days/new/", data=form)
    assert r.status_code == 302, r.text[:2000]
    r = c.post("/admin/core_calendar_days/new/", data=form)
    assert r.status_code == 200 and "already in the calendar" in r.text
    s = factory()
    assert [(d.estate_id, d.kind) for d in s.scalars(select(CalendarDay).where(CalendarDay.day == dt.date(2026, 10, 8)))] \
        == [(None, DayKind.holiday)]
    s.close()
    r = c.post("/admin/core_working_schedules/new/", data={"csrf_token": token, "weekdays": "12345",
                                                           "hours": "08:30-12:00 11:00-17:30"})
    assert r.status_code == 200 and "not overlap" in r.text
    # customer service may look at the calendar, not change it
    cs = client_as("cs_a")
    listing = cs.get("/admin/core_calendar_days/")
    assert listing.status_code == 200 and cs.get("/admin/core_calendar_days/new/").status_code == 403
    assert cs.post("/admin/core_calendar_days/new/", data={**form, "csrf_token": csrf_of(listing.text),
                                                           "day": "2026-10-09"}).status_code == 403
    s = factory()
    assert s.scalar(select(func.count(CalendarDay.id)).where(CalendarDay.day == dt.date(2026, 10, 9))) == 0
    s.close()
