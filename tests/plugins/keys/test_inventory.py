"""The monthly key inventory (钥匙盘点) and its reminder job."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core import Conflict, PermissionDenied, ValidationError, WorkflowError, apply
from plugins.keys import services
from plugins.keys.jobs import monthly_inventory_reminder
from plugins.keys.models import CountResult, CountStatus, InventoryCount, KeyStatus

from .snapshots import assert_unchanged, snapshot


@pytest.fixture
def cabinet(session, custodian, make_key, lend, owners, agreement, room):
    """Five key sets: two sealed, one in custody, one lent, one issued to its owner."""
    a, b = make_key(room=room, slot="A-01"), make_key(1, slot="B-02")
    c = make_key(0, slot="B-01")
    services.take_into_custody(session, custodian, c)
    d = make_key(2, slot="B-03")
    lend(session, d)
    e = make_key(3, slot="B-04")
    services.issue_to_owner(session, custodian, e)
    return a, b, c, d, e


def test_inventory_discrepancies(session, custodian, estate, cabinet):
    a, b, c, d, e = cabinet
    count = services.open_inventory_count(session, custodian, estate_id=estate.id, period="2026-03")
    assert count.status == CountStatus.open and count.expected_count == 3
    assert {ln.tag_no: (ln.expected_in_cabinet, ln.result) for ln in count.lines} == {
        a.tag_no: (True, "pending"), b.tag_no: (True, "pending"), c.tag_no: (True, "pending"),
        d.tag_no: (False, "on_loan")}
    services.record_found(session, custodian, count, tag_no=a.tag_no, slot="A-01")
    services.record_found(session, custodian, count, tag_no=c.tag_no, slot="B-09")  # wrong slot
    services.record_found(session, custodian, count, tag_no=e.tag_no, slot="B-04")  # issued: should not be here
    services.record_found(session, custodian, count, tag_no="Q-999", slot="Z-01")  # not in the register
    before = snapshot(session)
    with pytest.raises(Conflict, match="already counted"):
        services.record_found(session, custodian, count, tag_no=a.tag_no, slot="A-01")
    with pytest.raises(ValidationError):
        services.record_found(session, custodian, count, tag_no=" ")
    assert_unchanged(session, before)
    report = services.close_inventory_count(session, custodian, count)
    assert report["missing"] == [b.tag_no]
    assert sorted(report["unexpected"]) == sorted([e.tag_no, "Q-999"])
    assert report["wrong_slot"] == [{"tag_no": c.tag_no, "expected_slot": "B-01", "found_slot": "B-09"}]
    assert report["on_loan"] == [d.tag_no]
    assert (report["expected"], report["found"], report["discrepancies"]) == (3, 4, 4)
    results = {ln.tag_no: ln.result for ln in count.lines}
    assert results[a.tag_no] == CountResult.ok and results["Q-999"] == CountResult.unexpected
    assert count.status == CountStatus.closed and count.closed_by_id == custodian.id
    assert b.status == KeyStatus.sealed  # a count reports; it never changes the register


def test_closed_count_and_duplicate_periods_are_refused(session, custodian, estate, cabinet, outsider):
    count = services.open_inventory_count(session, custodian, estate_id=estate.id, period="2026-04")
    before = snapshot(session)
    with pytest.raises(Conflict) as exc:
        services.open_inventory_count(session, custodian, estate_id=estate.id, period="2026-04")
    assert exc.value.field == "period"
    with pytest.raises(ValidationError) as exc:
        services.open_inventory_count(session, custodian, estate_id=estate.id, period="2026-13")
    assert exc.value.field == "period"
    with pytest.raises(PermissionDenied, match="keys.inventory"):
        services.open_inventory_count(session, outsider, estate_id=estate.id, period="2026-05")
    assert_unchanged(session, before)
    services.close_inventory_count(session, custodian, count)
    before = snapshot(session)
    with pytest.raises(Conflict):
        services.record_found(session, custodian, count, tag_no="X")
    with pytest.raises(Conflict, match="already closed"):
        services.close_inventory_count(session, custodian, count)
    with pytest.raises(WorkflowError):
        apply(session, count, "close", custodian)
    assert_unchanged(session, before)


def test_default_period_is_this_month_at_the_estate(session, custodian, estate, cabinet, today):
    count = services.open_inventory_count(session, custodian, estate_id=estate.id)
    assert count.period == today.strftime("%Y-%m")  # the business date's month
    # 20:00 UTC on 31 March is already 1 April at the estate (Asia/Shanghai)
    evening = dt.datetime(2026, 3, 31, 20, 0, tzinfo=dt.UTC)
    assert services.current_period(session, estate.id, evening) == "2026-04"


def test_monthly_reminder_opens_one_count_per_estate_and_month(session, estate, cabinet, make_estate):
    make_estate("NK", units=1)  # an estate without keys gets no count
    now = dt.datetime(2026, 3, 15, 1, 0, tzinfo=dt.UTC)  # the job is handed its time, as the runner does
    summary = monthly_inventory_reminder(session, now)
    period = services.current_period(session, estate.id, now)
    assert period == "2026-03"
    assert summary["opened"] == [{"estate_id": estate.id, "period": period}]
    counts = list(session.scalars(select(InventoryCount)))
    assert [(c.estate_id, c.period, c.opened_by_id) for c in counts] == [(estate.id, period, None)]
    assert monthly_inventory_reminder(session, now)["opened"] == []  # idempotent
    next_month = now + dt.timedelta(days=32)
    summary = monthly_inventory_reminder(session, next_month)
    assert summary["opened"][0]["period"] == services.current_period(session, estate.id, next_month)
    assert summary["still_open_from_earlier_months"] == [{"estate_id": estate.id, "period": period}]
