"""Deposits ledger (押金): hold, deduct (manager's approval, evidence, income with a receipt), refund
with a second person's approval, payee and method, reversal, over-refund refusal."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from plugins.billing import services as billing
from plugins.billing.models import DepositEntry, Receipt

REF = "renovation:inspection:3"  # the record proving a deduction (evidence)

SRC = "renovation:application:12"


@pytest.fixture
def held(bt):
    entry = billing.hold_deposit(
        bt.session,
        bt.cashier,
        unit=bt.units["101"],
        amount_fen=200000,
        source=SRC,
        method="transfer",
        reason="装修押金",
    )
    bt.entry = entry
    return bt


def test_hold_issues_a_receipt_and_sets_the_balance(held):
    s = held.session
    assert held.entry.kind == "hold" and held.entry.receipt_no.startswith("RC-")
    assert s.scalar(select(Receipt.amount_fen).where(Receipt.deposit_entry_id == held.entry.id)) == 200000
    assert billing.deposit_balance_fen(s, source=SRC) == 200000
    billing.hold_deposit(s, held.cashier, unit=held.units["101"], amount_fen=50000, source=SRC)  # top-up
    assert billing.deposit_balance_fen(s, source=SRC) == 250000
    assert billing.deposit_balance_fen(s, source="nothing") == 0


def test_deduct_needs_a_reason_and_stays_within_the_balance(held):
    s = held.session
    ok = {"approved_by": held.manager, "evidence_ref": REF}
    with pytest.raises(ValidationError) as err:
        billing.deduct_deposit(s, held.cashier, source=SRC, amount_fen=1000, reason="  ", **ok)
    assert err.value.field == "reason"
    with pytest.raises(ValidationError) as err:
        billing.deduct_deposit(s, held.cashier, source=SRC, amount_fen=200001, reason="damage", **ok)
    assert err.value.field == "amount_fen"
    billing.deduct_deposit(s, held.cashier, source=SRC, amount_fen=30000, reason="损坏公共墙面", **ok)
    assert billing.deposit_balance_fen(s, source=SRC) == 170000
    with pytest.raises(NotFound):
        billing.deduct_deposit(s, held.cashier, source="other:x:1", amount_fen=1, reason="x", **ok)


def test_refund_needs_a_second_person_with_the_permission(held):
    s = held.session
    with pytest.raises(PermissionDenied):
        billing.refund_deposit(s, held.cashier, source=SRC)
    with pytest.raises(PermissionDenied):
        billing.refund_deposit(s, held.cashier, source=SRC, approved_by=held.cashier2)
    with pytest.raises(Conflict):
        billing.refund_deposit(s, held.manager, source=SRC, approved_by=held.manager)
    assert billing.deposit_balance_fen(s, source=SRC) == 200000


def test_partial_then_full_refund_and_over_refund_refused(held):
    s = held.session
    billing.deduct_deposit(s, held.cashier, source=SRC, amount_fen=30000, reason="违规施工罚款",
                           approved_by=held.manager, evidence_ref=REF)
    with pytest.raises(ValidationError) as err:
        billing.refund_deposit(s, held.cashier, source=SRC, amount_fen=170001, approved_by=held.manager)
    assert err.value.field == "amount_fen"
    part = billing.refund_deposit(s, held.cashier, source=SRC, amount_fen=70000, approved_by=held.manager)
    assert part.approved_by_id == held.manager.id and part.kind == "refund"
    rest = billing.refund_deposit(s, held.cashier, source=SRC, approved_by=held.manager)
    assert rest.amount_fen == 100000 and billing.deposit_balance_fen(s, source=SRC) == 0
    with pytest.raises(Conflict):
        billing.refund_deposit(s, held.cashier, source=SRC, approved_by=held.manager)
    kinds = [
        e.kind
        for e in s.scalars(select(DepositEntry).where(DepositEntry.source == SRC).order_by(DepositEntry.id))
    ]
    assert kinds == ["hold", "deduct", "refund", "refund"]


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"amount_fen": 0}, "amount_fen"),
        ({"amount_fen": -100}, "amount_fen"),
        ({"amount_fen": 99.5}, "amount_fen"),
        ({"method": "prepaid"}, "method"),
        ({"source": ""}, "source"),
    ],
)
def test_bad_hold_writes_nothing(bt, kw, field):
    s = bt.session
    args = {"unit": bt.units["101"], "amount_fen": 1000, "source": SRC, **kw}
    with pytest.raises(ValidationError) as err:
        billing.hold_deposit(s, bt.cashier, **args)
    assert err.value.field == field
    assert s.scalar(select(func.count(DepositEntry.id))) == 0
