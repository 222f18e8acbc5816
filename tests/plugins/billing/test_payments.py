"""Posting charges, payments, allocation order, prepaid balance, reversals and the ledger guard; with real
commits, eight concurrent payments on one bill lose nothing."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.models import Unit
from plugins.billing import services as billing
from plugins.billing.models import Account, Allocation, ChargeLine, Payment, Receipt

from .helpers import committed_estate, item, make_estate, run_billing


@pytest.fixture
def posted(bt):
    """Unit 101 owes three charges: due 2026-09-15 (100.00), 2026-10-15 (200.00), 2026-11-15 (300.00)."""
    s = bt.session
    item(s, bt.estate, "svc", price="0", basis="fixed", category="other", cycle="one_off")
    unit = bt.units["101"]
    lines = [
        billing.post_charge(
            s,
            bt.cashier,
            unit=unit,
            fee_item_code="svc",
            amount_fen=fen,
            source=f"test:c:{i}",
            period=f"2026-{9 + i:02d}",
            due_on=dt.date(2026, 9 + i, 15),
        )
        for i, fen in enumerate((10000, 20000, 30000))
    ]
    bt.lines, bt.unit = lines, unit
    return bt


def _paid(session, line) -> int:
    return session.scalar(
        select(func.coalesce(func.sum(Allocation.amount_fen), 0)).where(Allocation.charge_line_id == line.id)
    )


def test_post_charge_is_idempotent_per_source_and_item(posted):
    s = posted.session
    again = billing.post_charge(
        s, None, unit=posted.unit, fee_item_code="svc", amount_fen=10000, source="test:c:0"
    )
    assert again.id == posted.lines[0].id
    with pytest.raises(Conflict):
        billing.post_charge(
            s, None, unit=posted.unit, fee_item_code="svc", amount_fen=10001, source="test:c:0"
        )
    assert [line.id for line in billing.charges_for(s, source="test:c:1")] == [posted.lines[1].id]
    assert billing.outstanding_fen(s, source="test:c:2") == 30000
    assert billing.outstanding_fen(s, source="nothing:here") == 0


@pytest.mark.parametrize("amount", [0, -5, 12.5, "100", True, None])
def test_post_charge_refuses_bad_amounts_and_writes_nothing(posted, amount):
    s = posted.session
    before = s.scalar(select(func.count(ChargeLine.id)))
    with pytest.raises(ValidationError) as err:
        billing.post_charge(
            s, None, unit=posted.unit, fee_item_code="svc", amount_fen=amount, source="test:bad"
        )
    assert err.value.field == "amount_fen"
    assert s.scalar(select(func.count(ChargeLine.id))) == before


def test_post_charge_needs_a_known_active_item_and_a_source(posted):
    s = posted.session
    with pytest.raises(NotFound):
        billing.post_charge(s, None, unit=posted.unit, fee_item_code="nope", amount_fen=100, source="t:x")
    item(s, posted.estate, "old", price="1", basis="fixed", category="other", cycle="one_off", active=False)
    with pytest.raises(ValidationError):
        billing.post_charge(s, None, unit=posted.unit, fee_item_code="old", amount_fen=100, source="t:x")
    with pytest.raises(ValidationError) as err:
        billing.post_charge(s, None, unit=posted.unit, fee_item_code="svc", amount_fen=100, source="")
    assert err.value.field == "source"
    other, _ = make_estate(s, "OT3", buildings=1)
    item(s, other, "their_svc", price="1", basis="fixed", category="other", cycle="one_off")
    with pytest.raises(ValidationError) as err:  # another estate's item
        billing.post_charge(
            s, None, unit=posted.unit, fee_item_code="their_svc", amount_fen=100, source="t:y"
        )
    assert err.value.field == "fee_item_code"


def test_payment_goes_to_the_oldest_lines_first(posted):
    s = posted.session
    pay = billing.record_payment(
        s, posted.cashier, unit=posted.unit, amount_fen=25000, method="cash", payer="张三"
    )
    assert [_paid(s, line) for line in posted.lines] == [10000, 15000, 0]
    assert pay.to_prepaid_fen == 0 and pay.collector_id == posted.cashier.id
    assert pay.receipt_no.startswith(f"RC-{pay.paid_on.year}-")
    receipt = s.scalar(select(Receipt).where(Receipt.payment_id == pay.id))
    assert receipt.number == pay.receipt_no and receipt.amount_fen == 25000


def test_a_payment_is_one_create_in_the_activity_trail_and_its_number_is_stored(posted):
    """The receipt number is stamped last (the estate's counter stays locked only to the commit),
    without a second "update" entry that would count the payment twice in the per-staff report; the
    receipt carries its issuer itself."""
    from core.models.activity import Activity

    s = posted.session
    pay = billing.record_payment(s, posted.cashier, unit=posted.unit, amount_fen=500, method="cash")
    s.expire_all()
    stored = s.get(Payment, pay.id)
    receipt = s.scalar(select(Receipt).where(Receipt.payment_id == pay.id))
    assert stored.receipt_no == pay.receipt_no == receipt.number
    entries = s.execute(select(Activity.record_table, Activity.action, Activity.actor_id)
                        .where(Activity.record_table.in_(("billing_payments", "billing_receipts")),
                               Activity.record_id.in_((str(pay.id), str(receipt.id))))).all()
    assert entries == [("billing_payments", "create", posted.cashier.id)]
    assert receipt.issued_by_id == posted.cashier.id and receipt.amount_fen == 500


def test_payment_on_chosen_lines_and_surplus_to_prepaid(posted):
    s = posted.session
    pay = billing.record_payment(
        s, None, unit=posted.unit, amount_fen=35000, method="wechat", lines=[posted.lines[2].id]
    )
    assert [_paid(s, line) for line in posted.lines] == [0, 0, 30000]
    assert pay.to_prepaid_fen == 5000 and billing.prepaid_balance_fen(s, posted.unit) == 5000
    # the prepaid balance pays what a later run bills, oldest open line first
    applied = billing.apply_prepaid(s, posted.unit)
    assert applied.method == "prepaid" and applied.amount_fen == 5000 and applied.receipt_no is None
    assert _paid(s, posted.lines[0]) == 5000 and billing.prepaid_balance_fen(s, posted.unit) == 0


def test_overpayment_is_used_by_the_next_run(bt):
    s = bt.session
    item(s, bt.estate, "pf", price="2.35")
    unit = bt.units["102"]
    run_billing(s, bt.estate, "2026-10")
    pay = billing.record_payment(s, bt.cashier, unit=unit, amount_fen=50000, method="cash")
    assert pay.to_prepaid_fen == 50000 - 21002
    run_billing(s, bt.estate, "2026-11")
    assert billing.unit_balance_fen(s, unit.id) == 0
    assert billing.prepaid_balance_fen(s, unit) == 50000 - 2 * 21002


def test_payment_bad_input_is_refused_and_writes_nothing(posted):
    s = posted.session
    count = s.scalar(select(func.count(Payment.id)))
    for kw, field in (
        ({"amount_fen": -1}, "amount_fen"),
        ({"amount_fen": "12.50"}, "amount_fen"),
        ({"amount_fen": 10.0}, "amount_fen"),
        ({"method": "bitcoin"}, "method"),
        ({"lines": ["x"]}, "lines"),
    ):
        args = {"unit": posted.unit, "amount_fen": 100, "method": "cash", **kw}
        with pytest.raises(ValidationError) as err:
            billing.record_payment(s, None, **args)
        assert err.value.field == field
    with pytest.raises(NotFound):
        billing.record_payment(
            s, None, unit=posted.units["102"], amount_fen=100, method="cash", lines=[posted.lines[0].id]
        )
    with pytest.raises(ValidationError):  # more than the prepaid balance
        billing.record_payment(s, None, unit=posted.unit, amount_fen=100, method="prepaid")
    assert s.scalar(select(func.count(Payment.id))) == count


def test_reverse_a_payment(posted):
    s = posted.session
    pay = billing.record_payment(s, posted.cashier, unit=posted.unit, amount_fen=70000, method="cash")
    assert billing.prepaid_balance_fen(s, posted.unit) == 10000
    with pytest.raises(PermissionDenied):
        billing.reverse_payment(s, posted.cashier, pay, reason="typo")
    rev = billing.reverse_payment(s, posted.finance, pay, reason="wrong unit")
    assert rev.amount_fen == -70000 and rev.reverses_id == pay.id and rev.receipt_no != pay.receipt_no
    assert pay.amount_fen == 70000 and pay.reversed_at is not None  # the original keeps its amount
    assert [_paid(s, line) for line in posted.lines] == [0, 0, 0]
    assert billing.prepaid_balance_fen(s, posted.unit) == 0
    with pytest.raises(Conflict):
        billing.reverse_payment(s, posted.finance, pay, reason="again")
    with pytest.raises(Conflict):
        billing.reverse_payment(s, posted.finance, rev, reason="reverse the reversal")


def test_reversing_a_payment_whose_prepaid_part_was_spent_is_refused(posted):
    s = posted.session
    pay = billing.record_payment(s, None, unit=posted.unit, amount_fen=60000 + 8000, method="cash")
    billing.post_charge(
        s, None, unit=posted.unit, fee_item_code="svc", amount_fen=8000, source="test:c:later"
    )
    billing.apply_prepaid(s, posted.unit)
    with pytest.raises(Conflict):
        billing.reverse_payment(s, posted.finance, pay, reason="bounced")


def test_reverse_a_charge_and_payment_on_a_reversed_line_is_refused(posted):
    s = posted.session
    line = posted.lines[1]
    rev = billing.reverse_charge(s, posted.finance, line, reason="fee waived by the manager")
    assert rev.amount_fen == -20000 and rev.origin == "reversal" and line.amount_fen == 20000
    assert billing.outstanding_fen(s, source=line.source) == 0
    with pytest.raises(Conflict):
        billing.record_payment(s, None, unit=posted.unit, amount_fen=20000, method="cash", lines=[line.id])
    with pytest.raises(Conflict):
        billing.record_payment(s, None, unit=posted.unit, amount_fen=100, method="cash", lines=[rev.id])
    with pytest.raises(Conflict):
        billing.reverse_charge(s, posted.finance, line, reason="twice")
    # a general payment skips the reversed line
    billing.record_payment(s, None, unit=posted.unit, amount_fen=40000, method="cash")
    assert [_paid(s, x) for x in posted.lines] == [10000, 0, 30000]


def test_a_paid_charge_cannot_be_reversed_before_its_payment(posted):
    s = posted.session
    billing.record_payment(s, None, unit=posted.unit, amount_fen=5000, method="cash")
    with pytest.raises(Conflict):
        billing.reverse_charge(s, posted.finance, posted.lines[0], reason="waive")


def test_ledger_guard_refuses_amount_changes_and_deletes(posted):
    s = posted.session
    line = posted.lines[0]
    line.amount_fen = 1
    with pytest.raises(Conflict) as err:
        s.flush()
    assert err.value.field == "amount_fen"
    s.rollback()


def test_ledger_guard_refuses_deleting_a_payment(posted):
    s = posted.session
    pay = billing.record_payment(s, None, unit=posted.unit, amount_fen=100, method="cash")
    s.delete(pay)
    with pytest.raises(Conflict):
        s.flush()
    s.rollback()


# --- real commits: concurrent cashiers ----------------------------------------------------------


def test_eight_concurrent_payments_on_one_bill_lose_nothing(committed):
    wuye = committed
    ids = committed_estate(wuye)
    unit_id = ids["units"][0]
    with wuye.session() as s:
        unit = s.get(Unit, unit_id)
        line = billing.post_charge(
            s, None, unit=unit, fee_item_code="pf", amount_fen=100_000, source="test:bill:1"
        )
        line_id = line.id
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def pay():
        try:
            barrier.wait(timeout=30)
            with wuye.session() as s:
                unit = s.get(Unit, unit_id)
                billing.record_payment(s, None, unit=unit, amount_fen=30_000, method="wechat")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=pay) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    with wuye.sessions() as s:
        payments = list(s.scalars(select(Payment)))
        assert len(payments) == 8 and sum(p.amount_fen for p in payments) == 240_000
        allocated = s.scalar(
            select(func.sum(Allocation.amount_fen)).where(Allocation.charge_line_id == line_id)
        )
        assert allocated == 100_000  # the bill is paid exactly once
        prepaid = s.scalar(select(Account.prepaid_fen).where(Account.unit_id == unit_id))
        assert prepaid == 140_000 == sum(p.to_prepaid_fen for p in payments)
        numbers = [r.number for r in s.scalars(select(Receipt))]
        assert len(set(numbers)) == 8 and all(n.startswith("RC-") for n in numbers)
        assert billing.outstanding_fen(s, source="test:bill:1") == 0
