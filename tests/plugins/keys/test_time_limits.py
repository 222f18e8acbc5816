"""Keys time limits: the staff's steps (checking and sealing a developer handover, changing a lock,
finishing an inventory count) run in working days of the estate's business calendar (营业日历),
while a loan's return stays the clock time the custodian typed, holidays or not.

The calendar is China's 2026 schedule shipped with the core (Saturday 14 February is a make-up
working day, 15-23 February is the Spring Festival). Every instant is passed in.
"""

from __future__ import annotations

import datetime as dt

import pytest

from core import get_workflow
from core.cli.calendar import DATA_FILE, import_calendar, parse_calendar
from core.workflow.calendar import add_working_time, calendar_for
from core.workflow.deadlines import compute_due, open_deadline
from plugins.keys import services
from plugins.keys.workflows.values import LIMITS

SH = dt.timezone(dt.timedelta(hours=8))
FRIDAY = dt.datetime(2026, 2, 13, 16, tzinfo=SH)  # the Friday before the Spring Festival


@pytest.fixture
def china(session):
    import_calendar(session, parse_calendar(DATA_FILE.read_text(encoding="utf-8"), source=str(DATA_FILE)))


def test_the_staff_steps_carry_working_day_limits_escalated_to_the_cs_supervisor(session, estate):
    limited = {f"{wf.name.removeprefix('keys.')}.{s.name}": s.deadline
               for wf in (get_workflow(session, n) for n in ("keys.handover_batch", "keys.lock_change",
                                                              "keys.inventory_count", "keys.key_set",
                                                              "keys.custody_agreement"))
               for s in wf.states if s.deadline is not None}
    assert limited == LIMITS
    assert all(d.working_days and d.escalate_to == "cs_supervisor" for d in limited.values())


def test_a_developer_handover_is_checked_within_two_working_days_then_sealed_within_one(session, custodian, estate,
                                                                                        units):
    batch = services.receive_handover_batch(session, custodian, estate_id=estate.id, phase="一期",
                                            developer_name="开发商",
                                            lines=[{"tag_no": "U-0", "unit_id": units[0].id, "copies": 3}])
    cal = calendar_for(session, estate.id)
    row = open_deadline(session, batch)
    assert (row.state, row.working_time, row.escalate_to) == ("received", True, "cs_supervisor")
    assert row.due_at == add_working_time(row.started_at, working_days=2, calendar=cal)
    services.check_handover_line(session, custodian, batch.lines[0], result="present")
    row = open_deadline(session, batch)
    assert row.state == "verified" and row.due_at == add_working_time(row.started_at, working_days=1, calendar=cal)
    services.seal_handover_batch(session, custodian, batch, seal_no="FT-001")
    assert open_deadline(session, batch) is None


def test_a_lock_change_opened_before_the_spring_festival_counts_the_make_up_saturday(session, custodian, make_key,
                                                                                    estate, china):
    task = services.report_lost(session, custodian, make_key(0), description="钥匙柜盘点发现丢失")
    assert open_deadline(session, task).state == "open"
    due = compute_due(session, LIMITS["lock_change.open"], FRIDAY, estate.id)
    assert due.astimezone(SH) == dt.datetime(2026, 2, 14, 16, tzinfo=SH)  # the make-up Saturday
    count_due = compute_due(session, LIMITS["inventory_count.open"], FRIDAY, estate.id)
    assert count_due.astimezone(SH) == dt.datetime(2026, 2, 24, 16, tzinfo=SH)  # after the holiday
    services.complete_lock_change(session, custodian, task, new_copies=2)
    assert open_deadline(session, task) is None


def test_a_loan_is_due_back_at_its_clock_time_even_on_a_holiday(session, custodian, make_key, lend, china):
    ks = make_key(0)
    loan = lend(session, ks, issued_at=FRIDAY, expected_return_at=FRIDAY + dt.timedelta(hours=2))
    assert open_deadline(session, ks) is None  # the loan's own due time, not a workflow limit
    assert services.flag_overdue_loans(session, FRIDAY + dt.timedelta(hours=1))["newly_flagged"] == []
    sunday_of_the_holiday = dt.datetime(2026, 2, 15, 9, tzinfo=SH)
    assert services.flag_overdue_loans(session, sunday_of_the_holiday)["newly_flagged"] == [loan.number]
    assert loan.flagged_overdue_at == sunday_of_the_holiday
