"""Billing's printable documents (hook ``wuye_documents``): the receipt (收款收据) of a payment, the
deposit receipt (押金收据) and the payment notice (缴费通知单) of a unit for a period, printed one by
one or as one PDF per building (``wuye documents print billing.payment_notice --building ID``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import Document, Text, ValidationError, amount_in_words, estate_today, owners_of
from core.models import StaffUser, Unit
from plugins.billing.ledger import open_lines
from plugins.billing.models import (
    CLOSE_METHODS,
    METHODS,
    Allocation,
    ChargeLine,
    DailyClose,
    DepositEntry,
    FeeItem,
    Payment,
    Receipt,
    ReceiptVoid,
)
from plugins.billing.periods import parse_period

METHODS_EN = {"cash": "Cash", "card": "Card", "transfer": "Bank transfer", "wechat": "WeChat Pay",
              "alipay": "Alipay", "prepaid": "Prepaid balance"}


def _item_name(item: FeeItem, lang: str) -> str:
    return (item.name_zh or item.name) if lang == "zh_CN" else item.name


def receipt_context(session: Session, receipt: Receipt, actor, **_params) -> dict:
    """A payment's receipt: payer, unit, the lines paid (fee item, period, amount), method, cashier."""
    payment = session.get(Payment, receipt.payment_id)
    unit = session.get(Unit, payment.unit_id)
    rows = session.execute(
        select(Allocation.amount_fen, ChargeLine, FeeItem)
        .join(ChargeLine, ChargeLine.id == Allocation.charge_line_id)
        .join(FeeItem, FeeItem.id == ChargeLine.fee_item_id)
        .where(Allocation.payment_id == payment.id)
        .order_by(ChargeLine.period, FeeItem.code, ChargeLine.id))
    items = [{"fee_item": item, "period": line.period or "", "description": line.description,
              "amount_fen": amount} for amount, line, item in rows]
    cashier = session.get(StaffUser, receipt.issued_by_id) if receipt.issued_by_id else None
    void = session.scalar(select(ReceiptVoid).where(ReceiptVoid.receipt_id == receipt.id))
    reversal = session.get(Payment, void.reversal_id) if void is not None else None
    return {"receipt": receipt, "payment": payment, "unit": unit, "items": items, "void": void, "reversal": reversal,
            "to_prepaid_fen": payment.to_prepaid_fen, "item_name": _item_name,
            "method": (METHODS.get(payment.method, payment.method), METHODS_EN.get(payment.method, payment.method)),
            "capital": amount_in_words(receipt.amount_fen),
            "cashier": (cashier.full_name or cashier.username) if cashier else "",
            "signatures": [("Payer", "交款人"), ("Cashier", "收款人")]}


def deposit_receipt_context(session: Session, receipt: Receipt, actor, **_params) -> dict:
    """A deposit's receipt: what it secures (source), amount in figures and 大写, method."""
    entry = session.get(DepositEntry, receipt.deposit_entry_id)
    cashier = session.get(StaffUser, receipt.issued_by_id) if receipt.issued_by_id else None
    return {"receipt": receipt, "entry": entry, "unit": session.get(Unit, entry.unit_id),
            "method": (METHODS.get(entry.method, entry.method), METHODS_EN.get(entry.method, entry.method)),
            "capital": amount_in_words(receipt.amount_fen),
            "cashier": (cashier.full_name or cashier.username) if cashier else "",
            "signatures": [("Payer", "交款人"), ("Cashier", "收款人")]}


def notice_context(session: Session, unit: Unit, actor, period: str | None = None, **_params) -> dict:
    """A unit's payment notice for ``period`` (default: this month at the estate): the period's
    charges with what is still open, earlier arrears, the total due and the due date."""
    if period is None:
        period = estate_today(session, unit.estate).strftime("%Y-%m")
    parse_period(period)
    this, earlier = [], []
    for line, open_fen in open_lines(session, unit.id):
        (this if line.period == period else earlier if (line.period or "") < period else []).append(
            {"line": line, "fee_item": session.get(FeeItem, line.fee_item_id), "open_fen": open_fen})
    if not this and not earlier:
        billed = session.scalar(select(ChargeLine.id).where(ChargeLine.unit_id == unit.id,
                                                            ChargeLine.period == period).limit(1))
        if billed is None:
            raise ValidationError(Text(f"{unit.label} has no charges for {period}: run billing for the period first",
                                       f"房屋 {unit.label} 没有 {period} 的应收费用，请先生成该账期账单"), field="period")
    total = sum(r["open_fen"] for r in this + earlier)
    due = min((r["line"].due_on for r in this), default=None)
    owners = owners_of(session, unit)
    return {"unit": unit, "period": period, "lines": this, "arrears": earlier, "total_fen": total,
            "capital": amount_in_words(total), "due_on": due, "item_name": _item_name,
            "owner": "、".join(p.name for p in owners),
            "methods": [(METHODS_EN[k], v) for k, v in METHODS.items() if k != "prepaid"],
            "show_stamp": True, "signatures": []}


def notice_batch(session: Session, building, period: str | None = None, **_params) -> list[Unit]:
    """The units of a building billed for ``period`` (default: this month), in room order, for one
    PDF of notices; units with nothing billed for the period get no notice."""
    if period is None:
        period = estate_today(session, building.estate).strftime("%Y-%m")
    parse_period(period)
    billed = select(ChargeLine.id).where(ChargeLine.unit_id == Unit.id, ChargeLine.period == period).exists()
    return list(session.scalars(select(Unit).where(Unit.building_id == building.id, billed)
                                .order_by(Unit.entrance, Unit.floor, Unit.room_no, Unit.id)))


def _receipt_of(session: Session, record) -> Receipt | None:
    column = Receipt.payment_id if isinstance(record, Payment) else Receipt.deposit_entry_id
    return session.scalar(select(Receipt).where(column == record.id).limit(1))


def daily_close_context(session: Session, close: DailyClose, actor, **_params) -> dict:
    """The daily close sheet (日清表): totals by method, receipt range, voids, handed-in net, signatures."""
    cashier = session.get(StaffUser, close.cashier_id)
    voids = session.scalars(select(ReceiptVoid).join(Payment, Payment.id == ReceiptVoid.reversal_id)
                            .where(Payment.collector_id == close.cashier_id, Payment.estate_id == close.estate_id,
                                   Payment.paid_on == close.business_day).order_by(ReceiptVoid.id)).all()
    void_rows = [{"void": v, "receipt": session.get(Receipt, v.receipt_id), "payment": session.get(Payment, v.payment_id)}
                 for v in voids]
    methods = [(METHODS_EN[m], METHODS[m], getattr(close, f"{m}_fen")) for m in CLOSE_METHODS]
    return {"close": close, "cashier": (cashier.full_name or cashier.username) if cashier else "",
            "methods": methods, "voids": void_rows, "capital": amount_in_words(max(close.net_fen, 0)),
            "signatures": [("Cashier", "收款人"), ("Finance", "财务复核")]}


PERIOD = {"period": ("Period (YYYY-MM)", "账期 (YYYY-MM)")}


def documents() -> list[Document]:
    return [
        Document(name="billing.receipt", label="Receipt", label_zh="收款收据", model=Receipt,
                 template="billing/receipt.html", context=receipt_context, permission="billing.post_payment",
                 number=lambda r: r.number, page_size="A5 landscape", applies=lambda r: r.payment_id is not None,
                 via={Payment: _receipt_of}, order=10),
        Document(name="billing.deposit_receipt", label="Deposit receipt", label_zh="押金收据", model=Receipt,
                 template="billing/deposit_receipt.html", context=deposit_receipt_context,
                 permission="billing.manage_deposits", number=lambda r: r.number, page_size="A5 landscape",
                 applies=lambda r: r.deposit_entry_id is not None, via={DepositEntry: _receipt_of}, order=20),
        Document(name="billing.payment_notice", label="Payment notice", label_zh="缴费通知单", model=Unit,
                 template="billing/payment_notice.html", context=notice_context, permission="billing.view",
                 prefix="PN", page_size="A4", params=PERIOD, batch=notice_batch, order=30),
        Document(name="billing.daily_close", label="Daily close sheet", label_zh="收费日清表", model=DailyClose,
                 template="billing/daily_close.html", context=daily_close_context, permission="billing.view",
                 number=lambda c: f"RJ-{c.business_day.strftime('%Y%m%d')}-{c.cashier_id}", page_size="A4",
                 order=40),
    ]
