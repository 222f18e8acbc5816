"""The reception desk routes a ``help`` call to a help request (``plugins/help_requests/intake.py``)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core import register_intake, route_intake
from core.models.notification import Notification
from core.workflow import due_at
from plugins.help_requests.intake import guess_category
from plugins.help_requests.models import HelpRequest
from tests.plugins.help_requests.conftest import T0


@pytest.fixture
def desk(staff, estate):
    return staff("front_desk", estates=[estate])


def test_a_help_call_becomes_a_help_request_with_the_callers_details(session, desk, units):
    intake = register_intake(session, desk, unit_id=units[0].id, caller_name="李阿姨", caller_phone="13700002222",
                             channel="walk_in", category="help", summary="忘带钥匙锁门外", content="孩子在屋里",
                             received_at=T0 - dt.timedelta(minutes=5), now=T0)
    request = route_intake(session, intake, desk)
    assert isinstance(request, HelpRequest)
    assert (intake.routed_table, intake.routed_id) == ("help_requests_requests", request.id)
    assert request.intake_id == intake.id and request.category == "locked_out" and request.channel == "walk_in"
    assert (request.caller_name, request.caller_phone, request.unit_id) == ("李阿姨", "13700002222", units[0].id)
    # the reply limit counts from when the call came in, not from when it was routed
    assert request.received_at == T0 - dt.timedelta(minutes=5)
    assert request.reply_due_at == T0 + dt.timedelta(minutes=25)
    assert due_at(session, request) == T0 + dt.timedelta(minutes=25)  # the engine's deadline row, too


def test_an_emergency_call_routed_from_the_desk_alerts_the_supervisor(session, desk, supervisor, estate):
    intake = register_intake(session, desk, estate_id=estate.id, caller_name="路人", caller_phone="13600003333",
                             channel="phone", category="help", summary="3栋电梯困人", now=T0)
    request = route_intake(session, intake, desk)
    assert request.kind == "emergency" and request.category == "lift_entrapment"
    assert request.location == "3栋电梯困人" and request.alerted_at is not None
    assert supervisor.id in session.scalars(select(Notification.staff_id).where(
        Notification.event == "help_requests.emergency", Notification.record_id == request.id)).all()


@pytest.mark.parametrize(("text", "category"), [
    ("5楼厨房着火冒烟", "fire"), ("闻到煤气味", "gas"), ("老人晕倒了", "medical"), ("地下室水浸", "flooding"),
    ("小孩走失", "lost_child"), ("独居老人需要帮忙", "elderly"), ("问一下快递放哪", "other_help"),
])
def test_the_category_is_guessed_from_the_callers_words(text, category):
    assert guess_category(text) == category
