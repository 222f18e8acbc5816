"""Deposit rules (issue 16 part 4): a deduction needs the manager's approval and evidence and is income
with a receipt; an entry can be reversed; a refund records payee and method."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import func, select

from core import list_attachments
from core.errors import Conflict, PermissionDenied, ValidationError
from plugins.billing import services as billing
from plugins.billing.deposits import deposit_income_fen, reverse_deposit_entry
from plugins.billing.models import DepositEntry, Receipt

SRC = "renovation:application:77"


def png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def held(bt):
    bt.entry = billing.hold_deposit(bt.session, bt.cashier, unit=bt.units["101"], amount_fen=200000, source=SRC,
                                    method="wechat")
    return bt


def entries(s):
    return s.scalar(select(func.count(DepositEntry.id)).where(DepositEntry.source == SRC))


def test_a_deduction_needs_the_managers_approval_and_evidence(held):
    s = held.session
    with pytest.raises(ValidationError) as err:  # no evidence
        billing.deduct_deposit(s, held.cashier, source=SRC, amount_fen=30000, reason="损坏墙面",
                               approved_by=held.manager)
    assert err.value.field == "evidence"
    with pytest.raises(PermissionDenied):  # no approval
        billing.deduct_deposit(s, held.cashier, source=SRC, amount_fen=30000, reason="损坏墙面", evidence_ref="x:1")
    with pytest.raises(PermissionDenied):  # a cashier cannot approve
        billing.deduct_deposit(s, held.cashier, source=SRC, amount_fen=30000, reason="损坏墙面", evidence_ref="x:1",
                               approved_by=held.cashier2)
    with pytest.raises(Conflict):  # the manager cannot approve their own deduction
        billing.deduct_deposit(s, held.manager, source=SRC, amount_fen=30000, reason="损坏墙面", evidence_ref="x:1",
                               approved_by=held.manager)
    with pytest.raises(ValidationError) as err:  # not a file
        billing.deduct_deposit(s, held.cashier, source=SRC, amount_fen=30000, reason="损坏墙面",
                               approved_by=held.manager, evidence=[("wall.png", b"not an image")])
    assert err.value.field == "evidence"
    assert entries(s) == 1 and billing.deposit_balance_fen(s, source=SRC) == 200000  # nothing written


def test_a_deduction_is_income_with_a_receipt_and_its_evidence_attached(held):
    s = held.session
    entry = billing.deduct_deposit(s, held.cashier, source=SRC, amount_fen=30000, reason="损坏公共墙面",
                                   approved_by=held.manager, evidence=[("墙面.png", png())])
    assert (entry.kind, entry.approved_by_id) == ("deduct", held.manager.id)
    assert entry.receipt_no.startswith("RC-")
    receipt = s.scalar(select(Receipt).where(Receipt.deposit_entry_id == entry.id))
    assert (receipt.amount_fen, receipt.number) == (30000, entry.receipt_no)
    [att] = list_attachments(s, entry)
    assert att.filename == "墙面.png"
    day = receipt.issued_on
    assert deposit_income_fen(s, held.estate, day, day) == 30000  # 300.00 kept as income
    assert billing.deposit_balance_fen(s, source=SRC) == 170000  # 2000.00 - 300.00


def test_reversals_undo_their_entry(held):
    s = held.session
    deduct = billing.deduct_deposit(s, held.cashier, source=SRC, amount_fen=30000, reason="误扣",
                                    approved_by=held.manager, evidence_ref="renovation:inspection:1")
    with pytest.raises(PermissionDenied):
        reverse_deposit_entry(s, held.cashier, deduct, reason="扣错了")  # needs billing.reverse
    with pytest.raises(ValidationError):
        reverse_deposit_entry(s, held.finance, deduct, reason=" ")
    with pytest.raises(Conflict):  # 1700.00 left, the hold was 2000.00: reverse the deduction first
        reverse_deposit_entry(s, held.finance, held.entry, reason="收错房号")
    rev = reverse_deposit_entry(s, held.finance, deduct, reason="扣错了")
    assert (rev.kind, rev.reverses_id, rev.amount_fen) == ("reversal", deduct.id, 30000)
    assert billing.deposit_balance_fen(s, source=SRC) == 200000  # 1700.00 + 300.00 back
    day = s.scalar(select(Receipt.issued_on).where(Receipt.deposit_entry_id == deduct.id))
    assert deposit_income_fen(s, held.estate, day, day) == 0  # a reversed deduction is no income
    with pytest.raises(Conflict):
        reverse_deposit_entry(s, held.finance, deduct, reason="again")
    with pytest.raises(Conflict):
        reverse_deposit_entry(s, held.finance, rev, reason="a reversal of a reversal")
    reverse_deposit_entry(s, held.finance, held.entry, reason="收错房号")
    assert billing.deposit_balance_fen(s, source=SRC) == 0  # 2000.00 - 2000.00


def test_a_refund_records_payee_and_method(held):
    s = held.session
    refund = billing.refund_deposit(s, held.cashier, source=SRC, amount_fen=50000, approved_by=held.manager,
                                    payee="张三", method="transfer")
    assert (refund.payee, refund.method, refund.amount_fen) == ("张三", "transfer", 50000)
    rest = billing.refund_deposit(s, held.cashier, source=SRC, approved_by=held.manager)
    assert rest.method == "wechat"  # by default the way it was paid
    with pytest.raises(ValidationError) as err:
        billing.refund_deposit(s, held.cashier, source=SRC, approved_by=held.manager, method="prepaid")
    assert err.value.field == "method"
    assert billing.deposit_balance_fen(s, source=SRC) == 0  # 2000.00 - 500.00 - 1500.00
