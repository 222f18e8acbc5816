"""The complaint's time limits (spec 4.1 row 12, 001 L215/L231; written reply: 2 working days) on the
estate's business calendar, and the escalation chain cs_supervisor → office_manager → general_manager.

The engine stamps deadlines with the real clock, so each test restarts the deadline at an explicit
instant (``started``); nothing depends on the wall clock. The working-day cases use China's 2026
schedule shipped with the core (Spring Festival 15-23 February, Saturday 14 February worked).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core import apply, get_workflow
from core.assignment.escalation import escalate_overdue
from core.cli.calendar import DATA_FILE, import_calendar, parse_calendar
from core.models.notification import Notification
from core.workflow import overdue
from core.workflow.deadlines import compute_due, on_transition, open_deadline
from plugins.complaints.workflows import CHAIN, HANDLE_WITHIN, NAME, REPLY_WITHIN
from tests.plugins.complaints.conftest import SH


def started(session, complaint, moment: dt.datetime):
    """Restart the complaint's open deadline at ``moment`` (as if it entered its state then)."""
    row = open_deadline(session, complaint)
    deadline = get_workflow(session, NAME).state(row.state).deadline
    row.started_at, row.due_at = moment, compute_due(session, deadline, moment, complaint.estate_id)
    session.flush()
    return row


@pytest.fixture
def china(session):
    import_calendar(session, parse_calendar(DATA_FILE.read_text(encoding="utf-8"), source=str(DATA_FILE)))


def test_the_limits_are_the_manuals():
    wf_states = {"received": HANDLE_WITHIN, "acknowledged": HANDLE_WITHIN, "investigating": REPLY_WITHIN}
    assert HANDLE_WITHIN.hours == 24 and not HANDLE_WITHIN.working
    assert REPLY_WITHIN.working_days == 2 and REPLY_WITHIN.working
    assert [(e.role, e.after_minutes) for e in CHAIN] == [("cs_supervisor", 0), ("office_manager", 60),
                                                          ("general_manager", 240)]
    assert all(d.chain == CHAIN for d in wf_states.values())


def test_a_complaint_is_handled_within_24_hours_nights_and_weekends_included(session, register):
    c = register()
    row = started(session, c, dt.datetime(2026, 3, 6, 20, tzinfo=SH))  # Friday evening
    assert row.state == "received" and row.due_at == dt.datetime(2026, 3, 7, 20, tzinfo=SH)  # Saturday evening
    assert row not in overdue(session, now=dt.datetime(2026, 3, 7, 19, 59, tzinfo=SH), workflow=NAME)
    assert row in overdue(session, now=dt.datetime(2026, 3, 7, 20, 0, tzinfo=SH), workflow=NAME)


def test_acknowledging_in_time_closes_the_limit(session, register, walk):
    c = register()
    started(session, c, dt.datetime(2026, 3, 6, 20, tzinfo=SH))
    walk(c, "acknowledge")
    row = open_deadline(session, c)
    assert row.state == "acknowledged"  # the investigation starts within the same 24 hours


def test_the_written_reply_is_due_in_two_working_days(session, register, walk):
    c = walk(register(), "acknowledge", "investigate")
    row = started(session, c, dt.datetime(2026, 3, 9, 10, tzinfo=SH))  # Monday 10:00
    assert row.state == "investigating" and row.working_time
    assert row.due_at == dt.datetime(2026, 3, 11, 10, tzinfo=SH)  # Wednesday 10:00
    # Friday 16:00 → Tuesday 16:00 (the weekend does not count)
    wf = get_workflow(session, NAME)
    row = on_transition(session, wf, c, wf.transition("investigate"), dt.datetime(2026, 3, 13, 16, tzinfo=SH))
    session.flush()
    assert row.due_at == dt.datetime(2026, 3, 17, 16, tzinfo=SH)


def test_the_reply_limit_skips_the_spring_festival(session, register, walk, china):
    c = walk(register(), "acknowledge", "investigate")
    row = started(session, c, dt.datetime(2026, 2, 13, 16, tzinfo=SH))  # Friday before the holiday
    # Saturday 14 is a make-up working day, 15-23 the holiday: due Tuesday 24 at 16:00
    assert row.due_at == dt.datetime(2026, 2, 24, 16, tzinfo=SH)
    assert row not in overdue(session, now=dt.datetime(2026, 2, 23, 23, tzinfo=SH), workflow=NAME)


def test_an_overdue_complaint_escalates_level_by_level(session, register, supervisor, staff, estate):
    manager = staff("office_manager", estates=[estate])
    gm = staff("general_manager", estates=[estate])
    c = register()
    due = started(session, c, dt.datetime(2026, 3, 6, 20, tzinfo=SH)).due_at

    def told(now):
        escalate_overdue(session, now)
        return {n.staff_id for n in session.scalars(select(Notification).where(
            Notification.event == "core.deadline_escalated", Notification.record_id == c.id))}

    assert told(due - dt.timedelta(minutes=1)) == set()
    assert told(due) == {supervisor.id}
    assert told(due + dt.timedelta(minutes=59)) == {supervisor.id}
    assert told(due + dt.timedelta(minutes=60)) == {supervisor.id, manager.id}
    assert told(due + dt.timedelta(minutes=240)) == {supervisor.id, manager.id, gm.id}
    assert open_deadline(session, c).escalation_level == 3


def test_handling_it_before_the_due_time_escalates_nothing(session, register, walk, supervisor):
    c = register()
    due = started(session, c, dt.datetime(2026, 3, 6, 20, tzinfo=SH)).due_at
    walk(c, "close_invalid")
    assert escalate_overdue(session, due + dt.timedelta(hours=5))["escalated"] == 0


def test_an_unsatisfied_reply_reopened_gets_a_new_reply_limit(session, register, walk, supervisor):
    c = walk(register(), "acknowledge", "investigate", "reply")
    assert open_deadline(session, c) is None  # waiting for verification carries no limit
    apply(session, c, "reopen", supervisor, comment="业主不认可答复")
    assert open_deadline(session, c).state == "investigating"
