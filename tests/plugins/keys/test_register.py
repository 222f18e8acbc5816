"""The key register: key sets, facility rooms, engine-only status, seal / destroy / receive."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core import Conflict, PermissionDenied, ValidationError, WorkflowError
from core.models.workflow import WorkflowHistory
from core.workflow import apply, history
from plugins.keys import services
from plugins.keys.models import KeySet, KeyStatus

from .snapshots import assert_unchanged, snapshot


def test_key_set_for_a_unit_starts_with_the_developer(session, custodian, units, estate):
    ks = services.create_key_set(session, custodian, estate_id=estate.id, tag_no="A-001", unit_id=units[0].id,
                                 copies=3, cabinet_slot="B-01")
    assert ks.status == KeyStatus.with_developer
    assert ks.place == units[0].label
    assert str(ks) == f"A-001 ({units[0].label})"


def test_key_set_for_a_facility_room(session, custodian, room):
    ks = services.create_key_set(session, custodian, estate_id=room.estate_id, tag_no="F-1", facility_room_id=room.id)
    assert ks.place == "1号配电房" and ks.unit_id is None


@pytest.mark.parametrize("which", ["both", "neither"])
def test_key_set_needs_exactly_one_place(session, custodian, units, room, estate, which):
    before = snapshot(session)
    kw = {"unit_id": units[0].id, "facility_room_id": room.id} if which == "both" else {}
    with pytest.raises(ValidationError) as exc:
        services.create_key_set(session, custodian, estate_id=estate.id, tag_no="X", **kw)
    assert exc.value.field == "unit_id"
    assert_unchanged(session, before)


def test_the_database_also_refuses_a_key_set_with_two_places(session, units, room, estate):
    from sqlalchemy.exc import IntegrityError

    session.add(KeySet(estate_id=estate.id, tag_no="Z", unit_id=units[0].id, facility_room_id=room.id))
    with pytest.raises(IntegrityError), session.begin_nested():
        session.flush()


def test_tag_number_is_unique_per_estate(session, custodian, units, estate, make_estate, staff):
    services.create_key_set(session, custodian, estate_id=estate.id, tag_no="A-1", unit_id=units[0].id)
    before = snapshot(session)
    with pytest.raises(Conflict) as exc:
        services.create_key_set(session, custodian, estate_id=estate.id, tag_no="A-1", unit_id=units[1].id)
    assert exc.value.field == "tag_no" and "A-1" in exc.value.message
    assert_unchanged(session, before)
    other = make_estate("OT", units=1)
    other_unit = other.buildings[0].units[0]
    gm = staff("general_manager")
    assert services.create_key_set(session, gm, estate_id=other.id, tag_no="A-1", unit_id=other_unit.id).id


def test_unit_of_another_estate_is_refused(session, custodian, estate, make_estate):
    other = make_estate("OT2", units=1)
    before = snapshot(session)
    with pytest.raises(ValidationError) as exc:
        services.create_key_set(session, custodian, estate_id=estate.id, tag_no="A",
                                unit_id=other.buildings[0].units[0].id)
    assert exc.value.field == "unit_id"
    assert_unchanged(session, before)


def test_creating_needs_keys_manage_and_the_estate(session, outsider, estate, units, make_estate, staff):
    before = snapshot(session)
    with pytest.raises(PermissionDenied, match="keys.manage"):
        services.create_key_set(session, outsider, estate_id=estate.id, tag_no="A", unit_id=units[0].id)
    elsewhere = staff("key_custodian", estates=[make_estate("EL", units=1)])
    with pytest.raises(PermissionDenied, match="does not work for estate"):
        services.create_key_set(session, elsewhere, estate_id=estate.id, tag_no="A", unit_id=units[0].id)
    assert_unchanged(session, before)


def test_status_cannot_be_assigned_directly(session, make_key):
    ks = make_key(0)
    ks.status = KeyStatus.lent
    with pytest.raises(WorkflowError, match="managed by workflow 'keys.key_set'"):
        session.flush()
    session.rollback()


def test_update_refuses_status_and_checks_tag(session, custodian, make_key):
    ks, other = make_key(0), make_key(1)
    before = snapshot(session)
    with pytest.raises(ValidationError) as exc:
        services.update_key_set(session, custodian, ks, status="lent")
    assert exc.value.field == "status" and "transition" in exc.value.message
    with pytest.raises(Conflict):
        services.update_key_set(session, custodian, ks, tag_no=other.tag_no)
    with pytest.raises(ValidationError):
        services.update_key_set(session, custodian, ks, copies=0)
    assert_unchanged(session, before)
    services.update_key_set(session, custodian, ks, cabinet_slot="C-09", copies=4)
    assert (ks.cabinet_slot, ks.copies) == ("C-09", 4)


def test_receive_from_developer_seals_and_writes_history(session, custodian, make_key):
    ks = make_key(0, sealed=False)
    services.receive_from_developer(session, custodian, ks, copies=5)
    assert ks.status == KeyStatus.sealed and ks.copies == 5
    rows = history(session, ks)
    assert [(h.transition, h.from_state, h.to_state, h.actor_id) for h in rows] == [
        ("receive_from_developer", "with_developer", "sealed", custodian.id)]
    before = snapshot(session)
    with pytest.raises(Conflict, match="'sealed'"):
        services.receive_from_developer(session, custodian, ks)
    assert_unchanged(session, before)


def test_seal_from_issued_to_owner(session, custodian, make_key, owners):
    ks = make_key(0)
    services.issue_to_owner(session, custodian, ks)
    before = snapshot(session)
    with pytest.raises(ValidationError) as exc:
        services.seal_key_set(session, custodian, ks, comment=" ")
    assert exc.value.field == "comment"
    assert_unchanged(session, before)
    services.seal_key_set(session, custodian, ks, comment="业主退房交回钥匙")
    assert ks.status == KeyStatus.sealed and ks.holder_party_id is None


def test_seal_refused_from_sealed(session, custodian, make_key):
    ks = make_key(0)
    before = snapshot(session)
    with pytest.raises(Conflict) as exc:
        services.seal_key_set(session, custodian, ks, comment="again")
    assert exc.value.field == "status"
    with pytest.raises(WorkflowError, match="applies only from"):
        apply(session, ks, "seal", custodian, comment="again")
    assert_unchanged(session, before)


def test_destroy_is_final_and_needs_a_reason(session, custodian, make_key, lend):
    ks = make_key(0)
    before = snapshot(session)
    with pytest.raises(ValidationError) as exc:
        services.destroy_key_set(session, custodian, ks, reason="")
    assert exc.value.field == "reason"
    with pytest.raises(WorkflowError, match="comment"):
        apply(session, ks, "destroy", custodian)
    assert_unchanged(session, before)
    services.destroy_key_set(session, custodian, ks, reason="换锁后旧钥匙销毁")
    assert ks.status == KeyStatus.destroyed
    lent = make_key(1)
    lend(session, lent)
    before = snapshot(session)
    with pytest.raises(Conflict):
        services.destroy_key_set(session, custodian, lent, reason="x")
    with pytest.raises(Conflict):
        services.receive_from_developer(session, custodian, ks)
    assert_unchanged(session, before)


def test_transition_needs_its_permission(session, outsider, make_key):
    ks = make_key(0, sealed=False)
    before = snapshot(session)
    with pytest.raises(PermissionDenied):
        apply(session, ks, "receive_from_developer", outsider)
    with pytest.raises(PermissionDenied):
        services.receive_from_developer(session, outsider, ks)
    assert_unchanged(session, before)
    assert session.scalar(select(WorkflowHistory.id).where(WorkflowHistory.record_id == ks.id)) is None


def test_facility_room_name_is_unique_and_kind_checked(session, custodian, room, estate):
    before = snapshot(session)
    with pytest.raises(Conflict):
        services.create_facility_room(session, custodian, estate_id=estate.id, name="1号配电房")
    with pytest.raises(ValidationError) as exc:
        services.create_facility_room(session, custodian, estate_id=estate.id, name="X", kind="garage")
    assert exc.value.field == "kind"
    with pytest.raises(ValidationError):
        services.create_facility_room(session, custodian, estate_id=estate.id, name=" ")
    assert_unchanged(session, before)
    cctv = services.create_facility_room(session, custodian, estate_id=estate.id, name="监控室", kind="cctv_room",
                                         responsible_staff_id=custodian.id)
    assert cctv.kind == "cctv_room" and cctv.responsible_staff_id == custodian.id
