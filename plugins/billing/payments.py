"""Payments (实收), allocation to charge lines (核销), receipts (收款收据) and the prepaid balance (预存).

Each payment locks the unit's billing account first (:func:`~plugins.billing.ledger.lock_account`),
then reads what is open, so eight cashiers taking money for one bill at once lose nothing: each
sees the allocations of the ones before it, and the surplus lands in the prepaid balance.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from core import (
    ConfirmationRequired,
    Conflict,
    NotFound,
    Text,
    ValidationError,
    attributed,
    authorize,
    estate_today,
    fen_to_yuan,
    has_permission,
    next_number,
    utcnow,
)
from core.models import StaffUser, Unit
from plugins.billing.daily_close import check_day_open
from plugins.billing.ledger import check_fen, line_paid_fen, lock_account, open_lines
from plugins.billing.models import METHODS, Account, Allocation, ChargeLine, Payment, Receipt, ReceiptVoid
from plugins.billing.settings import billing_settings


@attributed
def record_payment(
    session: Session,
    actor,
    *,
    unit: Unit,
    amount_fen: int,
    method: str,
    lines: list[int] | None = None,
    payer: str = "",
    reference: str = "",
    paid_on: dt.date | None = None,
    note: str = "",
    confirm_prepaid: bool = True,
) -> Payment:
    """Record money received for ``unit`` and allocate it (contract used by other plugins).

    Allocates to ``lines`` (ids, in due order) if given, else to the unit's oldest open lines; the
    surplus goes to the unit's prepaid balance. ``method="prepaid"`` spends that balance instead of
    new money (no receipt). Issues a receipt number ``RC-<year>-000001``. Flushes, never commits.
    With ``confirm_prepaid=False`` (a cashier's entry not yet confirmed) a surplus raises
    :class:`~core.ConfirmationRequired` stating the amount going to prepaid, and nothing is recorded.
    """
    check_fen(amount_fen)
    if method not in METHODS:
        raise ValidationError(
            Text(f"{method!r} is not a payment method; use one of {', '.join(METHODS)}",
                 f"{method!r} 不是有效的付款方式，可选：{'、'.join(METHODS.values())}"), field="method"
        )
    if not isinstance(unit, Unit):
        raise ValidationError("unit must be a core Unit", field="unit")
    if lines is not None:
        if not isinstance(lines, list | tuple) or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in lines
        ):
            raise ValidationError(Text("lines is a list of charge-line ids", "核销明细须为应收明细编号列表"), field="lines")
        _check_lines(session, unit, lines)
    account = lock_account(session, unit)
    if lines is not None:
        _check_lines(session, unit, lines)  # again under the lock: a reversal may have just landed
    if method == "prepaid" and amount_fen > account.prepaid_fen:
        raise ValidationError(
            Text(f"the prepaid balance is {account.prepaid_fen} fen, less than {amount_fen}",
                 f"预存款余额 ¥{fen_to_yuan(account.prepaid_fen):,}，不足 ¥{fen_to_yuan(amount_fen):,}"),
            field="amount_fen"
        )
    targets = open_lines(session, unit.id, list(lines) if lines is not None else None)
    paid_on = paid_on or estate_today(session, unit.estate)
    if method != "prepaid":  # money at a till: not into a day the cashier has closed (日清)
        check_day_open(session, actor, unit.estate_id, paid_on)
    payment = Payment(
        estate_id=unit.estate_id,
        unit_id=unit.id,
        amount_fen=amount_fen,
        method=method,
        payer=payer[:200],
        reference=reference[:200],
        paid_on=paid_on,
        note=note[:400],
        collector_id=getattr(actor, "id", None),
    )
    left = amount_fen
    for line, open_ in targets:
        if left <= 0:
            break
        take = min(left, open_)
        payment.allocations.append(
            Allocation(estate_id=unit.estate_id, charge_line_id=line.id, amount_fen=take)
        )
        left -= take
    if method == "prepaid":
        # spending the balance: only what was allocated leaves it
        payment.amount_fen = amount_fen - left
        if payment.amount_fen == 0:
            raise Conflict(Text("nothing is open on this unit to pay from the prepaid balance",
                                "该房屋没有待缴费用，无需用预存款抵扣"), field="amount_fen")
        _move_prepaid(session, account, -payment.amount_fen)
    else:
        if left and not confirm_prepaid:
            owed, extra = f"{fen_to_yuan(amount_fen - left):,}", f"{fen_to_yuan(left):,}"
            if amount_fen == left:
                message = Text(f"Nothing is owed on {unit.label}; all ¥{extra} of this payment goes to its prepaid "
                               "balance. Confirm to record it.",
                               f"房屋 {unit.label} 当前没有欠费，本次收款 ¥{extra} 将全部转入预存款。请确认后再收款。")
            else:
                message = Text(f"¥{owed} is owed on {unit.label}; the other ¥{extra} of this payment goes to its "
                               "prepaid balance. Confirm to record it.",
                               f"房屋 {unit.label} 当前欠费 ¥{owed}，本次收款多出的 ¥{extra} 将转入预存款。请确认后再收款。")
            raise ConfirmationRequired(message, field="confirm")
        payment.to_prepaid_fen = left
        if left:
            _move_prepaid(session, account, left)
    session.add(payment)
    session.flush()
    _announce(session, payment, actor)
    if method != "prepaid":
        issue_receipt_last(session, actor, payment, paid_on, amount_fen, payer)
    return payment


def _announce(session: Session, payment: Payment, actor) -> None:
    """``wuye_billing_payment_recorded`` (see hookspecs.py), before the receipt locks its counter."""
    wuye = session.info.get("wuye")
    if wuye is not None:
        wuye.hook.wuye_billing_payment_recorded(session=session, payment=payment, actor=actor)


def _check_lines(session: Session, unit: Unit, ids: list[int]) -> None:
    found = {
        line.id: line
        for line in session.scalars(
            select(ChargeLine).where(ChargeLine.id.in_(ids)).execution_options(populate_existing=True)
        )
    }
    for i in ids:
        line = found.get(i)
        if line is None or line.unit_id != unit.id:
            raise NotFound(Text(f"charge line #{i} is not a line of unit {unit.label}",
                                f"应收明细 #{i} 不属于房屋 {unit.label}"), field="lines")
        if line.origin == "reversal" or line.reversed_at is not None:
            raise Conflict(
                Text(f"charge line #{i} is reversed; a payment on a reversed line is refused",
                     f"应收明细 #{i} 已冲销，不能再收款"), field="lines"
            )


_MOVE_PREPAID = (
    update(Account)
    .where(Account.id == bindparam("p_account"))
    .values(prepaid_fen=Account.prepaid_fen + bindparam("p_delta"), updated_at=bindparam("p_now"))
    .returning(Account.prepaid_fen, Account.updated_at)
    .execution_options(synchronize_session=False)
)


def _move_prepaid(session: Session, account: Account, delta: int, category: str | None = None) -> None:
    """Add ``delta`` to the balance in SQL (the row is locked) and keep ``account`` in step.

    The earmarked part moves too (:mod:`plugins.billing.prepaid`): ``category``, or the surrounding
    ``earmark`` block's, or the general part.
    """
    from plugins.billing.prepaid import move_parts

    balance, updated_at = session.execute(
        _MOVE_PREPAID, {"p_account": account.id, "p_delta": delta, "p_now": utcnow()}
    ).one()
    set_committed_value(account, "prepaid_fen", balance)
    set_committed_value(account, "updated_at", updated_at)
    move_parts(session, account, delta, category)


def issue_receipt_last(session: Session, actor, record, day: dt.date, amount_fen: int, payer: str) -> str:
    """Number a receipt (收款收据) for ``record`` (a payment or deposit entry, already flushed), insert
    it and stamp the record's ``receipt_no``; call it as the transaction's last step.

    Receipt numbers are gapless per estate and year, so the counter row stays locked from here to
    the commit: every cashier of the estate waits for it. Taken last, the wait covers three small
    statements and the commit instead of the whole payment (8 concurrent payments on one estate, in
    SQL alone: about 1.6 times the rate of taking it first). They are Core statements, so no ORM
    flush runs while the counter is locked. ``receipt_no`` is written by a plain UPDATE, not as an
    ORM change: an "update" entry per payment would count every payment twice in the per-staff
    activity report. Receipts are not in the activity trail: never changed, they carry their issuer
    and time themselves.
    """
    number = next_number(session, "RC", estate_id=record.estate_id, year=day.year)
    is_payment = isinstance(record, Payment)
    session.execute(insert(Receipt.__table__).values(
        estate_id=record.estate_id,
        number=number,
        payment_id=record.id if is_payment else None,
        deposit_entry_id=None if is_payment else record.id,
        amount_fen=amount_fen,
        payer=payer[:200],
        issued_on=day,
        issued_by_id=getattr(actor, "id", None),
        created_at=utcnow(),
    ))
    table = type(record).__table__
    session.execute(update(table).where(table.c.id == record.id).values(receipt_no=number))
    set_committed_value(record, "receipt_no", number)
    return number


def prepaid_balance_fen(session: Session, unit: Unit, category: str | None = None) -> int:
    """The unit's prepaid balance (total), or one fee category's earmarked part (``""``: general)."""
    from plugins.billing.prepaid import balance_fen

    return balance_fen(session, unit, category)


def apply_prepaid(
    session: Session, unit: Unit, actor=None, *, paid_on: dt.date | None = None
) -> Payment | None:
    """Spend the unit's prepaid balance on its open lines, oldest first: each earmarked part on its own
    fee category's lines, then the general part on any (``prepaid.apply_prepaid_all``). Returns the
    last payment made (one per part used), None when nothing moves."""
    from plugins.billing.prepaid import apply_prepaid_all

    done = apply_prepaid_all(session, unit, actor, paid_on=paid_on)
    return done[-1] if done else None


def apply_prepaid_for_estate(
    session: Session, estate_id: int, actor=None, *, paid_on: dt.date | None = None
) -> dict:
    """After a run: every account of the estate with a prepaid balance pays its open lines."""
    units = list(
        session.scalars(
            select(Unit)
            .join(Account, Account.unit_id == Unit.id)
            .where(Account.estate_id == estate_id, Account.prepaid_fen > 0)
        )
    )
    from plugins.billing.prepaid import apply_prepaid_all

    applied, amount = 0, 0
    for unit in units:
        payments = apply_prepaid_all(session, unit, actor, paid_on=paid_on)
        if payments:
            applied += 1
            amount += sum(p.amount_fen for p in payments)
    return {"accounts": applied, "amount_fen": amount}


@attributed
def reverse_payment(
    session: Session, actor, payment: Payment | int, *, reason: str, second_person: StaffUser | None = None
) -> Payment:
    """Cancel a payment with a reversal payment (红冲): negative allocations, prepaid surplus taken back.

    Needs ``billing.reverse``. Refused when the prepaid surplus of the payment has already been spent
    (reverse the prepaid applications first), for reversal rows and for payments already reversed, and
    when the actor's day is closed (日清). The payment's receipt is made void (作废), linked to the
    reversal. With ``[plugins.billing] reversal_needs_second_person = true`` a ``second_person`` (another
    holder of ``billing.reverse``, who confirmed at the desk) is required.
    """
    authorize(session, actor, "billing.reverse")
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationError(Text("say why the payment is reversed", "请填写冲销收款的原因"), field="reason")
    _check_second_person(session, actor, second_person)
    if isinstance(payment, int):
        payment = session.get(Payment, payment)
        if payment is None:
            raise NotFound(Text("no such payment", "没有这笔收款"), field="payment")
    if payment.reverses_id is not None:
        raise Conflict(Text(f"payment #{payment.id} is itself a reversal", f"收款 #{payment.id} 本身是冲销记录"),
                       field="payment")
    account = lock_account(session, payment.unit)
    session.refresh(payment)
    if payment.reversed_at is not None:
        raise Conflict(Text(f"payment {payment} is already reversed", f"收款 {payment} 已冲销"), field="payment")
    if payment.method == "prepaid":
        delta = payment.amount_fen  # the money goes back to the balance
    else:
        delta = -payment.to_prepaid_fen
        if account.prepaid_fen + delta < 0:
            raise Conflict(
                f"{payment.to_prepaid_fen} fen of payment {payment} went to the prepaid balance and "
                f"only {account.prepaid_fen} fen is left; reverse the prepaid applications first",
                field="payment",
            )
    today = estate_today(session, payment.unit.estate)
    if payment.method != "prepaid":
        check_day_open(session, actor, payment.estate_id, today)
    rev = Payment(
        estate_id=payment.estate_id,
        unit_id=payment.unit_id,
        amount_fen=-payment.amount_fen,
        to_prepaid_fen=-payment.to_prepaid_fen,
        method=payment.method,
        payer=payment.payer,
        reference=payment.reference,
        paid_on=today,
        collector_id=getattr(actor, "id", None),
        reverses_id=payment.id,
        note=f"冲销 {payment}: {reason.strip()}"[:400],
    )
    for alloc in payment.allocations:
        if alloc.amount_fen:
            rev.allocations.append(
                Allocation(
                    estate_id=alloc.estate_id,
                    charge_line_id=alloc.charge_line_id,
                    amount_fen=-alloc.amount_fen,
                )
            )
    if delta:
        _move_prepaid(session, account, delta)
    payment.reversed_at = utcnow()
    session.add(rev)
    session.flush()
    _announce(session, rev, actor)
    if payment.method != "prepaid":
        _void_receipt(session, actor, payment, rev, reason.strip(), today, second_person)
        issue_receipt_last(session, actor, rev, today, -payment.amount_fen, payment.payer)
    return rev


def _check_second_person(session: Session, actor, second: StaffUser | None) -> None:
    """The company may ask for a second person on every reversal (双人复核): another holder of
    ``billing.reverse``, never the one reversing."""
    if second is None:
        if billing_settings(session)["reversal_needs_second_person"]:
            raise ValidationError(
                Text("second_person: a reversal needs a second person (reversal_needs_second_person): another "
                     "holder of billing.reverse confirms with their own login",
                     "复核人: 冲销须由第二人复核，请另一位有冲销权限的同事输入其账号和密码确认"), field="second_person")
        return
    if not isinstance(second, StaffUser) or not second.active:
        raise ValidationError(Text("second_person: not an active staff user", "复核人: 不是有效的员工账号"),
                              field="second_person")
    if second.id == getattr(actor, "id", None):
        raise ValidationError(Text("second_person: the second person must be someone else than the one reversing",
                                   "复核人: 复核人不能是冲销人本人，请由另一位同事确认"), field="second_person")
    if not has_permission(session, second, "billing.reverse"):
        raise ValidationError(Text(f"second_person: {second.username} may not confirm reversals (billing.reverse)",
                                   f"复核人: {second.full_name or second.username} 没有冲销权限，不能复核"),
                              field="second_person")


def _void_receipt(session: Session, actor, payment: Payment, rev: Payment, reason: str, day: dt.date,
                  second: StaffUser | None) -> None:
    """Mark the payment's receipt void (作废) and link it to the reversal (a side row; receipts never change)."""
    receipt_id = session.scalar(select(Receipt.id).where(Receipt.payment_id == payment.id).limit(1))
    if receipt_id is None:
        return
    session.add(ReceiptVoid(estate_id=payment.estate_id, receipt_id=receipt_id, payment_id=payment.id,
                            reversal_id=rev.id, reason=reason[:400], voided_on=day,
                            voided_by_id=getattr(actor, "id", None),
                            second_person_id=second.id if second is not None else None))
    session.flush()


def line_status(session: Session, line: ChargeLine) -> dict:
    """Amount, paid and open fen of one line, and whether it is reversed."""
    paid = line_paid_fen(session, line.id)
    return {
        "amount_fen": line.amount_fen,
        "paid_fen": paid,
        "open_fen": 0 if line.reversed_at or line.origin == "reversal" else line.amount_fen - paid,
        "reversed": line.reversed_at is not None,
    }
