"""Fixtures for the complaints tests: two estates (CA and CB) with owned units, staff of the
complaint roles in each (without passwords: argon2 is slow and these tests never log in), and a
driver that walks a complaint through its workflow."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core import apply
from core.models import Party, RelationKind, Role, StaffUser, Unit
from core.services.units import add_relation
from plugins.complaints import services

SH = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai, the test estates' zone (no DST)


def at_local(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    """The UTC instant of ``hh:mm`` on ``day`` at the estate (Asia/Shanghai)."""
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=SH).astimezone(dt.UTC)


@pytest.fixture
def estate(make_estate):
    return make_estate("CA", units=3)


@pytest.fixture
def other_estate(make_estate):
    return make_estate("CB", units=2)


@pytest.fixture
def units(session, estate):
    return list(session.scalars(select(Unit).where(Unit.estate_id == estate.id).order_by(Unit.id)))


@pytest.fixture
def owner(session, units):
    party = Party(name="陈女士", phone="13812345678")
    session.add(party)
    session.flush()
    add_relation(session, units[0], party, RelationKind.owner, start_on=dt.date(2024, 1, 1))
    return party


@pytest.fixture
def staff(seeded):
    """Factory: ``staff("cs_supervisor", estates=[estate])``, a staff member with those roles."""
    counter = {"n": 0}

    def make(*roles: str, estates=()):
        counter["n"] += 1
        found = list(seeded.scalars(select(Role).where(Role.name.in_(roles))))
        assert len(found) == len(roles), roles
        user = StaffUser(username=f"c{counter['n']}_{roles[0]}", full_name=f"{roles[0]} {counter['n']}",
                         roles=found, estates=list(estates))
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
def butler(staff, estate):
    """The staff member the complaint in ``about_butler`` is about."""
    return staff("butler", estates=[estate])


@pytest.fixture
def register(session, clerk, units, owner):
    """Register a complaint of ``units[0]``'s owner with valid defaults; keyword arguments override."""

    def do(actor=None, **kw):
        data = {"unit_id": units[0].id, "party_id": owner.id, "channel": "phone", "summary": "楼道灯不亮",
                "content": "三楼楼道灯坏了一周"} | kw
        return services.register_complaint(session, actor or clerk, data, now=kw.pop("now", None))

    return do


@pytest.fixture
def walk(session, supervisor):
    """Take a complaint through ``steps`` (names) with valid data, as ``actor`` (default the supervisor)."""
    data = {"acknowledge": {"category": "repairs", "department": "engineering"},
            "reply": {"investigation": "灯管老化", "reply": "已更换灯管", "corrective_action": "每周巡检楼道灯"},
            "verify": {"verification": "复查灯已亮", "satisfaction": "satisfied"},
            "reopen": {"comment": "业主不满意"}, "close_invalid": {"comment": "非物业责任"}}

    def do(complaint, *steps, actor=None):
        for name in steps:
            apply(session, complaint, name, actor or supervisor, **data.get(name, {}))
        return complaint

    return do
