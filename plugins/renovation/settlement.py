"""Deposit settlement (装修保证金结算): refund = deposit held − deductions (violations and damage).

Each deduction goes through ``billing.deduct_deposit`` and the rest through
``billing.refund_deposit`` with a second person's approval, so billing's deposit ledger shows every
movement. The plan is checked completely before the first movement is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from core.errors import ValidationError
from plugins.billing import services as billing
from plugins.renovation.common import yuan
from plugins.renovation.models import RenovationSettlement, RenovationViolation


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
        raise ValidationError("damage_fen must be a whole number of fen, 0 or more", field="damage_fen")
    if damage_fen and not damage_reason.strip():
        raise ValidationError("say what was damaged when deducting for damage", field="damage_reason")
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
    if total > balance:
        raise ValidationError(
            f"deductions of {yuan(total)} yuan (violations {yuan(plan.violation_deductions_fen)}, damage "
            f"{yuan(damage_fen)}) exceed the deposit held, {yuan(balance)} yuan; lower the damage deduction "
            "and charge the rest to the unit through billing", field="damage_fen")
    remainder = balance - total
    if refund_fen is not None:
        if not isinstance(refund_fen, int) or refund_fen < 0:
            raise ValidationError("refund_fen must be a whole number of fen, 0 or more", field="refund_fen")
        if refund_fen > balance:
            raise ValidationError(f"a refund of {yuan(refund_fen)} yuan is larger than the deposit held, "
                                  f"{yuan(balance)} yuan", field="refund_fen")
        if refund_fen != remainder:
            raise ValidationError(f"the refund must be the deposit less deductions: {yuan(balance)} − "
                                  f"{yuan(total)} = {yuan(remainder)} yuan, not {yuan(refund_fen)}",
                                  field="refund_fen")
    plan.refund_fen = remainder
    return plan


def execute(session, actor, app, *, approver, damage_fen: int = 0, damage_reason: str = "",
            refund_fen: int | None = None) -> RenovationSettlement:
    """Deduct, refund and record the settlement (called by the settle_deposit transition)."""
    plan = plan_settlement(session, app, damage_fen=damage_fen, damage_reason=damage_reason,
                           refund_fen=refund_fen)
    for amount, reason in plan.deductions:
        billing.deduct_deposit(session, actor, source=app.source, amount_fen=amount, reason=reason)
    if plan.refund_fen:
        billing.refund_deposit(session, actor, source=app.source, amount_fen=plan.refund_fen, approved_by=approver)
    record = RenovationSettlement(
        estate_id=app.estate_id, application_id=app.id, deposit_fen=plan.deposit_fen,
        violation_deductions_fen=plan.violation_deductions_fen, damage_fen=plan.damage_fen,
        damage_reason=damage_reason.strip(), refund_fen=plan.refund_fen,
        settled_by_id=actor.id if actor is not None else None, approved_by_id=approver.id if approver else None)
    session.add(record)
    session.flush()
    return record
