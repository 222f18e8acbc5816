"""Fixtures for the keys plugin's tests: an estate with owners, staff of the key roles, key sets,
loans and a custody agreement on a pinned business date; for the web tests, an estate whose staff
call the API with tokens."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core import business_date, utcnow
from core.models import Building, Estate, Party, RelationKind, Role, StaffUser, Unit, UnitRelation
from core.services.units import add_relation
from plugins.keys import services

DAY = dt.date(2026, 3, 10)  # the business date (业务日期) of tests that need "today" at the estate


@pytest.fixture
def estate(make_estate):
    return make_estate("KE", units=4)


@pytest.fixture
def units(session, estate):
    return list(session.scalars(select(Unit).where(Unit.estate_id == estate.id).order_by(Unit.id)))


@pytest.fixture
def owners(session, units):
    """One owner per unit since 2024-01-01 (王一 owns the first unit, ...)."""
    out = []
    for i, unit in enumerate(units):
        party = Party(name=f"王{'一二三四五六'[i]}", phone=f"1390000000{i}", id_number=f"32010119800101000{i}")
        session.add(party)
        session.flush()
        add_relation(session, unit, party, RelationKind.owner, start_on=dt.date(2024, 1, 1))
        out.append(party)
    return out


@pytest.fixture
def staff(seeded):
    """Factory: a staff member with roles and estates, without a password (argon2 is slow, and these
    tests never log in; ``make_actor`` is the same with a password)."""
    counter = {"n": 0}

    def make(*roles: str, estates=()):
        counter["n"] += 1
        found = list(seeded.scalars(select(Role).where(Role.name.in_(roles))))
        assert len(found) == len(roles), roles
        user = StaffUser(username=f"k{counter['n']}_{roles[0]}", full_name=f"{roles[0]} {counter['n']}",
                         roles=found, estates=list(estates))
        seeded.add(user)
        seeded.flush()
        return user

    return make


@pytest.fixture
def custodian(staff, estate):
    return staff("key_custodian", estates=[estate])


@pytest.fixture
def supervisor(staff, estate):
    return staff("cs_supervisor", estates=[estate])


@pytest.fixture
def outsider(staff, estate):
    """A security guard: works for the estate but holds no keys permission."""
    return staff("guard", estates=[estate])


@pytest.fixture
def make_key(session, custodian, units):
    """Factory: a key set of ``units[i]`` (or a given facility room) taken to ``status`` via the engine."""
    counter = {"n": 0}

    def make(unit_index: int | None = 0, *, room=None, sealed: bool = True, copies: int = 2, slot: str = ""):
        counter["n"] += 1
        unit = units[unit_index] if room is None else None
        ks = services.create_key_set(session, custodian, estate_id=(unit or room).estate_id,
                                     tag_no=f"T{counter['n']:03d}", unit_id=unit.id if unit else None,
                                     facility_room_id=room.id if room else None, copies=copies,
                                     cabinet_slot=slot or f"S{counter['n']:02d}", key_type="入户门")
        if sealed:
            services.receive_from_developer(session, custodian, ks)
        return ks

    return make


@pytest.fixture
def room(session, custodian, estate):
    return services.create_facility_room(session, custodian, estate_id=estate.id, name="1号配电房", kind="plant_room")


@pytest.fixture
def lend(custodian, supervisor):
    """Lend a sealed (office) key with valid defaults; keyword arguments override."""

    def do(session, key_set, actor=None, **kw):
        now = utcnow()
        args = {"borrower_name": "张师傅", "borrower_company": "工程部", "purpose": "maintenance",
                "approved_by_id": supervisor.id, "expected_return_at": now + dt.timedelta(hours=2)} | kw
        return services.lend_key(session, actor or custodian, key_set, **args)

    return do


@pytest.fixture
def today(session):
    """``DAY``, pinned as the session's business date: the services (is an agreement current? which
    month does an inventory count?) and the test agree on the day whatever the clock says, so the
    tests pass the same with the clock years ahead (WUYE_CLOCK_SHIFT_DAYS)."""
    with business_date(session, DAY):
        yield DAY


@pytest.fixture
def agreement(session, custodian, units, owners, today):
    """An active custody agreement for units[0] permitting repairs and inspection, from yesterday for 31 days."""
    return services.create_custody_agreement(
        session, custodian, unit_id=units[0].id, owner_id=owners[0].id, reason="travel",
        permitted_uses=["repairs", "inspection"], start_on=today - dt.timedelta(days=1),
        end_on=today + dt.timedelta(days=30), authorised_persons=[{"name": "王一", "relation": "本人"}])


# --- the web app: an estate with staff who sign in or call the API with a token -----------------

@pytest.fixture
def world(wuye, factory):
    """A committed estate WK with two owned units, a key custodian and a guard (API tokens for both)."""
    from core.seed import seed_all
    from core.services.staff import create_staff
    from core.web.tokens import create_token

    s = factory()
    seed_all(s, wuye)
    estate = Estate(code="WK", name="Web keys")
    s.add(estate)
    s.flush()
    building = Building(estate_id=estate.id, code="1")
    s.add(building)
    s.flush()
    units = [Unit(estate_id=estate.id, building_id=building.id, room_no=f"10{i}") for i in (1, 2)]
    owner, stranger = Party(name="吴九"), Party(name="郑十")
    s.add_all([*units, owner, stranger])
    s.flush()
    s.add(UnitRelation(unit_id=units[0].id, party_id=owner.id, kind=RelationKind.owner, start_on=dt.date(2024, 1, 1)))
    s.add(UnitRelation(unit_id=units[1].id, party_id=stranger.id, kind=RelationKind.owner,
                       start_on=dt.date(2024, 1, 1)))  # owns the other unit, so staff of the estate see him
    kc = create_staff(s, "web_kc", "kc-pass-123", roles=["key_custodian"], estates=["WK"])
    guard = create_staff(s, "web_guard", "guard-pass-1", roles=["guard"], estates=["WK"])
    sup = create_staff(s, "web_sup", "sup-pass-123", roles=["cs_supervisor"], estates=["WK"])  # approves loans
    tokens = {u.username: create_token(s, u.username, name="t")[1] for u in (kc, guard)}
    data = {"estate": estate.id, "units": [u.id for u in units], "owner": owner.id, "stranger": stranger.id,
            "kc": kc.id, "sup": sup.id, "tokens": tokens}
    s.commit()
    s.close()
    return data


@pytest.fixture
def api(app, world):
    """Call ``/api/v1/keys/<path>`` as ``user`` (default the key custodian) with a JSON body."""
    client = app.test_client()

    def call(method: str, path: str, user: str = "web_kc", **body):
        headers = {"Authorization": f"Bearer {world['tokens'][user]}"}
        return client.open(f"/api/v1/keys/{path}", method=method, json=body if method != "GET" else None,
                           headers=headers)

    return call


@pytest.fixture
def received_key(committed):
    """Factory for tests that really commit: ``received_key("JR", "J1", "gm_jobs")`` makes an estate with one
    unit, whose key set is received from the developer, and a general manager to approve loans;
    returns ``(key set id, approver id)``."""
    from core import as_system
    from core.seed import seed_roles

    def make(code: str, tag: str, approver_name: str) -> tuple[int, int]:
        with committed.session() as s:
            seed_roles(s, committed.registry)
            estate = Estate(code=code, name=f"Estate {code}")
            s.add(estate)
            s.flush()
            building = Building(estate_id=estate.id, code="1")
            s.add(building)
            s.flush()
            unit = Unit(estate_id=estate.id, building_id=building.id, room_no="101")
            approver = StaffUser(username=approver_name,
                                 roles=[s.scalar(select(Role).where(Role.name == "general_manager"))])
            s.add_all([unit, approver])
            s.flush()
            with as_system(s):
                ks = services.create_key_set(s, None, estate_id=estate.id, tag_no=tag, unit_id=unit.id)
                services.receive_from_developer(s, None, ks)
            return ks.id, approver.id

    return make
