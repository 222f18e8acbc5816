"""Developer key handover: received, checked one by one, sealed; discrepancies listed (001 L147)."""

from __future__ import annotations

import pytest

from core import Conflict, PermissionDenied, ValidationError, WorkflowError, apply
from plugins.keys import services
from plugins.keys.models import BatchStatus, CheckResult, KeyStatus

from .snapshots import assert_unchanged, snapshot


@pytest.fixture
def batch(session, custodian, estate, units, room):
    lines = [{"tag_no": f"U-{i}", "unit_id": u.id, "copies": 3} for i, u in enumerate(units)]
    lines.append({"tag_no": "F-1", "facility_room_id": room.id, "copies": 2, "cabinet_slot": "A-01"})
    return services.receive_handover_batch(session, custodian, estate_id=estate.id, lines=lines, phase="一期",
                                           developer_name="开发商")


def test_receiving_registers_each_key_with_the_developer(session, batch, estate):
    assert batch.status == BatchStatus.received
    assert batch.number.startswith("KH-") and batch.number.endswith("-000001")
    assert [ln.key_set.tag_no for ln in batch.lines] == ["U-0", "U-1", "U-2", "U-3", "F-1"]
    assert all(ln.key_set.status == KeyStatus.with_developer and ln.result == CheckResult.pending
               for ln in batch.lines)
    assert batch.lines[-1].key_set.cabinet_slot == "A-01"


def test_check_one_by_one_then_seal_lists_discrepancies(session, custodian, batch):
    lines = batch.lines
    services.check_handover_line(session, custodian, lines[0], result="present")
    services.check_handover_line(session, custodian, lines[1], result="missing", remarks="开发商未找到")
    services.check_handover_line(session, custodian, lines[2], result="damaged", counted_copies=3,
                                 remarks="钥匙弯曲")
    services.check_handover_line(session, custodian, lines[3], result="present", counted_copies=2)
    assert batch.status == BatchStatus.received
    services.check_handover_line(session, custodian, lines[4], result="present")
    assert batch.status == BatchStatus.verified  # every key checked: verify applied by the engine
    found = services.seal_handover_batch(session, custodian, batch, seal_no="FT-0001")
    assert batch.status == BatchStatus.sealed and batch.seal_no == "FT-0001" and batch.sealed_at
    assert {d["tag_no"]: d["result"] for d in found} == {"U-1": "missing", "U-2": "damaged", "U-3": "present"}
    short = next(d for d in found if d["tag_no"] == "U-3")
    assert (short["expected_copies"], short["counted_copies"]) == (3, 2)
    status = {ln.key_set.tag_no: ln.key_set.status for ln in lines}
    assert status == {"U-0": "sealed", "U-1": "with_developer", "U-2": "sealed", "U-3": "sealed", "F-1": "sealed"}
    assert lines[3].key_set.copies == 2  # the register holds what was really received


def test_sealing_before_every_key_is_checked_is_refused(session, custodian, batch):
    services.check_handover_line(session, custodian, batch.lines[0], result="present")
    before = snapshot(session)
    with pytest.raises(Conflict) as exc:
        services.seal_handover_batch(session, custodian, batch, seal_no="FT-1")
    assert exc.value.field == "lines" and "U-1" in exc.value.message
    with pytest.raises(WorkflowError, match="applies only from"):
        apply(session, batch, "seal", custodian, seal_no="FT-1")
    with pytest.raises(WorkflowError, match="not yet checked"):
        apply(session, batch, "verify", custodian)
    assert_unchanged(session, before)


def _check_all(session, custodian, batch):
    for ln in batch.lines:
        services.check_handover_line(session, custodian, ln, result="present")


def test_seal_needs_a_seal_number_and_happens_once(session, custodian, batch):
    _check_all(session, custodian, batch)
    before = snapshot(session)
    with pytest.raises(ValidationError) as exc:
        services.seal_handover_batch(session, custodian, batch, seal_no="  ")
    assert exc.value.field == "seal_no"
    with pytest.raises(WorkflowError, match="seal number"):
        apply(session, batch, "seal", custodian)
    assert_unchanged(session, before)
    services.seal_handover_batch(session, custodian, batch, seal_no="FT-2")
    before = snapshot(session)
    with pytest.raises(Conflict, match="already sealed"):
        services.seal_handover_batch(session, custodian, batch, seal_no="FT-3")
    with pytest.raises(Conflict, match="sealed"):
        services.check_handover_line(session, custodian, batch.lines[0], result="missing")
    assert_unchanged(session, before)


def test_check_result_is_validated(session, custodian, batch):
    before = snapshot(session)
    line = batch.lines[0]
    for kwargs, field in (({"result": "pending"}, "result"), ({"result": "lost"}, "result"),
                          ({"result": "missing", "counted_copies": 1}, "counted_copies"),
                          ({"result": "present", "counted_copies": 0}, "counted_copies"),
                          ({"result": "present", "counted_copies": -1}, "counted_copies")):
        with pytest.raises(ValidationError) as exc:
            services.check_handover_line(session, custodian, line, **kwargs)
        assert exc.value.field == field
    assert_unchanged(session, before)


def test_receiving_refuses_bad_lists(session, custodian, estate, units, batch, outsider):
    before = snapshot(session)
    with pytest.raises(ValidationError) as exc:
        services.receive_handover_batch(session, custodian, estate_id=estate.id, lines=[])
    assert exc.value.field == "lines"
    twice = [{"tag_no": "N-1", "unit_id": units[0].id}, {"tag_no": "N-1", "unit_id": units[1].id}]
    with pytest.raises(ValidationError, match="twice"):
        services.receive_handover_batch(session, custodian, estate_id=estate.id, lines=twice)
    _check_all(session, custodian, batch)
    services.seal_handover_batch(session, custodian, batch, seal_no="FT-9")
    before = snapshot(session)
    with pytest.raises(Conflict, match="cannot be received again"):
        services.receive_handover_batch(session, custodian, estate_id=estate.id,
                                        lines=[{"tag_no": "U-0", "unit_id": units[0].id}])
    with pytest.raises(PermissionDenied):
        services.receive_handover_batch(session, outsider, estate_id=estate.id,
                                        lines=[{"tag_no": "N-2", "unit_id": units[0].id}])
    assert_unchanged(session, before)


def test_missing_key_can_come_in_a_later_batch(session, custodian, estate, units, batch):
    for ln in batch.lines:
        services.check_handover_line(session, custodian, ln, result="missing" if ln.key_set.tag_no == "U-1"
                                     else "present")
    services.seal_handover_batch(session, custodian, batch, seal_no="FT-1")
    later = services.receive_handover_batch(session, custodian, estate_id=estate.id,
                                            lines=[{"tag_no": "U-1", "unit_id": units[1].id, "copies": 3}])
    assert later.lines[0].key_set is batch.lines[1].key_set
    services.check_handover_line(session, custodian, later.lines[0], result="present")
    assert services.seal_handover_batch(session, custodian, later, seal_no="FT-2") == []
    assert batch.lines[1].key_set.status == KeyStatus.sealed
