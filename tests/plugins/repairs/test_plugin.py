"""The repairs plugin enabled with only its dependency (billing): it boots and its services work."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from core.intake import register_intake, route_intake
from core.models import Building, Estate, Unit
from core.seed import seed_all
from core.services.staff import create_staff
from core.testing import boot
from plugins.repairs import services


@pytest.fixture(scope="module")
def alone():
    return boot(enabled=["billing", "repairs"])


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


def test_boots_with_billing_only(alone):
    assert alone.order == ["billing", "repairs"]
    assert alone.manifests["repairs"].depends == ["billing"]
    assert "repairs.order" in alone.registry.workflows
    assert {p for p in alone.registry.permissions if p.startswith("repairs.")} == {
        "repairs.view", "repairs.register", "repairs.dispatch", "repairs.work", "repairs.quote", "repairs.confirm",
        "repairs.supervise", "repairs.categories", "repairs.attach"}
    assert alone.registry.tables_of("repairs") == ["repairs_categories", "repairs_orders"]


def test_a_call_becomes_an_order_alone(alone_session):
    s = alone_session
    seed_all(s, s.info["wuye"])
    estate = Estate(code="RAL", name="Alone")
    s.add(estate)
    s.flush()
    building = Building(estate_id=estate.id, code="1")
    s.add(building)
    s.flush()
    unit = Unit(estate_id=estate.id, building_id=building.id, room_no="1201")
    s.add(unit)
    s.flush()
    clerk = create_staff(s, "ral_clerk", "password123", roles=["cs_specialist"], estates=["RAL"],
                         allow_short_password=True)
    intake = register_intake(s, clerk, unit_id=unit.id, caller_name="李女士", caller_phone="13900000009",
                             channel="phone", category="repair", summary="插座不通电")
    order = route_intake(s, intake, clerk)
    assert isinstance(order, services.RepairOrder) and order.status == "received"
    assert (order.reporter_name, order.description) == ("李女士", "插座不通电")
