"""The complaints plugin enabled alone (core only): it boots, declares what it should, and works;
its demo data builds."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import apply, as_system
from core.models import Building, Estate, Role, StaffUser, Unit
from core.seed import seed_all
from core.testing import boot
from plugins.complaints import services
from plugins.complaints.demo import build_demo
from plugins.complaints.models import Complaint

RECEIVED = dt.datetime(2026, 3, 9, 2, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def alone():
    return boot(enabled=["complaints"])


@pytest.fixture
def alone_session(alone, engine):
    conn = engine.connect()
    trans = conn.begin()
    s = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False, info={"wuye": alone})
    try:
        yield s
    finally:
        s.close()
        trans.rollback()
        conn.close()


def test_boots_with_core_only(alone):
    assert alone.order == ["complaints"] and alone.manifests["complaints"].depends == []
    assert set(alone.registry.workflows) == {"complaints.complaint"}
    assert {p for p in alone.registry.permissions if p.startswith("complaints.")} == {
        "complaints.view", "complaints.register", "complaints.handle", "complaints.verify", "complaints.reopen"}
    assert alone.registry.tables_of("complaints") == ["complaints_complaints"]


def test_services_work_alone(alone_session):
    s = alone_session
    seed_all(s, s.info["wuye"])
    estate = Estate(code="AL", name="Alone")
    s.add(estate)
    s.flush()
    building = Building(estate_id=estate.id, code="1")
    s.add(building)
    s.flush()
    unit = Unit(estate_id=estate.id, building_id=building.id, room_no="101")
    s.add(unit)
    s.flush()
    sup = StaffUser(username="alone_cs", roles=[s.scalar(select(Role).where(Role.name == "cs_supervisor"))],
                    estates=[estate])
    s.add(sup)
    s.flush()
    c = services.register_complaint(s, sup, {"unit_id": unit.id, "complainant_name": "孙八", "summary": "噪音",
                                             "received_at": RECEIVED}, now=RECEIVED)
    for step, data in (("acknowledge", {"category": "neighbour", "department": "customer_service"}),
                       ("investigate", {}), ("reply", {"investigation": "查实", "reply": "已协调"}),
                       ("verify", {"verification": "已复查", "satisfaction": "satisfied"}), ("close", {})):
        apply(s, c, step, sup, **data)
    assert c.status == "closed"
    stats = services.monthly_statistics(s, sup, 2026, 3)
    assert (stats["total"], stats["by_category"]["neighbour"], stats["by_estate"]) == (1, 1, {"AL": 1})


def test_demo_data(session, make_estate):
    estate = make_estate("CD", units=3)
    with as_system(session):
        assert build_demo(session, estate) == {"complaints": 3}
    rows = list(session.scalars(select(Complaint).where(Complaint.estate_id == estate.id).order_by(Complaint.id)))
    assert [r.status for r in rows] == ["received", "replied", "closed_invalid"]
