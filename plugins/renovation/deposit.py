"""The renovation deposit (装修保证金): held at the cashier after the agreement is signed, settled
after acceptance (装修保证金结算: refund = deposit held − deductions for violations and damage).

The money stays in billing's deposit ledger under the application's source: each deduction goes
through ``billing.deduct_deposit`` and the rest through ``billing.refund_deposit`` with a second
person's approval, so the ledger shows every movement. The plan is checked completely before the
first movement is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from core import (
    Conflict,
    Text,
    ValidationError,
    WorkflowError,
    apply,
    attributed,
    authorize,
    fen_to_yuan,
    has_permission,
)
from core.models import StaffUser
from plugins.billing import services as billing
from plugins.renovation.models import RenovationApplication, RenovationSettlement, RenovationViolation


@attributed
def hold_deposit(session, actor, app: RenovationApplication, *, amount_fen: int | None = None,
                 method: str = "cash"):
    """The cashier receives the deposit into billing's ledger under the application's source."""
    authorize(session, actor, "renovation.confirm_payment", app)
    if app.agreement_signed_at is None:
        raise Conflict(Text(f"{app.number} has no signed agreement yet; the deposit is taken after signing", f"装修申请 {app.number} 尚未签订装修管理协议，保证金在签订后收取"),
                       field="status")
    held = billing.deposit_balance_fen(session, source=app.source)
    amount = app.deposit_required_fen - held if amount_fen is None else amount_fen
    if amount <= 0:
        raise ValidationError(Text("nothing to hold: the required deposit is already held", "应交保证金已全部收取，无需再收"), field="amount_fen")
    return billing.hold_deposit(session, actor, unit=app.unit, amount_fen=amount, source=app.source,
                                method=method, reason=f"装修保证金 {app.number}")


@attributed
def settle_deposit(session, actor, app: RenovationApplication, *, approver, damage_fen: int = 0,
                   damage_reason: str = "", refund_fen: int | None = None, comment: str | None = None):
    """Settle the deposit: deduct violations and damage, refund the rest with ``approver``'s approval.

    A refund larger than the deposit, or deductions beyond it, raise ValidationError first.
    """
    authorize(session, actor, None, app)
    plan_settlement(session, app, damage_fen=damage_fen, damage_reason=damage_reason, refund_fen=refund_fen)
    return apply(session, app, "settle_deposit", actor, comment=comment, approver=approver,
                 damage_fen=damage_fen, damage_reason=damage_reason, refund_fen=refund_fen)


@dataclass
class SettlementPlan:
    """What settling would do: each deduction (amount, reason) and the refund."""

    deposit_fen: int
    deductions: list[tuple[int, str]] = field(default_factory=list)
    violation_deductions_fen: int = 0
    damage_fen: int = 0
    refund_fen: int = 0


def plan_settlement(session, app, *, damage_fen: int = 0, damage_reason: str = "",
                    refund_fen: int | None = None) -> SettlementPlan:
    """Work out the settlement; raise ValidationError (writing nothing) when it cannot add up."""
    if not isinstance(damage_fen, int) or damage_fen < 0:
        raise ValidationError(Text("damage_fen must be a whole number of fen, 0 or more", "损坏扣款须为不小于零的金额"), field="damage_fen")
    if damage_fen and not damage_reason.strip():
        raise ValidationError(Text("say what was damaged when deducting for damage", "扣除损坏赔偿时请说明损坏情况"), field="damage_reason")
    balance = billing.deposit_balance_fen(session, source=app.source)
    plan = SettlementPlan(deposit_fen=balance, damage_fen=damage_fen)
    violations = session.scalars(select(RenovationViolation).where(
        RenovationViolation.application_id == app.id, RenovationViolation.deduction_fen > 0)
        .order_by(RenovationViolation.id)).all()
    for v in violations:
        plan.deductions.append((v.deduction_fen, f"违章 {v.number} ({v.code}) deduction"))
        plan.violation_deductions_fen += v.deduction_fen
    if damage_fen:
        plan.deductions.append((damage_fen, f"damage: {damage_reason.strip()}"))
    total = plan.violation_deductions_fen + damage_fen
    yuan = fen_to_yuan
    if total > balance:
        raise ValidationError(
            Text(f"deductions of {yuan(total)} yuan (violations {yuan(plan.violation_deductions_fen)}, damage "
            f"{yuan(damage_fen)}) exceed the deposit held, {yuan(balance)} yuan; lower the damage deduction "
            "and charge the rest to the unit through billing", f"扣款合计 ¥{yuan(total)}（违章 ¥{yuan(plan.violation_deductions_fen)}，损坏 ¥{yuan(damage_fen)}）超过已收保证金 ¥{yuan(balance)}；请降低损坏扣款，其余通过收费系统向该户收取"), field="damage_fen")
    remainder = balance - total
    if refund_fen is not None:
        if not isinstance(refund_fen, int) or refund_fen < 0:
            raise ValidationError(Text("refund_fen must be a whole number of fen, 0 or more", "退还金额须为不小于零的金额"), field="refund_fen")
        if refund_fen > balance:
            raise ValidationError(Text(f"a refund of {yuan(refund_fen)} yuan is larger than the deposit held, "
                                  f"{yuan(balance)} yuan", f"退还金额 ¥{yuan(refund_fen)} 超过已收保证金 ¥{yuan(balance)}"), field="refund_fen")
        if refund_fen != remainder:
            raise ValidationError(Text(f"the refund must be the deposit less deductions: {yuan(balance)} − "
                                  f"{yuan(total)} = {yuan(remainder)} yuan, not {yuan(refund_fen)}", f"退还金额须为保证金减扣款：¥{yuan(balance)} − ¥{yuan(total)} = ¥{yuan(remainder)}，而不是 ¥{yuan(refund_fen)}"),
                                  field="refund_fen")
    plan.refund_fen = remainder
    return plan


# --- the settle_deposit transition -----------------------------------------------------------------
def resolve_staff(session, value) -> StaffUser | None:
    """``approver`` as given: a StaffUser (Python callers), an id or a username (the JSON API)."""
    if value is None or isinstance(value, StaffUser):
        return value
    user = None
    if isinstance(value, int) and not isinstance(value, bool):
        user = session.get(StaffUser, value)
    elif isinstance(value, str) and value.strip():
        user = session.scalar(select(StaffUser).where(StaffUser.username == value.strip()))
    if user is None:
        raise ValidationError(Text(f"approver {value!r} is not a staff member; give a staff id or username", f"审批人 {value!r} 不是员工，请填写员工编号或用户名"),
                              field="approver")
    return user


def require_approver(approver, what: str) -> None:
    """A refund needs a second person's approval: refuse ``what`` without one."""
    if approver is None:
        raise WorkflowError(Text(f"{what} needs approver=<a second staff member holding billing.approve_refund>", "须由另一位有“审批退款”权限的员工复核审批"),
                            field="approver")


def guard_refund_approver(session, app, actor, approver=None, **data):
    """The refund approver is a second person who holds ``billing.approve_refund``."""
    # Without data (buttons list allowed transitions) the guard passes; the effect then insists.
    approver = resolve_staff(session, approver)
    if approver is None:
        return None
    if actor is not None and approver.id == actor.id:
        return Text("the refund approver must be a second person, not the one settling the deposit",
                    "退款审批人须为另一人，不能是结算保证金的经办人")
    if not has_permission(session, approver, "billing.approve_refund"):
        return Text(f"{approver.username} does not hold billing.approve_refund and cannot approve the refund",
                    f"{approver.full_name or approver.username} 没有审批退款的权限")
    return None


def guard_settlement_plan(session, app, actor, damage_fen: int = 0, damage_reason: str = "",
                          refund_fen: int | None = None, **data):
    """Deductions must fit in the deposit; a refund larger than it is a ValidationError (nothing changes)."""
    try:
        plan_settlement(session, app, damage_fen=damage_fen, damage_reason=damage_reason, refund_fen=refund_fen)
    except ValidationError as exc:
        given = damage_fen or damage_reason or refund_fen is not None
        if given:
            raise
        return exc.message
    return None


def execute_settlement(session, app, actor, approver=None, damage_fen: int = 0, damage_reason: str = "",
                       refund_fen: int | None = None, **data) -> RenovationSettlement:
    """Effect of ``settle_deposit``: deduct, refund with the approver's approval, record the settlement."""
    approver = resolve_staff(session, approver)
    require_approver(approver, "settling the deposit")
    plan = plan_settlement(session, app, damage_fen=damage_fen, damage_reason=damage_reason,
                           refund_fen=refund_fen)
    for amount, reason in plan.deductions:
        billing.deduct_deposit(session, actor, source=app.source, amount_fen=amount, reason=reason,
                               approved_by=approver, evidence_ref=app.source)
    if plan.refund_fen:
        billing.refund_deposit(session, actor, source=app.source, amount_fen=plan.refund_fen, approved_by=approver)
    record = RenovationSettlement(
        estate_id=app.estate_id, application_id=app.id, deposit_fen=plan.deposit_fen,
        violation_deductions_fen=plan.violation_deductions_fen, damage_fen=plan.damage_fen,
        damage_reason=damage_reason.strip(), refund_fen=plan.refund_fen,
        settled_by_id=actor.id if actor is not None else None, approved_by_id=approver.id)
    session.add(record)
    session.flush()
    return record
