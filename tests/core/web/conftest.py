"""Web fixtures: two estates with staff, logins and tokens for the app of ``tests/conftest.py``, whose
requests share one connection rolled back after each test (``conn``, ``factory``, ``app`` live there so
plugin tests use the same app)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from core.models import Building, Estate, Party, RelationKind, Role, StaffUser, Unit, UnitRelation, UnitStatus


def _estate(s: Session, code: str, units: int = 4) -> Estate:
    estate = Estate(code=code, name=f"Estate {code}")
    s.add(estate)
    s.flush()
    building = Building(estate_id=estate.id, code="1", name="1栋")
    s.add(building)
    s.flush()
    for i in range(units):
        unit = Unit(estate_id=estate.id, building_id=building.id, floor=1, room_no=f"10{i + 1}",
                    built_area=Decimal("100.00"), interior_area=Decimal("80.00"), status=UnitStatus.occupied)
        s.add(unit)
        s.flush()
        party = Party(name=f"{code}业主{i + 1}", phone=f"1391234{i:04d}", id_number=f"32010219900101{i:04d}")
        s.add(party)
        s.flush()
        s.add(UnitRelation(unit_id=unit.id, party_id=party.id, kind=RelationKind.owner,
                           start_on=dt.date(2024, 1, 1)))
    s.flush()
    return estate


PASSWORDS = {"admin": "admin-pass-1", "cs_a": "cs-pass-123", "guard_a": "guard-pass-1", "clerk_a": "clerk-pass-1"}


def cheap_hash(password: str) -> str:
    """An argon2 hash with tiny cost parameters: verified by the real code (parameters travel in the
    hash) in milliseconds instead of the production cost of most of a second."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=64, parallelism=1).hash(password)


@pytest.fixture
def world(wuye, factory):
    """Two estates (A, B) and staff: admin (all estates), cs_a (customer service of A), guard_a, clerk_a."""
    from core.seed import seed_all

    s = factory()
    seed_all(s, wuye)
    a, b = _estate(s, "A"), _estate(s, "B")
    roles = {r.name: r for r in s.query(Role)}
    spec = {"admin": ("general_manager", []), "cs_a": ("cs_specialist", [a]), "guard_a": ("guard", [a]),
            "clerk_a": ("clerk", [a])}
    users = {}
    for name, (role, estates) in spec.items():
        users[name] = StaffUser(username=name, full_name=name, password_hash=cheap_hash(PASSWORDS[name]),
                                roles=[roles[role]], estates=estates)
        s.add(users[name])
    s.flush()
    data = {"a": a.id, "b": b.id, "users": {k: u.id for k, u in users.items()},
            "passwords": PASSWORDS,
            "units_a": [u.id for u in s.query(Unit).filter(Unit.estate_id == a.id).order_by(Unit.id)],
            "units_b": [u.id for u in s.query(Unit).filter(Unit.estate_id == b.id).order_by(Unit.id)]}
    s.commit()
    s.close()
    return data


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_of(html: str) -> str:
    m = CSRF_RE.search(html)
    assert m, "no CSRF token in the page"
    return m.group(1) or m.group(2)


def login(client, username: str, password: str):
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_of(page.text),
                                       "next": ""})


@pytest.fixture
def client_as(app, world):
    """``client_as("cs_a")``: a test client logged in as that user."""

    def make(username: str):
        c = app.test_client()
        r = login(c, username, world["passwords"][username])
        assert r.status_code == 302, r.text[:500]
        return c

    return make


@pytest.fixture
def token_for(world, factory):
    from core.web.tokens import create_token

    def make(username: str, **kw) -> str:
        s = factory()
        _row, clear = create_token(s, username, name="test", **kw)
        s.commit()
        s.close()
        return clear

    return make


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}
