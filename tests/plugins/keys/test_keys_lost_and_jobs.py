"""Lost keys and lock changes; the scheduled job keys.overdue_returns."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.db import utcnow
from core.errors import Conflict, PermissionDenied, ValidationError, WorkflowError
from core.workflow import apply
from plugins.keys import services
from plugins.keys.jobs import jobs, overdue_returns
from plugins.keys.models import KeyLoan, KeyStatus, LoanStatus, LockChangeTask, TaskStatus

from .helpers import assert_unchanged, snapshot


def test_reporting_a_sealed_key_lost_opens_a_lock_change(session, custodian, make_key):
    ks = make_key(0)
    task = services.report_lost(session, custodian, ks, description="钥匙柜盘点发现丢失")
    assert ks.status == KeyStatus.lost
    assert task.status == TaskStatus.open and task.key_set_id == ks.id and task.loan_id is None
    assert task.number.startswith("LC-") and task.reported_by_id == custodian.id
    services.complete_lock_change(session, custodian, task, new_copies=3, note="已换锁芯")
    assert task.status == TaskStatus.done and task.new_copies == 3 and task.done_by_id == custodian.id
    assert ks.status == KeyStatus.sealed and ks.copies == 3  # new keys sealed in the office


def test_a_key_lost_while_lent_closes_its_loan(session, custodian, make_key, lend):
    ks = make_key(0)
    loan = lend(session, ks)
    task = services.report_lost(session, custodian, ks, description="借用人遗失")
    assert loan.status == LoanStatus.lost and task.loan_id == loan.id
    assert services.open_loan(session, ks) is None
    before = snapshot(session)
    with pytest.raises(Conflict, match="not out on loan"):
        services.return_key(session, custodian, ks)
    assert_unchanged(session, before)


def test_report_lost_refusals(session, custodian, make_key, outsider):
    ks, unsealed = make_key(0), make_key(1, sealed=False)
    before = snapshot(session)
    with pytest.raises(ValidationError) as exc:
        services.report_lost(session, custodian, ks, description="")
    assert exc.value.field == "description"
    with pytest.raises(WorkflowError, match="comment"):
        apply(session, ks, "report_lost", custodian)
    with pytest.raises(Conflict, match="with_developer"):
        services.report_lost(session, custodian, unsealed, description="x")
    with pytest.raises(PermissionDenied, match="keys.report_lost"):
        services.report_lost(session, outsider, ks, description="x")
    assert_unchanged(session, before)
    services.report_lost(session, custodian, ks, description="丢失")
    before = snapshot(session)
    with pytest.raises(Conflict, match="'lost'"):
        services.report_lost(session, custodian, ks, description="again")
    assert_unchanged(session, before)


def test_lock_change_refusals_and_cancel(session, custodian, make_key):
    ks = make_key(0)
    task = services.report_lost(session, custodian, ks, description="丢失")
    before = snapshot(session)
    for bad in (0, -1, None, True):
        with pytest.raises(ValidationError) as exc:
            services.complete_lock_change(session, custodian, task, new_copies=bad)
        assert exc.value.field == "new_copies"
    with pytest.raises(WorkflowError, match="new_copies"):
        apply(session, task, "complete", custodian)
    with pytest.raises(ValidationError) as exc:
        services.cancel_lock_change(session, custodian, task, note="")
    assert exc.value.field == "note"
    assert_unchanged(session, before)
    services.cancel_lock_change(session, custodian, task, note="钥匙已找到")
    assert task.status == TaskStatus.cancelled and ks.status == KeyStatus.lost
    assert task.done_note == "钥匙已找到" and task.done_by_id == custodian.id
    before = snapshot(session)
    with pytest.raises(Conflict, match="already cancelled"):
        services.complete_lock_change(session, custodian, task, new_copies=2)
    with pytest.raises(Conflict, match="already cancelled"):
        services.cancel_lock_change(session, custodian, task, note="x")
    assert_unchanged(session, before)
    services.seal_key_set(session, custodian, ks, comment="钥匙找到")  # found: back under seal
    assert ks.status == KeyStatus.sealed


def test_lost_key_can_be_destroyed(session, custodian, make_key):
    ks = make_key(0)
    services.report_lost(session, custodian, ks, description="丢失")
    services.destroy_key_set(session, custodian, ks, reason="作废")
    assert ks.status == KeyStatus.destroyed
    assert session.scalar(select(LockChangeTask.status).where(LockChangeTask.key_set_id == ks.id)) == TaskStatus.open


# --- overdue job --------------------------------------------------------------------------------

def test_overdue_job_flags_loans_past_their_expected_return(session, custodian, make_key, lend):
    now = utcnow()
    late, on_time, back = make_key(0), make_key(1), make_key(2)
    late_loan = lend(session, late, issued_at=now - dt.timedelta(hours=5),
                     expected_return_at=now - dt.timedelta(hours=1))
    on_time_loan = lend(session, on_time, expected_return_at=now + dt.timedelta(hours=1))
    lend(session, back, issued_at=now - dt.timedelta(hours=5), expected_return_at=now - dt.timedelta(hours=2))
    services.return_key(session, custodian, back)
    summary = overdue_returns(session, now)
    assert summary == {"overdue": 1, "flagged": 1, "newly_flagged": [late_loan.number]}
    assert late_loan.flagged_overdue_at == now and on_time_loan.flagged_overdue_at is None
    assert late_loan.is_overdue and not on_time_loan.is_overdue
    assert services.overdue_loans(session, late.estate_id) == [late_loan]
    again = overdue_returns(session, now + dt.timedelta(minutes=15))
    assert again == {"overdue": 1, "flagged": 0, "newly_flagged": []}
    assert late_loan.flagged_overdue_at == now  # flagged once
    later = overdue_returns(session, now + dt.timedelta(hours=2))
    assert later["newly_flagged"] == [on_time_loan.number]


def test_overdue_grace_from_the_settings(session, custodian, make_key, lend, wuye, monkeypatch):
    now = utcnow()
    loan = lend(session, make_key(0), issued_at=now - dt.timedelta(hours=1),
                expected_return_at=now - dt.timedelta(minutes=10))
    monkeypatch.setitem(wuye.registry.plugin_settings, "keys", {"overdue_grace_minutes": 30,
                                                                "escort_required_for_custody_keys": True})
    assert overdue_returns(session, now)["flagged"] == 0
    assert overdue_returns(session, now + dt.timedelta(minutes=21))["newly_flagged"] == [loan.number]


def test_jobs_are_registered_with_valid_schedules(wuye):
    from core.jobs import parse_schedule

    found = {j.name: j for j in jobs()}
    assert set(found) == {"keys.overdue_returns", "keys.monthly_inventory_reminder"}
    assert parse_schedule(found["keys.overdue_returns"].schedule) == ("minute", 15)
    assert wuye.registry.jobs["keys.overdue_returns"].func is overdue_returns


def test_overdue_job_through_the_job_runner(committed):
    """``wuye jobs run keys.overdue_returns``: its own transaction, a system session, a recorded run."""
    from core.jobs import run_job
    from core.models import Building, Estate, Role, StaffUser, Unit
    from core.seed import seed_roles
    from core import as_system

    wuye, now = committed, utcnow()
    with wuye.session() as s:
        seed_roles(s, wuye.registry)
        estate = Estate(code="JR", name="Job estate")
        s.add(estate)
        s.flush()
        building = Building(estate_id=estate.id, code="1")
        s.add(building)
        s.flush()
        unit = Unit(estate_id=estate.id, building_id=building.id, room_no="101")
        approver = StaffUser(username="gm_jobs", roles=[s.scalar(select(Role).where(Role.name == "general_manager"))])
        s.add_all([unit, approver])
        s.flush()
        with as_system(s):
            ks = services.create_key_set(s, None, estate_id=estate.id, tag_no="J1", unit_id=unit.id)
            services.receive_from_developer(s, None, ks)
            number = services.lend_key(s, None, ks, borrower_name="x", purpose="maintenance",
                                       approved_by_id=approver.id, issued_at=now - dt.timedelta(hours=3),
                                       expected_return_at=now - dt.timedelta(hours=1)).number
    result = run_job(wuye, wuye.registry.jobs["keys.overdue_returns"], now)
    assert result["ok"], result["error"]
    assert result["summary"] == {"overdue": 1, "flagged": 1, "newly_flagged": [number]}
    with wuye.session() as s:
        assert s.scalar(select(KeyLoan.flagged_overdue_at).where(KeyLoan.number == number)) is not None
