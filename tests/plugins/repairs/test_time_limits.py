"""The manual's repair limits (spec 4.1 rows 1-5), calendar minutes: 3 minutes for the work order,
2 more to notify engineering, 10 minutes to be on site, 15 minutes to assess and quote; the clock
stops while the order waits for parts or for the owner's decision. Escalation goes to the engineering
supervisor at the due time, then to the office manager 30 minutes later. Instants are passed in."""

from __future__ import annotations

import datetime as dt

from core import get_workflow
from core.workflow import escalate_overdue
from core.workflow.deadlines import on_transition, open_deadline
from plugins.repairs import services

SECOND = dt.timedelta(seconds=1)
T0 = dt.datetime(2026, 3, 10, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai, a Tuesday


def step(rp, order, name: str, moment: dt.datetime):
    """Take the deadline side of transition ``name`` at ``moment`` (the engine's clock is real time)."""
    wf = get_workflow(rp.session, "repairs.order")
    row = on_transition(rp.session, wf, order, wf.transition(name), moment)
    rp.session.flush()
    return row


def limit(row) -> dt.timedelta:
    return row.due_at - row.started_at


def test_the_work_order_is_due_3_minutes_after_the_call_then_2_to_notify_engineering(rp):
    o = rp.order()
    row = open_deadline(rp.session, o)
    assert (row.state, limit(row), row.working_time) == ("received", dt.timedelta(minutes=3), False)
    assert row.chain == "engineering_supervisor:0,office_manager:30"
    row = step(rp, o, "dispatch", T0)
    assert (row.state, row.started_at, row.due_at) == ("dispatched", T0, T0 + dt.timedelta(minutes=2))


def test_arrival_within_10_minutes_of_receiving_the_order(rp):
    o = rp.order()
    step(rp, o, "dispatch", T0)
    row = step(rp, o, "accept", T0 + dt.timedelta(minutes=1))
    assert (row.state, row.due_at) == ("accepted", T0 + dt.timedelta(minutes=11))
    assert step(rp, o, "arrive", T0 + dt.timedelta(minutes=9)) is None  # on site: no limit until work starts
    assert open_deadline(rp.session, o) is None


def test_quote_within_15_minutes_and_the_owner_decision_pauses(rp):
    o = rp.order(on_price_list=False)
    step(rp, o, "dispatch", T0)
    row = step(rp, o, "assess", T0 + dt.timedelta(minutes=2))
    assert (row.state, row.due_at) == ("quoting", T0 + dt.timedelta(minutes=17))
    # quoted in time: the quote's clock stops while the owner decides (it never runs out meanwhile)
    assert step(rp, o, "send_quote", T0 + dt.timedelta(minutes=12)) is row and row.paused_at is not None
    assert escalate_overdue(rp.session, T0 + dt.timedelta(hours=1))["escalated"] == 0
    # the owner takes an hour to decide; the 10 minutes to be on site start when he accepts
    quote = row
    row = step(rp, o, "accept_quote", T0 + dt.timedelta(hours=1, minutes=12))
    assert quote.closed_at is not None and row is not quote
    assert (row.state, row.due_at) == ("accepted", T0 + dt.timedelta(hours=1, minutes=22))


def test_waiting_for_parts_pauses_the_completion_limit(rp):
    o = rp.order()
    row = step(rp, o, "start", T0)
    assert (row.state, row.due_at) == ("in_progress", T0 + dt.timedelta(hours=24))
    assert step(rp, o, "wait_parts", T0 + dt.timedelta(hours=2)) is row and row.paused_at is not None
    assert escalate_overdue(rp.session, T0 + dt.timedelta(days=3))["escalated"] == 0  # paused: never overdue
    assert step(rp, o, "resume_work", T0 + dt.timedelta(hours=50)) is row  # parts came 48 hours later
    assert row.paused_at is None and row.due_at == T0 + dt.timedelta(hours=72)


def test_an_order_not_dispatched_in_3_minutes_escalates_to_engineering_then_the_office_manager(rp):
    o = rp.order()
    row = open_deadline(rp.session, o)
    assert escalate_overdue(rp.session, row.due_at - SECOND)["escalated"] == 0
    first = escalate_overdue(rp.session, row.due_at + SECOND)
    assert [i["escalate_to"] for i in first["items"] if i["record_id"] == o.id] == ["engineering_supervisor"]
    assert escalate_overdue(rp.session, row.due_at + dt.timedelta(minutes=29))["escalated"] == 0
    second = escalate_overdue(rp.session, row.due_at + dt.timedelta(minutes=30, seconds=1))
    assert [i["escalate_to"] for i in second["items"] if i["record_id"] == o.id] == ["office_manager"]
    assert row.escalation_level == 2 and o.status == "received"
    services.transition(rp.session, rp.clerk, o, "dispatch")
    assert open_deadline(rp.session, o).state == "dispatched"


def test_a_booked_order_must_be_on_site_5_minutes_before_the_appointment(rp):
    appointment = T0 + dt.timedelta(hours=3)
    o = rp.order(booked_at=appointment)
    step(rp, o, "dispatch", T0)
    row = step(rp, o, "accept", T0 + dt.timedelta(minutes=1))
    assert (row.state, row.due_at) == ("accepted", appointment - dt.timedelta(minutes=5))
    assert row.chain == "engineering_supervisor:0,office_manager:30"
    # not overdue at the usual 10 minutes: the owner asked for later
    assert escalate_overdue(rp.session, T0 + dt.timedelta(minutes=30))["escalated"] == 0
    items = escalate_overdue(rp.session, appointment - dt.timedelta(minutes=5))["items"]
    assert [i["escalate_to"] for i in items if i["record_id"] == o.id] == ["engineering_supervisor"]


def test_a_booked_quoted_order_counts_to_the_appointment_once_the_owner_accepts(rp):
    appointment = T0 + dt.timedelta(days=1)
    o = rp.order(on_price_list=False, booked_at=appointment)
    step(rp, o, "dispatch", T0)
    step(rp, o, "assess", T0 + dt.timedelta(minutes=2))
    step(rp, o, "send_quote", T0 + dt.timedelta(minutes=12))
    row = step(rp, o, "accept_quote", T0 + dt.timedelta(hours=1))
    assert (row.state, row.due_at) == ("accepted", appointment - dt.timedelta(minutes=5))
