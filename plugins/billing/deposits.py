"""Deposits (押金/保证金): money held for a source record, deducted with a reason, refunded on approval.

The ledger is append-only (:class:`~plugins.billing.models.DepositEntry`); the balance of a source
is held minus deducted minus refunded. A refund needs a second person holding
``billing.approve_refund`` (the manual's two-person rule for paying money out).
"""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core import (
    Conflict,
    NotFound,
    PermissionDenied,
    Text,
    ValidationError,
    attributed,
    estate_today,
    fen_to_yuan,
    has_permission,
)
from core.models import Unit
from plugins.billing.ledger import check_fen, lock_account
from plugins.billing.models import METHODS, DepositEntry
from plugins.billing.payments import issue_receipt_last


def _check_source(source) -> str:
    if not isinstance(source, str) or not source.strip() or len(source) > 160:
        raise ValidationError(
            "give the originating record as '<plugin>:<kind>:<id>' (1-160 characters)", field="source"
        )
    return source


def deposit_balance_fen(session: Session, *, source: str) -> int:
    """Held minus deducted minus refunded for ``source`` (0 when nothing was held)."""
    signed = case((DepositEntry.kind == "hold", DepositEntry.amount_fen), else_=-DepositEntry.amount_fen)
    return int(
        session.scalar(select(func.coalesce(func.sum(signed), 0)).where(DepositEntry.source == source))
    )


def _unit_of(session: Session, source: str) -> Unit:
    unit = session.scalar(
        select(Unit)
        .join(DepositEntry, DepositEntry.unit_id == Unit.id)
        .where(DepositEntry.source == source)
        .order_by(DepositEntry.id)
        .limit(1)
    )
    if unit is None:
        raise NotFound(Text(f"no deposit is held for {source}", f"{source} 没有押金"), field="source")
    return unit


@attributed
def hold_deposit(
    session: Session,
    actor,
    *,
    unit: Unit,
    amount_fen: int,
    source: str,
    method: str = "cash",
    reason: str = "",
) -> DepositEntry:
    """Record a deposit received and held for ``source`` (issues a receipt number)."""
    check_fen(amount_fen)
    _check_source(source)
    if method not in METHODS or method == "prepaid":
        raise ValidationError(
            Text(f"{method!r} is not a way to pay a deposit; use one of "
                 f"{', '.join(m for m in METHODS if m != 'prepaid')}",
                 f"{method!r} 不是有效的押金付款方式"),
            field="method",
        )
    if not isinstance(unit, Unit):
        raise ValidationError("unit must be a core Unit", field="unit")
    held = session.scalar(select(DepositEntry.unit_id).where(DepositEntry.source == source).limit(1))
    if held is not None and held != unit.id:
        raise Conflict(Text(f"deposit {source} belongs to another unit", f"押金 {source} 属于其他房屋"), field="unit")
    lock_account(session, unit)
    entry = DepositEntry(
        estate_id=unit.estate_id,
        unit_id=unit.id,
        source=source,
        kind="hold",
        amount_fen=amount_fen,
        method=method,
        reason=reason[:400],
        actor_id=getattr(actor, "id", None),
    )
    session.add(entry)
    session.flush()
    issue_receipt_last(session, actor, entry, estate_today(session, unit.estate), amount_fen, "")
    return entry


@attributed
def deduct_deposit(session: Session, actor, *, source: str, amount_fen: int, reason: str) -> DepositEntry:
    """Deduct from the deposit (damage, violation fine ...); ``reason`` required, amount <= balance."""
    check_fen(amount_fen)
    _check_source(source)
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationError(Text("say why the deposit is deducted", "请填写扣除押金的原因"), field="reason")
    unit = _unit_of(session, source)
    lock_account(session, unit)
    balance = deposit_balance_fen(session, source=source)
    if amount_fen > balance:
        raise ValidationError(
            Text(f"only {balance} fen is held for {source}; deduct at most that",
                 f"押金余额仅 ¥{fen_to_yuan(balance):,}，扣除金额不能超过余额"), field="amount_fen"
        )
    entry = DepositEntry(
        estate_id=unit.estate_id,
        unit_id=unit.id,
        source=source,
        kind="deduct",
        amount_fen=amount_fen,
        reason=reason.strip()[:400],
        actor_id=getattr(actor, "id", None),
    )
    session.add(entry)
    session.flush()
    return entry


@attributed
def refund_deposit(
    session: Session, actor, *, source: str, amount_fen: int | None = None, approved_by=None
) -> DepositEntry:
    """Refund the deposit (all that is left when ``amount_fen`` is None) on a second person's approval.

    ``approved_by`` must hold ``billing.approve_refund`` (else PermissionDenied) and differ from
    ``actor`` (else Conflict); an amount above the balance is a ValidationError.
    """
    _check_source(source)
    if amount_fen is not None:
        check_fen(amount_fen)
    if approved_by is None or not has_permission(session, approved_by, "billing.approve_refund"):
        who = getattr(approved_by, "username", "nobody")
        raise PermissionDenied(
            Text(f"a deposit refund needs approval by someone holding 'billing.approve_refund' ({who} does not)",
                 f"退还押金须由有“审批退款”权限的人员审批（{who} 没有该权限）")
        )
    if actor is not None and approved_by.id == actor.id:
        raise Conflict(
            Text("the approver of a refund must be a second person, not the one paying it out",
                 "退款审批人须为另一人，不能是经办人本人"), field="approved_by"
        )
    unit = _unit_of(session, source)
    lock_account(session, unit)
    balance = deposit_balance_fen(session, source=source)
    amount = balance if amount_fen is None else amount_fen
    if amount > balance:
        raise ValidationError(
            Text(f"only {balance} fen is held for {source}; refund at most that",
                 f"押金余额仅 ¥{fen_to_yuan(balance):,}，退还金额不能超过余额"), field="amount_fen"
        )
    if amount <= 0:
        raise Conflict(Text(f"nothing is left to refund for {source}", "押金已无余额可退"), field="amount_fen")
    entry = DepositEntry(
        estate_id=unit.estate_id,
        unit_id=unit.id,
        source=source,
        kind="refund",
        amount_fen=amount,
        actor_id=getattr(actor, "id", None),
        approved_by_id=approved_by.id,
        reason="退还押金",
    )
    session.add(entry)
    session.flush()
    return entry
