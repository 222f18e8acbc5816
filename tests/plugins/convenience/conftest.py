"""Fixtures for the convenience tests: an estate with owners and a tenant, staff, and a published catalogue."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from core.models import Department, Party, RelationKind, Role, StaffUser, Unit
from core.services.units import add_relation
from plugins.convenience import services

from .steps import publish

START = dt.date(2024, 1, 1)

ITEMS = {
    # code: (fee_kind, unit_of_charge, price_fen, prepay_kind, prepay_fen)
    "F-TV": ("free", "per_job", 0, "none", 0),
    "P-DRAIN": ("paid", "per_job", 5000, "none", 0),
    "P-CLEAN": ("paid", "per_hour", 3550, "none", 0),
    "P-LOCK": ("paid", "per_job", 8000, "prepayment", 3000),
    "P-MEET": ("paid", "per_job", 20000, "deposit", 50000),
    "P-PLANT": ("paid", "per_month", 8000, "none", 0),
}


@pytest.fixture
def make_staff(seeded):
    """Like core's ``make_actor`` without hashing a password (argon2 takes half a second a login)."""
    counter = {"n": 0}

    def make(*roles: str, estates=()):
        counter["n"] += 1
        role_rows = list(seeded.scalars(select(Role).where(Role.name.in_(roles))))
        assert len(role_rows) == len(roles), roles
        user = StaffUser(username=f"c{counter['n']}_{roles[0]}", full_name=roles[0], roles=role_rows,
                         estates=list(estates))
        seeded.add(user)
        seeded.flush()
        return user

    return make


@pytest.fixture
def conv(seeded, make_estate, make_staff):
    """An estate with 4 units (owner in each, a tenant in unit 3), staff of every role, and items."""
    session = seeded
    estate = make_estate(units=4)
    units = list(session.scalars(select(Unit).where(Unit.estate_id == estate.id).order_by(Unit.id)))
    owners = []
    for i, unit in enumerate(units):
        owner = Party(name=f"业主{i}", phone=f"1380000{i:04d}")
        session.add(owner)
        session.flush()
        add_relation(session, unit, owner, RelationKind.owner, start_on=START)
        owners.append(owner)
    tenant = Party(name="租户甲", phone="13911112222")
    session.add(tenant)
    session.flush()
    add_relation(session, units[3], tenant, RelationKind.tenant, start_on=START)
    dept = Department(estate_id=estate.id, code="eng", name="工程部")
    session.add(dept)
    session.flush()
    ns = SimpleNamespace(
        session=session, estate=estate, units=units, owners=owners, tenant=tenant, dept=dept,
        manager=make_staff("office_manager", estates=[estate]), gm=make_staff("general_manager"),
        cs=make_staff("cs_specialist", estates=[estate]), sup=make_staff("cs_supervisor", estates=[estate]),
        staff=make_staff("household_service_staff", estates=[estate]),
        cashier=make_staff("cashier", estates=[estate]), items={})
    for code, (kind, unit, price, pkind, pfen) in ITEMS.items():
        ns.items[code] = services.create_item(session, ns.manager, {
            "estate_id": estate.id, "code": code, "name": code.lower(), "name_zh": f"项目{code}",
            "category": "other", "fee_kind": kind, "unit_of_charge": unit, "price_fen": price,
            "prepay_kind": pkind, "prepay_fen": pfen, "provider_department_id": dept.id})
    return ns


@pytest.fixture
def published(conv):
    conv.version = publish(conv)
    return conv
