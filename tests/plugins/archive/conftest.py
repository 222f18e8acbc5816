"""Fixtures for the archive plugin's tests: an estate whose units have owners, household members and
ID numbers; staff of the archive roles (two managers, a specialist, a guard without archive
rights) and a specialist of another estate."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.models import Party, RelationKind, Unit
from core.services.units import add_relation
from plugins.archive import archives

DAY = dt.date(2026, 3, 10)  # the business date (业务日期) of tests that need "today" at the estate
NOW = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def estate(make_estate):
    return make_estate("AR", units=3)


@pytest.fixture
def other_estate(make_estate):
    return make_estate("AS", units=1)


@pytest.fixture
def units(session, estate):
    return list(session.scalars(select(Unit).where(Unit.estate_id == estate.id).order_by(Unit.id)))


@pytest.fixture
def owners(session, units):
    """One owner per unit since 2024-01-01 (李一 owns the first unit, ...), a spouse on the first."""
    out = []
    for i, unit in enumerate(units):
        party = Party(name=f"李{'一二三'[i]}", phone=f"1380000000{i}", id_number=f"44030119800101000{i}")
        session.add(party)
        session.flush()
        add_relation(session, unit, party, RelationKind.owner, start_on=dt.date(2024, 1, 1))
        out.append(party)
    spouse = Party(name="王芳", phone="13700000009", id_number="440301198202020009")
    session.add(spouse)
    session.flush()
    add_relation(session, units[0], spouse, RelationKind.household_member, start_on=dt.date(2024, 1, 1),
                 relation_to_owner="配偶")
    return out


@pytest.fixture
def staff(make_actor):
    """Factory: ``staff("office_manager", estates=[estate])``, core's ``make_actor``."""
    return make_actor


@pytest.fixture
def manager(staff, estate):
    return staff("office_manager", estates=[estate])


@pytest.fixture
def deputy(staff, estate):
    """A second office manager of the estate (decides the first manager's own requests)."""
    return staff("office_manager", estates=[estate])


@pytest.fixture
def specialist(staff, estate):
    return staff("cs_specialist", estates=[estate])


@pytest.fixture
def clerk(staff, estate):
    return staff("clerk", estates=[estate])


@pytest.fixture
def guard(staff, estate):
    """Works for the estate but holds no archive permission."""
    return staff("guard", estates=[estate])


@pytest.fixture
def stranger(staff, other_estate):
    """A specialist of the other estate."""
    return staff("cs_specialist", estates=[other_estate])


@pytest.fixture
def archive(session, units, owners, clerk):
    """The archive of 李一 at the first unit, with a household form and a (confidential) contract."""
    found = archives.register_archive(session, clerk, units[0], owners[0], opened_on=DAY)
    archives.file_document(session, clerk, found, "household_form", dated_on=DAY)
    archives.file_document(session, clerk, found, "purchase_contract", title="商品房买卖合同", pages=24)
    return found
