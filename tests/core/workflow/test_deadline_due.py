"""Computed due times (``Deadline(due=...)``): a limit taken from the record, such as "arrive 5
minutes before the booked appointment" (spec 4.1 row 4), with pause and resume, and validation."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.models.workflow import WorkflowDeadline
from core.workflow import Deadline, Escalation, State, Transition, Workflow, deadlines, escalate_overdue
from core.workflow.deadlines import open_deadline
from tests.core.workflow_fixture_plugin import WfTicket, wf_fixture, wf_instance_fixture, wf_tables_fixture  # noqa: F401

FIVE = dt.timedelta(minutes=5)
NOW = dt.datetime(2030, 5, 6, 1, 0, tzinfo=dt.UTC)  # any instant: every time below is passed in


def before_appointment(session, ticket, started_at):
    """Due 5 minutes before the booked time (``completed_at`` stands in for it); no booking, no limit."""
    return ticket.completed_at - FIVE if ticket.completed_at is not None else None


BOOKED = Deadline(due=before_appointment, chain=(Escalation("engineering_supervisor", 0),))
FLOW = Workflow(
    name="wftest.booked", model=WfTicket,
    states=[State("new", "New", initial=True), State("dispatched", "Dispatched", deadline=BOOKED),
            State("waiting", "Waiting for the owner", pauses_deadline=True), State("done", "Done", final=True)],
    transitions=[Transition("dispatch", ("new",), "dispatched", "wftest.dispatch"),
                 Transition("wait", ("dispatched",), "waiting", "wftest.dispatch"),
                 Transition("back", ("waiting",), "dispatched", "wftest.dispatch"),
                 Transition("finish", ("dispatched",), "done", "wftest.dispatch")])


@pytest.fixture
def env(wf):
    wf.a = wf.make_estate("A")
    return wf


def take(env, ticket, name, now):
    return deadlines.on_transition(env.session, FLOW, ticket, FLOW.transition(name), now)


def test_the_due_time_is_computed_from_the_record(env):
    appointment = NOW + dt.timedelta(hours=2)
    t = env.ticket(env.a, completed_at=appointment)
    row = take(env, t, "dispatch", NOW)
    env.session.flush()
    assert row.state == "dispatched" and row.started_at == NOW
    assert row.due_at == appointment - FIVE and row.working_time is False
    assert row.chain == "engineering_supervisor:0"
    assert open_deadline(env.session, t).id == row.id


def test_no_due_time_means_no_deadline(env):
    t = env.ticket(env.a)  # not booked: before_appointment gives None
    assert take(env, t, "dispatch", NOW) is None
    env.session.flush()
    assert open_deadline(env.session, t) is None


def test_it_escalates_at_the_computed_time(env):
    appointment = NOW + dt.timedelta(minutes=30)
    t = env.ticket(env.a, completed_at=appointment)
    take(env, t, "dispatch", NOW)
    env.session.flush()
    due = appointment - FIVE
    assert escalate_overdue(env.session, due - dt.timedelta(seconds=1))["escalated"] == 0
    items = escalate_overdue(env.session, due)["items"]
    assert [(i["record_id"], i["escalate_to"]) for i in items] == [(t.id, "engineering_supervisor")]


def test_a_pause_moves_a_computed_due_time_on_by_the_paused_time(env):
    appointment = NOW + dt.timedelta(hours=1)
    t = env.ticket(env.a, completed_at=appointment)
    row = take(env, t, "dispatch", NOW)
    env.session.flush()
    paused = take(env, t, "wait", NOW + dt.timedelta(minutes=10))
    assert paused.id == row.id and row.paused_at == NOW + dt.timedelta(minutes=10)
    assert escalate_overdue(env.session, appointment + dt.timedelta(hours=5))["escalated"] == 0  # paused
    resumed = take(env, t, "back", NOW + dt.timedelta(minutes=40))
    assert resumed.id == row.id and row.paused_at is None
    assert row.due_at == appointment - FIVE + dt.timedelta(minutes=30) and row.paused_seconds == 30 * 60


def test_a_record_inserted_in_a_computed_state_gets_its_deadline_at_the_flush(env):
    appointment = NOW + dt.timedelta(days=1)
    t = env.ticket(env.a, completed_at=appointment)
    deadlines.open_at_insert(env.session, "wftest.booked", t, "dispatched", BOOKED)
    row = env.session.scalar(select(WorkflowDeadline).where(WorkflowDeadline.workflow == "wftest.booked",
                                                            WorkflowDeadline.record_id == t.id))
    assert row.state == "dispatched" and row.due_at == appointment - FIVE
    unbooked = env.ticket(env.a)
    deadlines.open_at_insert(env.session, "wftest.booked", unbooked, "dispatched", BOOKED)
    assert env.session.scalar(select(WorkflowDeadline).where(WorkflowDeadline.workflow == "wftest.booked",
                                                             WorkflowDeadline.record_id == unbooked.id)) is None


def test_a_naive_due_time_is_taken_as_utc(env):
    naive = Deadline(due=lambda session, record, started_at: dt.datetime(2030, 5, 6, 9, 0))
    assert deadlines.compute_due(env.session, naive, NOW, None, record=object()) == dt.datetime(
        2030, 5, 6, 9, 0, tzinfo=dt.UTC)


def test_a_due_function_returning_something_else_is_refused(env):
    wrong = Deadline(due=lambda session, record, started_at: 5)
    with pytest.raises(TypeError, match="must return a datetime"):
        deadlines.compute_due(env.session, wrong, NOW, None, record=WfTicket())
    with pytest.raises(TypeError, match="pass record="):
        deadlines.compute_due(env.session, BOOKED, NOW, None)


@pytest.mark.parametrize("kw", [{"minutes": 10}, {"hours": 1}, {"days": 1}, {"working_hours": 2},
                                {"working_days": 1}])
def test_a_computed_due_time_is_a_kind_of_its_own(kw):
    with pytest.raises(ValueError, match="give due .* or a time limit"):
        Deadline(due=before_appointment, **kw)


def test_due_must_be_a_function():
    with pytest.raises(ValueError, match="due is a function"):
        Deadline(due="completed_at")


def test_the_other_kinds_are_unchanged():
    assert Deadline(minutes=3).computed is False and Deadline(minutes=3).delta == dt.timedelta(minutes=3)
    assert Deadline(working_days=2).working and not Deadline(working_days=2).computed
    assert BOOKED.computed and not BOOKED.working and BOOKED.delta == dt.timedelta(0)
