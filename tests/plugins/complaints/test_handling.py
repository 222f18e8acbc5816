"""Registering complaints (``plugins/complaints/handling.py``): numbering, the estate and the
complainant taken from the unit and the party, and bad input refused naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core import PermissionDenied, ValidationError, business_date
from plugins.complaints import services
from plugins.complaints.models import Complaint


def count(session) -> int:
    return session.scalar(select(func.count(Complaint.id)))


def test_a_complaint_is_registered_numbered_and_filled_from_the_owner(session, register, estate, owner, clerk):
    with business_date(session, dt.date(2031, 5, 6)):
        first = register()
        second = register(complainant_name="陈先生", complainant_phone="13900000000")
    assert (first.number, second.number) == ("TS-2031-000001", "TS-2031-000002")
    assert first.estate_id == estate.id and first.status == "received" and first.received_by_id == clerk.id
    assert (first.complainant_name, first.complainant_phone) == ("陈女士", "13812345678")
    assert (second.complainant_name, second.complainant_phone) == ("陈先生", "13900000000")
    assert first.valid is None and first.severity == "ordinary"


def test_a_complaint_without_a_unit_names_the_estate(session, clerk, estate):
    c = services.register_complaint(session, clerk, {"estate_id": estate.id, "complainant_name": "路人",
                                                     "complainant_phone": "13700000000", "summary": "小区门口积水",
                                                     "channel": "visit", "category": "cleaning"})
    assert c.unit_id is None and c.estate_id == estate.id and c.category == "cleaning"


@pytest.mark.parametrize(("data", "field"), [
    ({"summary": ""}, "summary"),
    ({"unit_id": None, "estate_id": None}, "estate_id"),
    ({"party_id": None, "complainant_name": " "}, "complainant_name"),
    ({"channel": "pigeon"}, "channel"),
    ({"category": "weather"}, "category"),
    ({"unit_id": 99_999_999}, "unit_id"),
    ({"received_at": dt.datetime(2099, 1, 1, tzinfo=dt.UTC)}, "received_at"),
])
def test_bad_input_names_the_field_and_writes_nothing(session, register, data, field):
    before = count(session)
    with pytest.raises(ValidationError) as err:
        register(**data)
    assert field in err.value.errors, err.value.errors
    assert count(session) == before


def test_staff_of_another_estate_cannot_register_here(session, register, staff, other_estate):
    stranger = staff("cs_specialist", estates=[other_estate])
    with pytest.raises(PermissionDenied):
        register(actor=stranger)
    assert count(session) == 0
