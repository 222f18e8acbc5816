"""Help requests (``plugins/help_requests/handling.py``): registration, the reply limit and its
escalation chain, written inquiries, the emergency alert, bad input and estate scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core import PermissionDenied, ValidationError, WorkflowError, apply, current_assignment
from core.assignment.escalation import escalate_overdue
from core.models.notification import Notification
from core.models.workflow import WorkflowDeadline
from plugins.help_requests import services
from plugins.help_requests.models import HelpRequest
from tests.plugins.help_requests.conftest import T0


def _deadline(session, request):
    return session.scalar(select(WorkflowDeadline).where(
        WorkflowDeadline.record_table == "help_requests_requests", WorkflowDeadline.record_id == request.id,
        WorkflowDeadline.closed_at.is_(None)))


def test_a_help_request_is_numbered_owned_by_its_first_receiver_and_due_in_30_minutes(session, clerk, request_data):
    request = services.register_request(session, clerk, request_data(), now=T0)
    assert request.number.startswith("HR-") and request.status == "received"
    assert request.kind == "help" and request.received_by_id == clerk.id and request.received_at == T0
    assert request.reply_due_at == T0 + dt.timedelta(minutes=30)
    row = _deadline(session, request)
    assert row.state == "received" and row.due_at == T0 + dt.timedelta(minutes=30)  # counted from received_at
    assert row.chain == "cs_supervisor:0,office_manager:30"
    assert request.alerted_at is None


def test_an_unanswered_request_escalates_to_the_supervisor_then_the_manager(session, clerk, supervisor, manager,
                                                                            request_data):
    request = services.register_request(session, clerk, request_data(), now=T0)
    assert escalate_overdue(session, T0 + dt.timedelta(minutes=29))["escalated"] == 0
    first = escalate_overdue(session, T0 + dt.timedelta(minutes=30))
    assert [(i["escalate_to"], i["level"]) for i in first["items"]] == [("cs_supervisor", 1)]
    told = session.scalars(select(Notification.staff_id).where(
        Notification.event == "core.deadline_escalated", Notification.record_id == request.id)).all()
    assert supervisor.id in told and manager.id not in told
    assert escalate_overdue(session, T0 + dt.timedelta(minutes=59))["escalated"] == 0
    second = escalate_overdue(session, T0 + dt.timedelta(minutes=60))
    assert [(i["escalate_to"], i["level"]) for i in second["items"]] == [("office_manager", 2)]


def test_a_reply_in_time_stops_the_clock(session, clerk, request_data):
    request = services.register_request(session, clerk, request_data(), now=T0)
    apply(session, request, "respond", clerk, reply="已安排工作人员陪同开门")
    assert request.status == "responding" and request.reply == "已安排工作人员陪同开门"
    assert request.replied_by_id == clerk.id and _deadline(session, request) is None
    assert escalate_overdue(session, T0 + dt.timedelta(hours=3))["escalated"] == 0
    apply(session, request, "resolve", clerk, result="已开门")
    apply(session, request, "close", clerk, return_visit="业主满意")
    assert request.status == "closed" and request.return_visit == "业主满意" and request.closed_at is not None


def test_a_written_inquiry_is_answered_in_writing_within_two_days(session, clerk, supervisor, request_data):
    request = services.register_request(session, clerk, request_data(category="written_inquiry", channel="letter",
                                                                      description="询问充电桩安装流程"), now=T0)
    assert request.kind == "inquiry" and request.reply_due_at == T0 + dt.timedelta(days=2)
    assert _deadline(session, request).due_at == T0 + dt.timedelta(days=2)
    told = session.scalars(select(Notification.staff_id).where(
        Notification.event == "help_requests.written_inquiry", Notification.record_id == request.id)).all()
    assert told == [supervisor.id]
    with pytest.raises(WorkflowError) as err:
        apply(session, request, "respond", supervisor)
    assert "written reply" in str(err.value) and request.status == "received"
    assert escalate_overdue(session, T0 + dt.timedelta(days=2) - dt.timedelta(minutes=1))["escalated"] == 0
    assert escalate_overdue(session, T0 + dt.timedelta(days=2))["items"][0]["escalate_to"] == "cs_supervisor"
    apply(session, request, "respond", supervisor, reply="您好，充电桩安装流程如下……")
    assert request.status == "responding" and request.reply.startswith("您好")


def test_an_emergency_alerts_the_estates_leads_at_once_in_app_and_by_sms(session, clerk, supervisor, manager, staff,
                                                                         estate, other_estate, request_data):
    security = staff("security_manager", estates=[estate])
    guard = staff("guard", estates=[estate])
    elsewhere = staff("cs_supervisor", estates=[other_estate])
    request = services.register_request(session, clerk, request_data(category="lift_entrapment",
                                                                      location="2号电梯"), now=T0)
    assert request.kind == "emergency" and request.alerted_at == T0
    rows = session.scalars(select(Notification).where(Notification.event == "help_requests.emergency",
                                                      Notification.record_id == request.id)).all()
    assert {(r.staff_id, r.channel) for r in rows} == {
        (who.id, channel) for who in (supervisor, manager, security) for channel in ("inapp", "sms")}
    assert guard.id not in {r.staff_id for r in rows} and elsewhere.id not in {r.staff_id for r in rows}
    assert all(r.next_attempt_at == T0 for r in rows if r.channel == "sms")
    zh = next(r for r in rows if r.staff_id == supervisor.id and r.channel == "sms")
    assert "电梯困人" in zh.subject and "2号电梯" in zh.body


def test_a_medical_emergency_reaches_the_cs_supervisor_immediately(session, clerk, supervisor, request_data):
    request = services.register_request(session, clerk, request_data(category="medical", description="老人晕倒"),
                                        now=T0)
    told = session.scalars(select(Notification.staff_id).where(Notification.event == "help_requests.emergency",
                                                               Notification.record_id == request.id)).all()
    assert supervisor.id in told


@pytest.mark.parametrize(("change", "field"), [
    ({"caller_phone": ""}, "caller_phone"),
    ({"category": "alien_invasion"}, "category"),
    ({"unit_id": None}, "estate_id"),
    ({"unit_id": 999999}, "unit_id"),
])
def test_bad_input_names_the_field_and_writes_nothing(session, clerk, request_data, change, field):
    before = session.scalar(select(func.count(HelpRequest.id)))
    with pytest.raises(ValidationError) as err:
        services.register_request(session, clerk, request_data(**change), now=T0)
    assert field in err.value.errors
    assert session.scalar(select(func.count(HelpRequest.id))) == before


def test_a_request_without_a_unit_needs_the_location(session, clerk, estate, request_data):
    with pytest.raises(ValidationError) as err:
        services.register_request(session, clerk, request_data(unit_id=None, estate_id=estate.id), now=T0)
    assert "location" in err.value.errors
    request = services.register_request(session, clerk, request_data(unit_id=None, estate_id=estate.id,
                                                                      location="3栋门口花园"), now=T0)
    assert request.estate_id == estate.id and request.unit_id is None


def test_staff_of_another_estate_cannot_register_or_handle_this_estates_requests(session, clerk, other_clerk,
                                                                                  other_estate, request_data):
    with pytest.raises(PermissionDenied):
        services.register_request(session, other_clerk, request_data(), now=T0)
    with pytest.raises(ValidationError) as err:
        services.register_request(session, other_clerk, request_data(estate_id=other_estate.id), now=T0)
    assert "unit_id" in err.value.errors
    request = services.register_request(session, clerk, request_data(), now=T0)
    with pytest.raises(PermissionDenied):
        apply(session, request, "respond", other_clerk, reply="x")
    assert request.status == "received"


def test_the_first_receiver_holds_the_request_and_is_told_when_it_is_late(session, clerk, supervisor, request_data):
    request = services.register_request(session, clerk, request_data(), now=T0)
    assert current_assignment(session, request).assignee_id == clerk.id
    assert _deadline(session, request).assignee_id == clerk.id
    escalate_overdue(session, T0 + dt.timedelta(minutes=30))
    told = set(session.scalars(select(Notification.staff_id).where(
        Notification.event == "core.deadline_escalated", Notification.record_id == request.id)).all())
    assert {clerk.id, supervisor.id} <= told
