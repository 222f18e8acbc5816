"""The cashier's daily close (日清): totals by method, receipt range and voids, per cashier and day.

Closing a day freezes it for that cashier: a payment or reversal dated on or before the cashier's last
closed day is refused (:func:`check_day_open`, called by ``record_payment`` and ``reverse_payment``), so
what was handed in to finance matches the books for good. A close is final; a mistake found after it is
corrected by a reversal dated today.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import Conflict, NotFound, Text, ValidationError, attributed, authorize, estate_today, get_scoped
from core.models import Estate, StaffUser
from plugins.billing.models import CLOSE_METHODS, DailyClose, Payment


def last_closed_day(session: Session, cashier_id: int, estate_id: int) -> dt.date | None:
    """The cashier's latest closed business day in the estate, or None."""
    return session.scalar(select(func.max(DailyClose.business_day))
                          .where(DailyClose.cashier_id == cashier_id, DailyClose.estate_id == estate_id))


def check_day_open(session: Session, actor, estate_id: int, day: dt.date) -> None:
    """Refuse money dated ``day`` when ``actor`` (a cashier) has closed that day or a later one.

    The system (no actor: a billing run spending prepaid balances) has no till and is never refused.
    """
    cashier_id = getattr(actor, "id", None)
    if cashier_id is None:
        return
    closed = last_closed_day(session, cashier_id, estate_id)
    if closed is not None and day <= closed:
        raise Conflict(
            Text(f"paid_on: your cash is closed up to {closed.isoformat()} (daily close); a payment or reversal "
                 f"dated {day.isoformat()} is refused: date it after {closed.isoformat()}",
                 f"收款日期: 您已日清至 {closed.isoformat()}，不能再登记 {day.isoformat()} 的收款或冲销，"
                 f"请使用 {closed.isoformat()} 之后的日期"), field="paid_on")


def day_totals(session: Session, estate_id: int, cashier_id: int, day: dt.date) -> dict:
    """What the cashier took on ``day``: counts, received / voided / net fen, net per method, receipt range.

    Reversals (红冲) count as voids on the day they are booked, whatever the day of the payment they
    cancel; prepaid applications move no money and are left out.
    """
    rows = session.execute(
        select(Payment.amount_fen, Payment.method, Payment.receipt_no, Payment.reverses_id)
        .where(Payment.estate_id == estate_id, Payment.collector_id == cashier_id, Payment.paid_on == day,
               Payment.method != "prepaid")
        .order_by(Payment.id)).all()
    by_method = dict.fromkeys(CLOSE_METHODS, 0)
    received = voided = voids = 0
    numbers = []
    for amount, method, number, reverses in rows:
        by_method[method] = by_method.get(method, 0) + amount
        if reverses is None:
            received += amount
        else:
            voids += 1
            voided += -amount
        if number:
            numbers.append(number)
    return {"payments": len(rows), "received_fen": received, "voids": voids, "voided_fen": voided,
            "net_fen": received - voided, "by_method": by_method,
            "first_receipt_no": min(numbers) if numbers else None,
            "last_receipt_no": max(numbers) if numbers else None}


@attributed
def close_day(session: Session, actor, *, estate: Estate | int, day: dt.date | None = None,
              cashier: StaffUser | int | None = None, note: str = "") -> DailyClose:
    """Close ``day`` (default: today at the estate) for ``cashier`` (default: the actor).

    A cashier closes their own till (``billing.post_payment``); closing another cashier's needs
    ``billing.reverse`` (finance). A future day, or a day already closed (or before the last close) is
    refused. Flushes, never commits.
    """
    authorize(session, actor, "billing.post_payment")
    if isinstance(estate, int):
        estate = get_scoped(session, actor, Estate, estate)
    cashier_id = cashier if isinstance(cashier, int) else getattr(cashier, "id", None) or getattr(actor, "id", None)
    if cashier_id is None:
        raise ValidationError(Text("name the cashier whose day is closed", "请选择要日清的收款人"), field="cashier_id")
    if cashier_id != getattr(actor, "id", None):
        authorize(session, actor, "billing.reverse")
        if session.get(StaffUser, cashier_id) is None:
            raise NotFound(Text(f"no staff user #{cashier_id}", f"没有员工 #{cashier_id}"), field="cashier_id")
    today = estate_today(session, estate)
    day = day or today
    if day > today:
        raise ValidationError(Text(f"business_day: {day.isoformat()} has not come yet; close today or an earlier day",
                                   f"日清日期: {day.isoformat()} 尚未到来，只能日清今天或之前的日期"),
                              field="business_day")
    closed = last_closed_day(session, cashier_id, estate.id)
    if closed is not None and day <= closed:
        raise Conflict(Text(f"business_day: this cashier is already closed up to {closed.isoformat()}",
                            f"日清日期: 该收款人已日清至 {closed.isoformat()}"), field="business_day")
    totals = day_totals(session, estate.id, cashier_id, day)
    by_method = totals.pop("by_method")
    close = DailyClose(estate_id=estate.id, cashier_id=cashier_id, business_day=day,
                       closed_by_id=getattr(actor, "id", None), note=note[:400], **totals,
                       **{f"{m}_fen": by_method.get(m, 0) for m in CLOSE_METHODS})
    try:
        with session.begin_nested():
            session.add(close)
    except IntegrityError:  # closed at the same moment elsewhere
        raise Conflict(Text("business_day: this day is already closed", "日清日期: 该日已日清"),
                       field="business_day") from None
    return close


def close_day_action(session, actor, data: dict) -> DailyClose:
    """The daily close screen's and API's ``create_service`` (``DailyCloseSchema`` input)."""
    return close_day(session, actor, estate=data["estate_id"], day=data.get("business_day"),
                     cashier=data.get("cashier_id"), note=data.get("note", ""))
