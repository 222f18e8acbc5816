"""A complaint call at the reception desk (core intake, category ``complaint``) is routed to the
complaint register (``handling.from_intake``)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core import PermissionDenied
from core.intake import register_intake, route_intake
from plugins.complaints.models import Complaint

NOW = dt.datetime(2026, 3, 9, 2, tzinfo=dt.UTC)


def test_a_complaint_call_becomes_a_complaint(session, clerk, units, owner):
    intake = register_intake(session, clerk, now=NOW, unit_id=units[0].id, party_id=owner.id, channel="walk_in",
                             category="complaint", summary="垃圾清运不及时", content="连续三天没有清运",
                             received_at=NOW - dt.timedelta(minutes=10))
    complaint = route_intake(session, intake, clerk)
    assert isinstance(complaint, Complaint)
    assert (complaint.unit_id, complaint.party_id, complaint.channel) == (units[0].id, owner.id, "visit")
    assert (complaint.summary, complaint.content) == ("垃圾清运不及时", "连续三天没有清运")
    assert complaint.received_at == NOW - dt.timedelta(minutes=10) and complaint.intake_id == intake.id
    assert complaint.status == "received" and complaint.number.startswith("TS-")
    assert (intake.routed_table, intake.routed_id) == ("complaints_complaints", complaint.id)


def test_a_stranger_who_left_only_a_phone(session, clerk, estate):
    intake = register_intake(session, clerk, now=NOW, estate_id=estate.id, caller_name="路过的市民",
                             caller_phone="13700001111", channel="phone", category="complaint", summary="夜间施工扰民")
    complaint = route_intake(session, intake, clerk)
    assert complaint.unit_id is None and complaint.estate_id == estate.id
    assert (complaint.complainant_name, complaint.complainant_phone) == ("路过的市民", "13700001111")


def test_a_guard_cannot_route_a_complaint(session, staff, estate, clerk):
    intake = register_intake(session, clerk, now=NOW, estate_id=estate.id, caller_name="王", caller_phone="13700002222",
                             channel="phone", category="complaint", summary="噪音")
    with pytest.raises(PermissionDenied):
        route_intake(session, intake, staff("guard", estates=[estate]))
    assert intake.routed_id is None
    assert session.scalar(select(func.count(Complaint.id))) == 0
