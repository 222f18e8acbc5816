"""A withdrawn application reverses the charges it posted that nobody paid, keeps the paid ones, refuses
while one is partly paid, refunds the deposit, and says what it did on the application's timeline."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from core import activity
from core.errors import PermissionDenied, WorkflowError
from core.models import StaffUser, Unit
from core.security.grants import has_permission
from core.seed import seed_all
from core.services.staff import create_staff
from core.workflow import get_workflow, history
from plugins.billing import services as billing
from plugins.billing.models import ChargeLine, DepositEntry, Payment
from plugins.renovation import services
from plugins.renovation.models import RenovationApplication
from plugins.renovation.site import worker_source
from plugins.renovation.workflows import WITHDRAWABLE
from tests.plugins.renovation.conftest import Reno, owned_unit

WASTE, PASSES = 30000, 2 * 1000  # the default waste fee and two workers' pass fees
NEW_WORKER = {"name": "赵强", "id_number": "320102199303030053", "trade": "carpenter"}


def lines_of(reno, source) -> list[ChargeLine]:
    return billing.charges_for(reno.session, source=source)


def reversals_of(reno, lines) -> list[ChargeLine]:
    ids = [line.id for line in lines]
    return list(reno.session.scalars(select(ChargeLine).where(ChargeLine.reverses_id.in_(ids))))


def deposit_entries(reno, app) -> list[tuple[str, int]]:
    rows = reno.session.scalars(select(DepositEntry).where(DepositEntry.source == app.source)
                                .order_by(DepositEntry.id))
    return [(e.kind, e.amount_fen) for e in rows]


def payments_total(reno, unit) -> int:
    return reno.session.scalar(select(func.coalesce(func.sum(Payment.amount_fen), 0))
                               .where(Payment.unit_id == unit.id))


def withdrawal_notes(reno, app) -> list[str]:
    return [e.note for e in activity.timeline(reno.session, RenovationApplication, app.id)
            if e.action == "comment" and e.detail == "withdraw: charges"]


def test_withdrawal_after_signing_reverses_the_unpaid_fees_once(reno):
    s, unit = reno.session, reno.units[0]
    app = reno.drive(reno.apply(), "agreement_signed")
    posted = lines_of(reno, app.source)
    assert sorted(line.amount_fen for line in posted) == sorted([WASTE, PASSES])
    assert billing.unit_balance_fen(s, unit.id) == WASTE + PASSES

    reno.step(app, "withdraw", "cs_specialist", comment="业主决定暂缓装修")

    assert app.status == "withdrawn"
    assert billing.outstanding_fen(s, source=app.source) == 0 and billing.unit_balance_fen(s, unit.id) == 0
    assert all(line.reversed_at is not None for line in posted)
    reversals = reversals_of(reno, posted)
    # one reversal per charge, of the opposite amount: the ledger nets to zero, nothing counted twice
    assert sorted((r.reverses_id, r.amount_fen) for r in reversals) == sorted((x.id, -x.amount_fen) for x in posted)
    assert sum(x.amount_fen for x in posted) + sum(r.amount_fen for r in reversals) == 0
    # CS holds renovation.withdraw, not billing.reverse: the contract's cancel_charge trusts renovation's check,
    # as post_charge did, and the reversal is attributed to the staff member who recorded the withdrawal
    assert not has_permission(s, reno.actors["cs_specialist"], "billing.reverse")
    assert {r.created_by_id for r in reversals} == {reno.actors["cs_specialist"].id}
    assert all(app.number in r.description for r in reversals)
    # the history has the step, the timeline says which charges went
    assert [(h.transition, h.comment) for h in history(s, app)][-1] == ("withdraw", "业主决定暂缓装修")
    [note] = withdrawal_notes(reno, app)
    assert f"reversed unpaid charges (320.00 yuan) by {reno.actors['cs_specialist'].username}: " in note
    assert all(f"#{line.id} " in note for line in posted) and "kept" not in note
    assert deposit_entries(reno, app) == []


def test_withdrawing_without_renovation_withdraw_changes_nothing(reno):
    s = reno.session
    app = reno.drive(reno.apply(), "agreement_signed")
    with pytest.raises(PermissionDenied, match="renovation.withdraw"):
        reno.step(app, "withdraw", "guard", comment="房屋出售")
    assert app.status == "agreement_signed"
    assert billing.outstanding_fen(s, source=app.source) == WASTE + PASSES
    assert reversals_of(reno, lines_of(reno, app.source)) == [] and withdrawal_notes(reno, app) == []


def test_billing_reverse_still_guards_billings_own_reversal(reno):
    """The contract's cancel_charge is for the posting plugin; billing's reverse_charge keeps its permission."""
    s = reno.session
    app = reno.drive(reno.apply(), "agreement_signed")
    line = lines_of(reno, app.source)[0]
    with pytest.raises(PermissionDenied, match="billing.reverse"):
        billing.reverse_charge(s, reno.actors["cs_specialist"], line, reason="试试")
    assert line.reversed_at is None


def test_withdrawal_reverses_the_fees_and_refunds_the_deposit_held(reno):
    s, unit = reno.session, reno.units[0]
    app = reno.drive(reno.apply(), "agreement_signed")
    services.hold_deposit(s, reno.actors["cashier"], app)  # the deposit paid, the fees not yet
    assert billing.deposit_balance_fen(s, source=app.source) == 200000

    reno.step(app, "withdraw", "cs_specialist", comment="房屋出售", approver=reno.approver)

    assert app.status == "withdrawn"
    assert billing.outstanding_fen(s, source=app.source) == 0 and billing.unit_balance_fen(s, unit.id) == 0
    assert billing.deposit_balance_fen(s, source=app.source) == 0
    assert deposit_entries(reno, app) == [("hold", 200000), ("refund", 200000)]
    assert len(reversals_of(reno, lines_of(reno, app.source))) == 2
    assert payments_total(reno, unit) == 0  # the deposit is not a payment of the fees


def test_paid_fees_are_kept_and_a_late_workers_unpaid_fee_is_reversed(reno):
    s, unit = reno.session, reno.units[0]
    app = reno.drive(reno.apply(), "fees_paid")
    worker = services.add_worker(s, reno.actors["cs_specialist"], app, **NEW_WORKER)
    [late] = lines_of(reno, worker_source(worker))
    paid = lines_of(reno, app.source)
    collected = payments_total(reno, unit)
    assert collected == WASTE + PASSES and billing.unit_balance_fen(s, unit.id) == 1000

    reno.step(app, "withdraw", "cs_specialist", comment="业主改变计划", approver=reno.approver)

    assert app.status == "withdrawn" and billing.unit_balance_fen(s, unit.id) == 0
    assert late.reversed_at is not None and [r.amount_fen for r in reversals_of(reno, [late])] == [-1000]
    # the fees paid stay paid (refunding them is billing's decision), and no payment moved
    assert all(line.reversed_at is None for line in paid) and reversals_of(reno, paid) == []
    assert billing.outstanding_fen(s, source=app.source) == 0 and payments_total(reno, unit) == collected
    assert deposit_entries(reno, app) == [("hold", 200000), ("refund", 200000)]
    [note] = withdrawal_notes(reno, app)
    reversed_part, kept_part = note.split("; kept paid charges")
    assert f"#{late.id} " in reversed_part and "(10.00 yuan)" in reversed_part
    assert all(f"#{line.id} " in kept_part for line in paid) and f"#{late.id} " not in kept_part


def test_a_partly_paid_charge_refuses_the_withdrawal_naming_it(reno):
    s, unit, cashier = reno.session, reno.units[0], reno.actors["cashier"]
    app = reno.drive(reno.apply(), "agreement_signed")
    services.hold_deposit(s, cashier, app)
    waste = next(line for line in lines_of(reno, app.source) if line.amount_fen == WASTE)
    billing.record_payment(s, cashier, unit=unit, amount_fen=10000, method="cash", lines=[waste.id])

    with pytest.raises(WorkflowError) as refused:
        reno.step(app, "withdraw", "cs_specialist", comment="房屋出售", approver=reno.approver)
    message = refused.value.message
    assert f"#{waste.id} RENO_WASTE" in message and "100.00 yuan paid and 200.00 yuan open" in message
    assert "reverse that payment" in message
    # nothing moved: no reversal, the deposit still held, the status unchanged
    assert app.status == "agreement_signed" and reversals_of(reno, lines_of(reno, app.source)) == []
    assert billing.deposit_balance_fen(s, source=app.source) == 200000
    assert billing.outstanding_fen(s, source=app.source) == WASTE + PASSES - 10000

    # collecting the rest makes it a paid charge, kept; the unpaid pass fee is reversed
    billing.record_payment(s, cashier, unit=unit, amount_fen=WASTE - 10000, method="cash", lines=[waste.id])
    reno.step(app, "withdraw", "cs_specialist", comment="房屋出售", approver=reno.approver)
    assert app.status == "withdrawn" and billing.outstanding_fen(s, source=app.source) == 0
    assert waste.reversed_at is None and payments_total(reno, unit) == WASTE
    assert [r.amount_fen for r in reversals_of(reno, lines_of(reno, app.source))] == [-PASSES]


def test_a_reversed_payment_lets_the_charge_be_reversed_on_withdrawal(reno):
    s, unit, cashier = reno.session, reno.units[0], reno.actors["cashier"]
    app = reno.drive(reno.apply(), "agreement_signed")
    waste = next(line for line in lines_of(reno, app.source) if line.amount_fen == WASTE)
    payment = billing.record_payment(s, cashier, unit=unit, amount_fen=5000, method="cash", lines=[waste.id])
    billing.reverse_payment(s, reno.approver, payment, reason="业主撤回装修, 退回已收款")
    reno.step(app, "withdraw", "cs_specialist", comment="房屋出售", approver=reno.approver)
    assert app.status == "withdrawn" and billing.unit_balance_fen(s, unit.id) == 0
    assert waste.reversed_at is not None and len(reversals_of(reno, lines_of(reno, app.source))) == 2


@pytest.mark.parametrize("state", WITHDRAWABLE[WITHDRAWABLE.index("manager_approval"):])
def test_every_withdrawable_state_leaves_nothing_owed(reno, state):
    s, unit = reno.session, reno.units[0]
    app = reno.drive(reno.apply(), state)
    reno.step(app, "withdraw", "cs_specialist", comment="撤回", approver=reno.approver)
    assert app.status == "withdrawn"
    assert billing.unit_balance_fen(s, unit.id) == 0 and billing.deposit_balance_fen(s, source=app.source) == 0


def test_rejection_comes_before_anything_is_charged(reno):
    # Only signing the agreement (and workers added after it) posts charges; a rejection from a state
    # reachable after signing would need the same reversal as a withdrawal.
    flow = get_workflow(reno.session, "renovation.application")
    after_signing, todo = set(), [flow.transition("sign_agreement").target]
    while todo:
        state = todo.pop()
        if state not in after_signing:
            after_signing.add(state)
            todo += [t.target for t in flow.transitions if state in t.sources]
    assert "agreement_signed" in after_signing and "manager_approval" not in after_signing
    assert not set(flow.transition("reject").sources) & after_signing


def test_a_payment_racing_the_withdrawal_is_neither_lost_nor_counted_twice(committed, monkeypatch):
    wuye = committed
    monkeypatch.setattr("core.services.staff.hash_password", lambda password: "test-only:" + password)
    with wuye.session() as s:
        seed_all(s, wuye)
        estate, unit, owner = owned_unit(s, "WD")
        actors = {role: create_staff(s, role, "password123", roles=[role], estates=["WD"])
                  for role in ("cs_specialist", "engineer", "office_manager", "cashier")}
        world = Reno(s, estate, [unit], owner, None, actors, actors["office_manager"])
        app = world.drive(world.apply(), "agreement_signed")
        waste = next(line for line in lines_of(world, app.source) if line.amount_fen == WASTE)
        app_id, unit_id, waste_id = app.id, unit.id, waste.id

    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def run(name: str, work):
        try:
            barrier.wait(timeout=30)  # both open their transactions at the same moment
            with wuye.session() as s:
                work(s)
            outcomes[name] = "done"
        except Exception as exc:
            outcomes[name] = exc

    def withdraw(s):
        staff = {u.username: u for u in s.scalars(select(StaffUser))}
        services.transition(s, staff["cs_specialist"], s.get(RenovationApplication, app_id), "withdraw",
                            comment="业主撤回", approver=staff["office_manager"])

    def pay(s):
        cashier = s.scalar(select(StaffUser).where(StaffUser.username == "cashier"))
        billing.record_payment(s, cashier, unit=s.get(Unit, unit_id), amount_fen=WASTE, method="cash",
                               lines=[waste_id])

    threads = [threading.Thread(target=run, args=args, daemon=True) for args in (("withdraw", withdraw),
                                                                                  ("pay", pay))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert outcomes["withdraw"] == "done", outcomes
    with wuye.session() as s:
        waste = s.get(ChargeLine, waste_id)
        paid = s.scalar(select(func.coalesce(func.sum(Payment.amount_fen), 0)).where(Payment.unit_id == unit_id))
        allocated = sum(a.amount_fen for a in waste.allocations)
        assert billing.unit_balance_fen(s, unit_id) == 0
        if outcomes["pay"] == "done":  # paid first: the withdrawal kept the paid charge
            assert waste.reversed_at is None and paid == allocated == WASTE
        else:  # withdrawn first: the payment for a reversed charge was refused, no money taken
            assert waste.reversed_at is not None and paid == allocated == 0
