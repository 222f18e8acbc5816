"""The cashier desk (收银台): find a unit, see what is open, take a payment, correct mistakes (红冲).

The screen (``/admin/billing_cashier/``) and the API (``/api/v1/billing/cashier/...``) both call these
functions with input loaded by the schemas in ``schemas.py``; the money rules live in ``payments.py``
and ``ledger.py`` (locking, allocation, receipts) and ``daily_close.py`` (closed days).
"""

from __future__ import annotations

from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import (
    NotFound,
    Text,
    authorize,
    confirm_second_person,
    find_parties,
    find_units,
    get_scoped,
    parse_unit,
    scoped_select,
)
from core.models import StaffUser, Unit, UnitRelation
from plugins.billing.ledger import open_lines, reverse_charge
from plugins.billing.models import ChargeLine, FeeItem, Payment, Receipt, ReceiptVoid
from plugins.billing.payments import prepaid_balance_fen, record_payment, reverse_payment

UNITS_SHOWN = 20


def search_units(session: Session, actor, query: str) -> list[Unit]:
    """Units for the desk's search box: a room label (``3-1-1201``), an owner's name or a phone tail,
    through the staff workplace's search (same rules, same masking of phones)."""
    query = (query or "").strip()[:100]
    if not query:
        return []
    found: dict[int, Unit] = {}
    parsed = parse_unit(query)
    if parsed is not None:
        found.update((u.id, u) for u in find_units(session, actor, parsed))
    parties = find_parties(session, actor, query)
    if parties:
        stmt = (scoped_select(session, actor, UnitRelation)
                .where(UnitRelation.party_id.in_([p.id for p in parties]), UnitRelation.end_on.is_(None))
                .limit(UNITS_SHOWN))
        for rel in session.scalars(stmt):
            found.setdefault(rel.unit_id, rel.unit)
    return list(found.values())[:UNITS_SHOWN]


def open_items(session: Session, unit: Unit) -> dict:
    """What the desk shows for ``unit``: open lines grouped by period (oldest first), each with its fee
    item, due date, open fen and whether it is a late fee (滞纳金); totals and the prepaid balance."""
    rows = []
    items: dict[int, FeeItem] = {}
    for line, open_fen in open_lines(session, unit.id):
        item = items.get(line.fee_item_id) or session.get(FeeItem, line.fee_item_id)
        items[line.fee_item_id] = item
        rows.append({"line": line, "fee_item": item, "open_fen": open_fen, "paid_fen": line.amount_fen - open_fen,
                     "late_fee": line.origin == "late_fee"})
    groups = [{"period": period or "", "rows": list(g)}
              for period, g in groupby(rows, key=lambda r: r["line"].period or "")]
    for g in groups:
        g["open_fen"] = sum(r["open_fen"] for r in g["rows"])
    return {"unit": unit, "groups": groups, "open_fen": sum(r["open_fen"] for r in rows),
            "late_fee_fen": sum(r["open_fen"] for r in rows if r["late_fee"]),
            "prepaid_fen": prepaid_balance_fen(session, unit)}


def take_payment(session: Session, actor, data: dict) -> dict:
    """Take money at the desk (``CashierPaymentSchema`` input): the ticked lines, or oldest first.

    Returns the payment, its receipt and the change due on cash. Paying more than is open without
    ``confirm`` raises ``ConfirmationRequired`` naming the surplus; nothing is written.
    """
    authorize(session, actor, "billing.post_payment")
    try:
        unit = get_scoped(session, actor, Unit, data["unit_id"])
    except NotFound:
        raise NotFound(Text(f"no such unit #{data['unit_id']}", f"找不到房屋 #{data['unit_id']}"),
                       field="unit_id") from None
    lines = data.get("lines") or None
    if lines is None and not data.get("oldest_first"):
        lines = None  # nothing ticked: oldest first, as the cashier says "pay what is owed"
    payment = record_payment(session, actor, unit=unit, amount_fen=data["amount_fen"], method=data["method"],
                             lines=lines, payer=data.get("payer", ""), reference=data.get("reference", ""),
                             paid_on=data.get("paid_on"), confirm_prepaid=bool(data.get("confirm")))
    tendered = data.get("tendered_fen")
    receipt = session.scalar(select(Receipt).where(Receipt.payment_id == payment.id))
    return {"payment": payment, "receipt": receipt,
            "change_fen": (tendered - payment.amount_fen) if tendered is not None else 0}


def second_person_by_login(session: Session, actor, username: str | None, password: str | None,
                           payment: Payment) -> StaffUser | None:
    """The second person of a reversal (双人复核), proven by their own login and password typed at the desk
    (core's ``confirm_second_person``: login limits, never the cashier, holds ``billing.reverse`` for the
    estate). None when no login is given: the payments service then says whether one is needed."""
    if not username:
        return None
    return confirm_second_person(session, actor, username, password, permission="billing.reverse",
                                 target=payment)


def reverse_payment_at_desk(session: Session, actor, payment_id: int, data: dict) -> Payment:
    """红冲 of a payment from the desk or the API (``PaymentReversalSchema`` input); its receipt is voided."""
    authorize(session, actor, "billing.reverse")
    try:
        payment = get_scoped(session, actor, Payment, payment_id)
    except NotFound:
        raise NotFound(Text(f"no such payment #{payment_id}", f"没有收款 #{payment_id}"), field="payment") from None
    second = second_person_by_login(session, actor, data.get("second_username"), data.get("second_password"),
                                    payment)
    return reverse_payment(session, actor, payment, reason=data["reason"], second_person=second)


def reverse_charge_at_desk(session: Session, actor, line_id: int, data: dict) -> ChargeLine:
    """Reversal (冲销) of a charge line from the desk or the API (``ChargeReversalSchema`` input)."""
    authorize(session, actor, "billing.reverse")
    try:
        line = get_scoped(session, actor, ChargeLine, line_id)
    except NotFound:
        raise NotFound(Text(f"no such charge line #{line_id}", f"没有应收明细 #{line_id}"), field="line") from None
    return reverse_charge(session, actor, line, reason=data["reason"])


def recent_payments(session: Session, actor, unit: Unit, limit: int = 10) -> list[dict]:
    """The unit's last payments for the desk, each with its receipt and whether it is void (作废)."""
    payments = session.scalars(scoped_select(session, actor, Payment).where(Payment.unit_id == unit.id)
                               .order_by(Payment.id.desc()).limit(limit)).all()
    voided = set(session.scalars(select(ReceiptVoid.payment_id)
                                 .where(ReceiptVoid.payment_id.in_([p.id for p in payments] or [0]))))
    receipts = {r.payment_id: r for r in session.scalars(
        select(Receipt).where(Receipt.payment_id.in_([p.id for p in payments] or [0])))}
    return [{"payment": p, "receipt": receipts.get(p.id), "void": p.id in voided,
             "reversible": p.reverses_id is None and p.reversed_at is None} for p in payments]
