"""Deadlines (SLA timers) with the manual's limits: 3 minutes, 10 minutes, 24 hours, 7 days (spec 4.1)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.activity import timeline
from core.db import utcnow
from core.models.workflow import WorkflowDeadline
from core.workflow import apply, due_at, escalate_overdue, history, importing, overdue
from core.workflow.deadlines import DEFAULT_ESCALATE_TO, open_deadline
from tests.core.workflow_fixture_plugin import WfTicket, wf_fixture, wf_instance_fixture, wf_tables_fixture  # noqa: F401

SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def env(wf):
    wf.a, wf.b = wf.make_estate("A"), wf.make_estate("B")
    wf.cs = wf.make_actor("cs_specialist", estates=[wf.a])
    wf.cs_b = wf.make_actor("cs_specialist", estates=[wf.b])
    wf.tech = wf.make_actor("technician", estates=[wf.a])
    return wf


def open_rows(session, ticket) -> list[WorkflowDeadline]:
    return list(session.scalars(select(WorkflowDeadline).where(
        WorkflowDeadline.record_table == "wftest_tickets", WorkflowDeadline.record_id == ticket.id,
        WorkflowDeadline.closed_at.is_(None))))


def to_done(env, t):
    apply(env.session, t, "dispatch", env.cs)
    apply(env.session, t, "arrive", env.tech)
    apply(env.session, t, "complete", env.tech, report="fixed")


def test_a_new_ticket_must_be_handled_within_3_minutes(env):
    before = utcnow()
    t = env.ticket(env.a)
    after = utcnow()
    row = open_deadline(env.session, t)
    assert row.state == "new" and row.escalate_to == "cs_supervisor" and row.estate_id == env.a.id
    assert before + dt.timedelta(minutes=3) - SECOND <= row.due_at <= after + dt.timedelta(minutes=3) + SECOND


def test_overdue_tickets_are_escalated_once(env):
    t = env.ticket(env.a)
    due = due_at(env.session, t)
    assert escalate_overdue(env.session, due - SECOND) == {"escalated": 0, "items": []}
    result = escalate_overdue(env.session, due + SECOND)
    assert result["escalated"] == 1
    assert result["items"][0] == {"workflow": "wftest.ticket", "record_table": "wftest_tickets", "record_id": t.id,
                                  "state": "new", "due_at": due.isoformat(), "escalate_to": "cs_supervisor"}
    h = history(env.session, t)[-1]
    assert (h.transition, h.from_state, h.to_state, h.actor_id) == ("escalate", "new", "new", None)
    assert "escalated to cs_supervisor" in h.comment
    entry = timeline(env.session, WfTicket, t.id)[-1]
    assert (entry.action, entry.detail, entry.actor_id) == ("escalate", "cs_supervisor", None)
    row = open_deadline(env.session, t)
    assert row.escalated_at == due + SECOND and row.closed_at is None
    assert escalate_overdue(env.session, due + dt.timedelta(hours=1))["escalated"] == 0
    assert t.status == "new"  # escalation never changes the state


def test_dispatch_starts_the_10_minute_arrival_limit(env):
    t = env.ticket(env.a)
    first = open_deadline(env.session, t)
    apply(env.session, t, "dispatch", env.cs)
    env.session.refresh(first)
    assert first.closed_at is not None
    [row] = open_rows(env.session, t)
    assert row.state == "dispatched" and row.escalate_to == "engineering_supervisor"
    assert row.due_at - row.started_at == dt.timedelta(minutes=10)
    assert escalate_overdue(env.session, row.due_at - SECOND)["escalated"] == 0
    assert escalate_overdue(env.session, row.due_at + SECOND)["escalated"] == 1
    apply(env.session, t, "arrive", env.tech)
    assert open_rows(env.session, t) == []  # in progress has no limit
    assert due_at(env.session, t) is None


def test_complaints_are_handled_within_24_hours_and_escalate_to_the_office_manager(env):
    t = env.ticket(env.a)
    to_done(env, t)
    apply(env.session, t, "complain", env.cs)
    row = open_deadline(env.session, t)
    assert row.due_at - row.started_at == dt.timedelta(hours=24)
    assert row.escalate_to == DEFAULT_ESCALATE_TO == "office_manager"
    late = row.due_at + SECOND
    assert [r.id for r in overdue(env.session, now=late)] == [row.id]


def test_a_transition_deadline_wins_over_its_target_state(env):
    t = env.ticket(env.a)
    to_done(env, t)
    apply(env.session, t, "defect", env.cs)  # rectify within 7 days; the state alone says 30
    row = open_deadline(env.session, t)
    assert row.state == "rectifying" and row.due_at - row.started_at == dt.timedelta(days=7)
    assert escalate_overdue(env.session, row.started_at + dt.timedelta(days=6))["escalated"] == 0
    assert escalate_overdue(env.session, row.started_at + dt.timedelta(days=7, seconds=1))["escalated"] == 1


def test_there_is_never_more_than_one_open_deadline(env):
    t = env.ticket(env.a)
    apply(env.session, t, "dispatch", env.cs)
    apply(env.session, t, "cancel", env.cs, comment="duplicate")
    assert open_rows(env.session, t) == []
    total = env.session.scalar(select(func.count()).select_from(WorkflowDeadline)
                               .where(WorkflowDeadline.record_id == t.id))
    assert total == 2


def test_overdue_lists_by_estate_and_workflow(env):
    ta, tb = env.ticket(env.a), env.ticket(env.b)
    later = utcnow() + dt.timedelta(minutes=4)
    assert {r.record_id for r in overdue(env.session, now=later)} == {ta.id, tb.id}
    assert [r.record_id for r in overdue(env.session, now=later, estate_ids=[env.b.id])] == [tb.id]
    assert overdue(env.session, now=later, workflow="other.flow") == []
    assert overdue(env.session, now=utcnow()) == []


def test_deleting_a_record_stops_its_timer(env):
    t = env.ticket(env.a)
    tid = t.id
    env.session.delete(t)
    env.session.flush()
    assert overdue(env.session, now=utcnow() + dt.timedelta(days=1)) == []
    assert env.session.scalar(select(WorkflowDeadline.closed_at).where(WorkflowDeadline.record_id == tid)) is not None


def test_imported_records_start_the_timer_of_their_state(env):
    with importing(env.session):
        t = WfTicket(estate_id=env.a.id, title="legacy", status="complaint")
        env.session.add(t)
        env.session.flush()
    row = open_deadline(env.session, t)
    assert row.state == "complaint" and row.due_at - row.started_at == dt.timedelta(hours=24)
