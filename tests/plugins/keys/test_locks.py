"""Lost keys (挂失) and lock changes (换锁)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core import Conflict, PermissionDenied, ValidationError, WorkflowError, apply
from plugins.keys import services
from plugins.keys.models import KeyStatus, LoanStatus, LockChangeTask, TaskStatus

from .snapshots import assert_unchanged, snapshot


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
