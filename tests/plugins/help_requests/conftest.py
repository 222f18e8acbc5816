"""Fixtures for the help_requests tests: two estates, staff of the service-centre roles (without
passwords: argon2 is slow and these tests never log in), and a fixed time (no wall clock)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.models import Role, StaffUser, Unit

# 2026-03-10 10:00 in Shanghai (a Tuesday, a working day)
T0 = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def estate(make_estate):
    return make_estate("HA", units=3)


@pytest.fixture
def other_estate(make_estate):
    return make_estate("HB", units=2)


@pytest.fixture
def units(session, estate):
    return list(session.scalars(select(Unit).where(Unit.estate_id == estate.id).order_by(Unit.id)))


@pytest.fixture
def staff(seeded):
    """Factory: ``staff("cs_supervisor", estates=[estate])``."""
    counter = {"n": 0}

    def make(*roles: str, estates=()):
        counter["n"] += 1
        found = list(seeded.scalars(select(Role).where(Role.name.in_(roles))))
        assert len(found) == len(roles), roles
        user = StaffUser(username=f"hr{counter['n']}_{roles[0]}", full_name=f"{roles[0]} {counter['n']}",
                         roles=found, estates=list(estates), mobile=f"1380000{counter['n']:04d}")
        seeded.add(user)
        seeded.flush()
        return user

    return make


@pytest.fixture
def clerk(staff, estate):
    return staff("cs_specialist", estates=[estate])


@pytest.fixture
def supervisor(staff, estate):
    return staff("cs_supervisor", estates=[estate])


@pytest.fixture
def manager(staff, estate):
    return staff("office_manager", estates=[estate])


@pytest.fixture
def other_clerk(staff, other_estate):
    return staff("cs_specialist", estates=[other_estate])


@pytest.fixture
def request_data(units):
    """A valid help request for the estate's first unit (keyword overrides)."""

    def make(**kw):
        return {"unit_id": units[0].id, "category": "locked_out", "caller_name": "王先生",
                "caller_phone": "13900001111", "description": "忘带钥匙"} | kw

    return make
