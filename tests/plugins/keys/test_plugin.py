"""The keys plugin enabled alone (core only): it boots and its services work."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import utcnow
from core.models import Building, Estate, Party, RelationKind, Role, StaffUser, Unit
from core.seed import seed_all
from core.services.units import add_relation
from core.testing import boot
from core.workflow import allowed_transitions, history
from plugins.keys import services
from plugins.keys.models import KeyStatus


@pytest.fixture(scope="module")
def alone():
    return boot(enabled=["keys"])


@pytest.fixture
def alone_session(alone, engine):
    """A rolled-back session on the test database that belongs to the keys-only instance."""
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
    assert alone.order == ["keys"]
    assert alone.manifests["keys"].depends == [] and alone.manifests["keys"].chapter == "KF18"
    assert set(alone.registry.workflows) == {"keys.key_set", "keys.handover_batch", "keys.custody_agreement",
                                             "keys.lock_change", "keys.inventory_count"}
    assert {p for p in alone.registry.permissions if p.startswith("keys.")} == {
        "keys.view", "keys.manage", "keys.lend", "keys.approve_loan", "keys.return", "keys.custody",
        "keys.inventory", "keys.report_lost"}
    assert alone.registry.tables_of("keys") == sorted([
        "keys_custody_agreements", "keys_facility_rooms", "keys_handover_batches", "keys_handover_lines",
        "keys_inventory_counts", "keys_inventory_lines", "keys_key_sets", "keys_loans", "keys_lock_change_tasks"])
    assert alone.settings("keys") == {"overdue_grace_minutes": 0, "escort_required_for_custody_keys": True}


def test_services_work_against_the_test_session(alone_session):
    s = alone_session
    seed_all(s, alone_session.info["wuye"])
    estate = Estate(code="AL", name="Alone")
    s.add(estate)
    s.flush()
    building = Building(estate_id=estate.id, code="1")
    s.add(building)
    s.flush()
    unit = Unit(estate_id=estate.id, building_id=building.id, room_no="101")
    owner = Party(name="孙八")
    s.add_all([unit, owner])
    s.flush()
    add_relation(s, unit, owner, RelationKind.owner, start_on=dt.date(2024, 1, 1))
    role = s.scalar(select(Role).where(Role.name == "key_custodian"))
    custodian = StaffUser(username="alone_kc", roles=[role], estates=[estate])
    approver = StaffUser(username="alone_kc2", roles=[role], estates=[estate])  # never the lender himself
    s.add_all([custodian, approver])
    s.flush()

    ks = services.create_key_set(s, custodian, estate_id=estate.id, tag_no="AL-1", unit_id=unit.id, copies=2)
    services.receive_from_developer(s, custodian, ks)
    assert {t.name for t in allowed_transitions(s, ks, custodian)} >= {"issue_to_owner", "lend", "report_lost"}
    loan = services.lend_key(s, custodian, ks, borrower_name="周师傅", purpose="repairs", approved_by_id=approver.id,
                             expected_return_at=utcnow() + dt.timedelta(hours=1))
    services.return_key(s, custodian, ks)
    services.take_spare_into_custody(s, custodian, ks, owner_id=owner.id, permitted_uses=["repairs"])
    assert ks.status == KeyStatus.in_custody and loan.status == "returned"
    assert [h.transition for h in history(s, ks)] == ["receive_from_developer", "lend", "return",
                                                      "take_into_custody"]
