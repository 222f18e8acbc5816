"""The developer's handover list, slots and the move-in notice (入伙通知书)."""

from __future__ import annotations

import datetime as dt

import pytest

from core import Conflict, PermissionDenied, ValidationError, WorkflowError
from core.models import UnitStatus
from plugins.move_in import services


def test_notice_opens_the_case_and_notifies_the_unit(mi):
    case = mi.notice(notice_sent_on=dt.date(2026, 3, 1), notice_received_on=dt.date(2026, 3, 3))
    assert case.number == "MI-2026-000001" and case.status == "notified"
    assert case.owner_id == mi.owner.id and case.estate_id == mi.a.id
    assert case.notified_by == dt.date(2026, 4, 3)  # one month after receipt (KF08 §4)
    assert mi.units[0].status == UnitStatus.notified


def test_month_arithmetic_keeps_month_ends():
    assert services.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert services.add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)


def test_notice_refusals(mi):
    with pytest.raises(ValidationError) as err:
        services.issue_notice(mi.session, mi.clerk, unit_id=mi.units[0].id, owner_id=mi.owner_b.id)
    assert err.value.field == "owner_id"
    with pytest.raises(ValidationError) as err:
        services.issue_notice(mi.session, mi.clerk, unit_id=mi.units[0].id, notice_sent_on=dt.date(2026, 3, 5),
                              notice_received_on=dt.date(2026, 3, 4))
    assert err.value.field == "notice_received_on"
    mi.notice()
    with pytest.raises(Conflict) as err:
        mi.notice()
    assert err.value.field == "unit_id" and "already has move-in case" in err.value.message


def test_a_clerk_of_another_estate_cannot_notify(mi):
    with pytest.raises((PermissionDenied, ValidationError)):
        services.issue_notice(mi.session, mi.clerk_b, unit_id=mi.units[0].id)
    assert mi.units[0].status == UnitStatus.not_delivered


def test_handover_list_and_slots(mi):
    batch = services.create_batch(mi.session, mi.clerk, estate_id=mi.a.id, name="一期 1栋", developer_name="某开发商",
                                  unit_ids=[u.id for u in mi.units], handed_over_on=dt.date(2026, 2, 20))
    assert batch.number == "MB-2026-000001" and [line.unit_id for line in batch.units] == [u.id for u in mi.units]
    with pytest.raises(ValidationError) as err:
        services.create_batch(mi.session, mi.clerk, estate_id=mi.a.id, name="错", unit_ids=[mi.unit_b.id])
    assert err.value.field == "unit_ids"
    start = dt.datetime(2026, 3, 12, 1, 0, tzinfo=dt.UTC)
    slot = services.create_slot(mi.session, mi.clerk, estate_id=mi.a.id, batch_id=batch.id, starts_at=start,
                                ends_at=start + dt.timedelta(hours=2), capacity=1)
    with pytest.raises(ValidationError) as err:
        services.create_slot(mi.session, mi.clerk, estate_id=mi.a.id, starts_at=start, ends_at=start)
    assert err.value.field == "ends_at"
    first, second = mi.notice(mi.units[0], batch_id=batch.id), mi.notice(mi.units[1], batch_id=batch.id)
    services.transition(mi.session, mi.clerk, first, "book", slot_id=slot.id)
    assert first.status == "booked" and first.slot_id == slot.id
    with pytest.raises(WorkflowError) as err:  # capacity 1: the slot is full
        services.transition(mi.session, mi.clerk, second, "book", slot_id=slot.id)
    assert "full" in str(err.value) and second.status == "notified"
