"""Deposits (押金/保证金): money held for a source record, deducted with a reason, refunded on approval.

The ledger is append-only (:class:`~plugins.billing.models.DepositEntry`); the balance of a source
is held minus deducted minus refunded (a ``reversal`` entry cancels one entry). A refund needs a
second person holding ``billing.approve_refund`` (the manual's two-person rule for paying money out)
and records its payee and method. A deduction needs the manager's approval (a second person holding
``billing.approve_refund``) and evidence (photos, an invoice, or the record that proves it); the
money kept is income: the deduction gets its own receipt (收款收据) number.
"""

from __future__ import annotations

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from core import (
    Conflict,
    NotFound,
    PermissionDenied,
    Text,
    ValidationError,
    add_attachment,
    attributed,
    authorize,
    check_attachment,
    estate_today,
    fen_to_yuan,
    has_permission,
    owners_of,
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
    """Held minus deducted minus refunded for ``source`` (0 when nothing was held); a reversal undoes
    its entry (a reversed hold takes the money out again, a reversed deduction or refund puts it back)."""
    orig = aliased(DepositEntry)
    signed = case(
        (DepositEntry.kind == "hold", DepositEntry.amount_fen),
        (and_(DepositEntry.kind == "reversal", orig.kind == "hold"), -DepositEntry.amount_fen),
        (DepositEntry.kind == "reversal", DepositEntry.amount_fen),
        else_=-DepositEntry.amount_fen,
    )
    return int(
        session.scalar(
            select(func.coalesce(func.sum(signed), 0))
            .select_from(DepositEntry)
            .outerjoin(orig, orig.id == DepositEntry.reverses_id)
            .where(DepositEntry.source == source)
        )
    )


def _check_method(method, field: str = "method") -> None:
    if method not in METHODS or method == "prepaid":
        raise ValidationError(
            Text(f"{method!r} is not a way to pay a deposit; use one of "
                 f"{', '.join(m for m in METHODS if m != 'prepaid')}",
                 f"{method!r} 不是有效的押金付款方式"),
            field=field,
        )


def _check_approver(session: Session, actor, approved_by, what_en: str, what_zh: str) -> None:
    if approved_by is None or not has_permission(session, approved_by, "billing.approve_refund"):
        who = getattr(approved_by, "username", "nobody")
        raise PermissionDenied(
            Text(f"a deposit {what_en} needs approval by someone holding 'billing.approve_refund' ({who} does not)",
                 f"{what_zh}押金须由有“审批退款”权限的人员审批（{who} 没有该权限）")
        )
    if actor is not None and approved_by.id == actor.id:
        raise Conflict(
            Text(f"the approver of a deposit {what_en} must be a second person, not the one doing it",
                 f"{what_zh}押金的审批人须为另一人，不能是经办人本人"), field="approved_by"
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
    _check_method(method)
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


def _evidence_files(session: Session, evidence) -> list[tuple[str, bytes]]:
    """Check every evidence file before anything is written (a refusal names ``evidence``)."""
    files = []
    for pair in evidence or ():
        if not (isinstance(pair, tuple | list) and len(pair) == 2):
            raise ValidationError(Text("give evidence as (file name, file bytes) pairs",
                                       "证据文件请以（文件名, 文件内容）提供"), field="evidence")
        files.append((check_attachment(session, DepositEntry, pair[0], pair[1], field="evidence"), bytes(pair[1])))
    return files


@attributed
def deduct_deposit(
    session: Session,
    actor,
    *,
    source: str,
    amount_fen: int,
    reason: str,
    approved_by=None,
    evidence=(),
    evidence_ref: str = "",
) -> DepositEntry:
    """Deduct from the deposit (damage, violation fine ...) and book the money kept as income.

    ``reason`` is required, the amount at most the balance. The manager approves: ``approved_by``
    holds ``billing.approve_refund`` and is not ``actor``. Evidence is required: ``evidence`` files
    ``[(name, bytes)]`` (photos, invoices; attached to the entry) and/or ``evidence_ref``, the record
    that proves it (e.g. ``renovation:inspection:7``, kept in the entry's reason). The deduction gets
    a receipt number (income, 收款收据).
    """
    check_fen(amount_fen)
    _check_source(source)
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationError(Text("say why the deposit is deducted", "请填写扣除押金的原因"), field="reason")
    files = _evidence_files(session, evidence)
    evidence_ref = (evidence_ref or "").strip()
    if not files and not evidence_ref:
        raise ValidationError(
            Text("a deduction needs evidence: attach photos or an invoice, or name the record that proves it",
                 "扣除押金须有证据：请上传照片或票据，或注明证明该扣款的记录"), field="evidence"
        )
    _check_approver(session, actor, approved_by, "deduction", "扣除")
    unit = _unit_of(session, source)
    lock_account(session, unit)
    balance = deposit_balance_fen(session, source=source)
    if amount_fen > balance:
        raise ValidationError(
            Text(f"only {balance} fen is held for {source}; deduct at most that",
                 f"押金余额仅 ¥{fen_to_yuan(balance):,}，扣除金额不能超过余额"), field="amount_fen"
        )
    text = reason.strip() if not evidence_ref else f"{reason.strip()}（证据 {evidence_ref}）"
    entry = DepositEntry(
        estate_id=unit.estate_id,
        unit_id=unit.id,
        source=source,
        kind="deduct",
        amount_fen=amount_fen,
        reason=text[:400],
        actor_id=getattr(actor, "id", None),
        approved_by_id=approved_by.id,
    )
    session.add(entry)
    session.flush()
    for name, data in files:
        add_attachment(session, actor, entry, name, data, kind="photo" if name.lower().endswith(
            (".jpg", ".jpeg", ".png", ".webp")) else "other")
    issue_receipt_last(session, actor, entry, estate_today(session, unit.estate), amount_fen, "押金转收入")
    return entry


@attributed
def refund_deposit(
    session: Session,
    actor,
    *,
    source: str,
    amount_fen: int | None = None,
    approved_by=None,
    payee: str = "",
    method: str | None = None,
) -> DepositEntry:
    """Refund the deposit (all that is left when ``amount_fen`` is None) on a second person's approval.

    ``approved_by`` must hold ``billing.approve_refund`` (else PermissionDenied) and differ from
    ``actor`` (else Conflict); an amount above the balance is a ValidationError. The entry records
    who is paid (``payee``; default: the unit's owners) and how (``method``; default: the way the
    deposit was paid).
    """
    _check_source(source)
    if amount_fen is not None:
        check_fen(amount_fen)
    if method is not None:
        _check_method(method)
    if not isinstance(payee, str) or len(payee) > 200:
        raise ValidationError(Text("the payee is a name of at most 200 characters", "收款人名称不超过 200 字"),
                              field="payee")
    _check_approver(session, actor, approved_by, "refund", "退还")
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
        method=method or _held_method(session, source),
        payee=(payee.strip() or "、".join(p.name for p in owners_of(session, unit)))[:200],
        actor_id=getattr(actor, "id", None),
        approved_by_id=approved_by.id,
        reason="退还押金",
    )
    session.add(entry)
    session.flush()
    return entry


def _held_method(session: Session, source: str) -> str:
    return session.scalar(
        select(DepositEntry.method).where(DepositEntry.source == source, DepositEntry.kind == "hold")
        .order_by(DepositEntry.id).limit(1)
    ) or "cash"


@attributed
def reverse_deposit_entry(session: Session, actor, entry: DepositEntry | int, *, reason: str) -> DepositEntry:
    """Cancel a deposit entry (红冲) with a ``reversal`` entry; needs ``billing.reverse``.

    A hold can be reversed only while its money is all still held; a reversal, or an entry already
    reversed, cannot be reversed.
    """
    authorize(session, actor, "billing.reverse")
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationError(Text("say why the entry is reversed", "请填写冲销原因"), field="reason")
    if isinstance(entry, int):
        found = session.get(DepositEntry, entry)
        if found is None:
            raise NotFound(Text(f"no deposit entry #{entry}", f"没有押金记录 #{entry}"), field="entry")
        entry = found
    if entry.kind == "reversal":
        raise Conflict(Text(f"deposit entry #{entry.id} is itself a reversal", f"押金记录 #{entry.id} 本身是冲销记录"),
                       field="entry")
    lock_account(session, entry.unit)
    if session.scalar(select(DepositEntry.id).where(DepositEntry.reverses_id == entry.id)) is not None:
        raise Conflict(Text(f"deposit entry #{entry.id} is already reversed", f"押金记录 #{entry.id} 已冲销"),
                       field="entry")
    if entry.kind == "hold":
        balance = deposit_balance_fen(session, source=entry.source)
        if balance < entry.amount_fen:
            raise Conflict(
                Text(f"only {balance} fen of this deposit is still held; reverse the deductions and refunds first",
                     f"该押金仅余 ¥{fen_to_yuan(balance):,}，请先冲销扣除或退还记录"), field="entry"
            )
    rev = DepositEntry(
        estate_id=entry.estate_id,
        unit_id=entry.unit_id,
        source=entry.source,
        kind="reversal",
        amount_fen=entry.amount_fen,
        method=entry.method,
        reason=f"冲销 #{entry.id}: {reason.strip()}"[:400],
        actor_id=getattr(actor, "id", None),
        reverses_id=entry.id,
    )
    session.add(rev)
    session.flush()
    return rev


def deposit_income_fen(session: Session, estate, start, end) -> int:
    """Deductions kept as income between ``start`` and ``end`` (business days of their receipts), net of
    reversed ones."""
    from plugins.billing.models import Receipt

    rev = aliased(DepositEntry)
    return int(session.scalar(
        select(func.coalesce(func.sum(DepositEntry.amount_fen), 0))
        .join(Receipt, Receipt.deposit_entry_id == DepositEntry.id)
        .where(DepositEntry.estate_id == getattr(estate, "id", estate), DepositEntry.kind == "deduct",
               Receipt.issued_on >= start, Receipt.issued_on <= end,
               ~select(rev.id).where(rev.reverses_id == DepositEntry.id).exists())
    ))
