"""Orders (便民服务登记, 《便民服务活动记录表》): booking, the workflow steps, and what billing says.

An order takes its price from the estate's *published* price list and keeps it (``price_fen`` and
``amount_fen`` are copied), so a new version never changes an order already booked. The amount is
quoted and accepted at booking (报价后经业主同意方可施工). Tenants always prepay (P5 4.3.2).
Paid or not is never stored: ``order_outstanding_fen`` asks billing.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import Text, ValidationError, apply, authorize, estate_today, load, next_number
from core.models import Department, Party, RelationKind, StaffUser, Unit
from plugins.billing import services as billing
from plugins.convenience.catalogue import amount_of, price_row, published_version
from plugins.convenience.customers import check_customer, customer_type_of
from plugins.convenience.lookups import existing
from plugins.convenience.models import (
    BillingMode,
    Channel,
    ChargeUnit,
    ConvenienceAgreement,
    ConvenienceItem,
    ConvenienceOrder,
    ConvenienceStatement,
    ConvenienceStatementLine,
    FeeKind,
    OrderStatus,
    PrepayKind,
)
from plugins.convenience.schemas import ConfirmSchema, DispatchSchema, OrderSchema, ReturnVisitSchema
from plugins.convenience.settings import current_settings
from plugins.convenience.workflows import charge_due_fen

CHARGED_STATES = (OrderStatus.charged, OrderStatus.visited, OrderStatus.closed)


def orderable(session: Session, item: ConvenienceItem, estate_id: int):
    """The published price row for ``item``, or a ValidationError naming the item and the fix."""
    if item.estate_id != estate_id:
        raise ValidationError(Text(f"item {item} belongs to another estate's catalogue",
                                   f"服务项目 {item} 属于其他小区的价格表"), field="item_id")
    if not item.active:
        raise ValidationError(Text(f"item {item} is inactive and cannot be ordered", f"服务项目 {item} 已停用，不能预约"),
                              field="item_id")
    version = published_version(session, estate_id)
    row = price_row(session, version, item.id) if version is not None else None
    if row is None:
        raise ValidationError(Text(f"item {item} is not on a published price list of this estate; it can be ordered "
                                   "once a version with it is approved and published",
                                   f"服务项目 {item} 不在本小区已公告的价格表中，须待含该项目的价格表批准并公告后才能预约"),
                              field="item_id")
    return version, row


def create_order(session: Session, actor: StaffUser | None, data: dict, *,
                 agreement: ConvenienceAgreement | None = None) -> ConvenienceOrder:
    """Register a booking (by phone, visit or API) for a unit's owner or occupant.

    ``data``: unit_id, customer_id, item_id, quantity (jobs/hours/m², default 1), channel, billing_mode
    (per_job or monthly; default from settings), requested_for, description. Writes nothing on error.
    """
    values = load(OrderSchema(), data)
    unit = existing(session, Unit, values["unit_id"], "unit_id")
    authorize(session, actor, "convenience.order", unit.estate_id)
    customer = existing(session, Party, values["customer_id"], "customer_id")
    item = existing(session, ConvenienceItem, values["item_id"], "item_id")
    version, row = orderable(session, item, unit.estate_id)
    today = estate_today(session, unit.estate_id)
    kinds = check_customer(session, unit, customer, today)
    ctype = customer_type_of(unit)
    if not item.offered_to(ctype):
        raise ValidationError(Text(f"item {item} is not offered to {ctype.value}", f"服务项目 {item} 不面向{ctype.__labels__[ctype.value][1]}"), field="item_id")
    is_tenant = RelationKind.tenant in kinds and RelationKind.owner not in kinds
    quantity = values["quantity"] if values["quantity"] is not None else Decimal("1")
    price = row.price_fen
    if agreement is not None:
        price = 0 if agreement.unit_of_charge == ChargeUnit.per_month else agreement.price_fen
    amount = amount_of(price, quantity) if item.fee_kind == FeeKind.paid else 0
    mode = values["billing_mode"] or current_settings(session)["default_billing_mode"]
    prepay_kind, prepay_fen = row.prepay_kind, row.prepay_fen
    if agreement is not None:
        prepay_kind, prepay_fen, mode = PrepayKind.none, 0, BillingMode.monthly.value  # settled per agreement
    elif is_tenant and prepay_kind == PrepayKind.none and amount > 0:
        prepay_kind, prepay_fen = PrepayKind.prepayment, amount
    if prepay_kind == PrepayKind.prepayment:
        prepay_fen = min(prepay_fen, amount)
        if prepay_fen == 0:
            prepay_kind = PrepayKind.none
    if amount == 0 and mode == BillingMode.monthly.value and agreement is None:
        mode = BillingMode.per_job.value  # nothing to put on a statement
    order = ConvenienceOrder(
        estate_id=unit.estate_id, unit_id=unit.id, customer_id=customer.id, customer_type=ctype, is_tenant=is_tenant,
        item_id=item.id, version_id=version.id, agreement_id=agreement.id if agreement else None,
        fee_kind=item.fee_kind, price_fen=price, unit_of_charge=row.unit_of_charge, quantity=quantity,
        amount_fen=amount, prepay_kind=prepay_kind, prepay_fen=prepay_fen, billing_mode=BillingMode(mode),
        channel=Channel.agreement if agreement else Channel(values["channel"] or Channel.phone.value),
        requested_for=values["requested_for"], description=values["description"],
        created_by_id=actor.id if actor else None,
        number=next_number(session, "CV", estate_id=unit.estate_id, year=today.year))
    session.add(order)
    session.flush()
    return order


# --- workflow steps with field-level validation ----------------------------------------------------

def take_prepayment(session: Session, actor: StaffUser | None, order: ConvenienceOrder,
                    method: str = "cash") -> ConvenienceOrder:
    """Take the prepayment (charged and paid in billing) or the deposit (held in billing) before service."""
    return apply(session, order, "prepay", actor, method=method)


def dispatch(session: Session, actor: StaffUser | None, order: ConvenienceOrder, **data) -> ConvenienceOrder:
    """Dispatch to a department (department_id), a staff member (staff_id) and/or a partner company (partner)."""
    values = load(DispatchSchema(), data)
    if values["department_id"] is not None:
        dept = existing(session, Department, values["department_id"], "department_id")
        if dept.estate_id not in (None, order.estate_id):
            raise ValidationError(Text(f"department {dept} belongs to another estate", f"部门 {dept} 属于其他小区"), field="department_id")
    if values["staff_id"] is not None:
        existing(session, StaffUser, values["staff_id"], "staff_id")
    return apply(session, order, "dispatch", actor, **values)


def deliver(session: Session, actor: StaffUser | None, order: ConvenienceOrder, *, service_record: str = "",
            staff_id: int | None = None) -> ConvenienceOrder:
    """Record that the service was done (``staff_id``: who did it, if not the staff member dispatched)."""
    return apply(session, order, "deliver", actor, service_record=service_record, staff_id=staff_id)


def confirm(session: Session, actor: StaffUser | None, order: ConvenienceOrder, **data) -> ConvenienceOrder:
    """Record the customer's confirmation (签字确认): who confirmed (``confirmed_by``) and how (``method``)."""
    values = load(ConfirmSchema(), data)
    return apply(session, order, "confirm", actor, **values)


def charge(session: Session, actor: StaffUser | None, order: ConvenienceOrder) -> ConvenienceOrder:
    """Per job: post the charge to billing. Monthly: mark it for the monthly statement."""
    return apply(session, order, "charge", actor)


def return_visit(session: Session, actor: StaffUser | None, order: ConvenienceOrder, **data) -> ConvenienceOrder:
    """Record the return visit (回访): ``satisfaction`` 1-5 and a ``comment``."""
    values = load(ReturnVisitSchema(), data)
    return apply(session, order, "return_visit", actor, comment=values["comment"] or None,
                 satisfaction=values["satisfaction"])


def close(session: Session, actor: StaffUser | None, order: ConvenienceOrder) -> ConvenienceOrder:
    return apply(session, order, "close", actor)


def cancel(session: Session, actor: StaffUser | None, order: ConvenienceOrder, reason: str) -> ConvenienceOrder:
    if not (reason or "").strip():
        raise ValidationError(Text("give the reason for cancelling", "请填写取消原因"), field="reason")
    return apply(session, order, "cancel", actor, comment=reason, reason=reason)


def settle_deposit(session: Session, actor: StaffUser | None, order: ConvenienceOrder, *, approved_by: StaffUser,
                   deduct_fen: int = 0, reason: str = ""):
    """Give the deposit back through billing, after deducting ``deduct_fen`` (with a reason) if any."""
    authorize(session, actor, "convenience.statements", order)
    if order.prepay_kind != PrepayKind.deposit:
        raise ValidationError(Text(f"order {order.number} has no deposit", f"服务单 {order.number} 没有押金"), field="order_id")
    if deduct_fen < 0:
        raise ValidationError(Text("a deduction cannot be negative", "扣除金额不能为负数"), field="deduct_fen")
    if deduct_fen:
        if not reason.strip():
            raise ValidationError(Text("say why part of the deposit is kept", "请说明扣留部分押金的原因"), field="reason")
        billing.deduct_deposit(session, actor, source=order.source, amount_fen=deduct_fen, reason=reason,
                               approved_by=approved_by, evidence_ref=order.source)
    if billing.deposit_balance_fen(session, source=order.source) > 0:
        return billing.refund_deposit(session, actor, source=order.source, approved_by=approved_by)
    return None


# --- what billing says -------------------------------------------------------------------------------

def statement_of(session: Session, order: ConvenienceOrder) -> ConvenienceStatement | None:
    return session.scalar(select(ConvenienceStatement).join(ConvenienceStatementLine)
                          .where(ConvenienceStatementLine.order_id == order.id))


def order_outstanding_fen(session: Session, order: ConvenienceOrder) -> int:
    """What billing still expects for this order: its own charges, plus its share of an unpaid statement."""
    due = billing.outstanding_fen(session, source=order.source)
    statement = statement_of(session, order) if order.billing_mode == BillingMode.monthly else None
    if statement is not None and statement.posted_at is not None:
        due += min(billing.outstanding_fen(session, source=statement.source), charge_share(session, order))
    return due


def charge_share(session: Session, order: ConvenienceOrder) -> int:
    line = session.scalar(select(ConvenienceStatementLine).where(ConvenienceStatementLine.order_id == order.id))
    return line.amount_fen if line is not None else 0


def order_paid(session: Session, order: ConvenienceOrder) -> bool:
    """True once everything the order costs has been charged in billing and billing shows it paid.

    Derived from the ledger every time; there is no "paid" field to set.
    """
    if order.status not in CHARGED_STATES:
        return False
    if order.billing_mode == BillingMode.monthly and charge_due_fen(order) > 0:
        statement = statement_of(session, order)
        if statement is None or statement.posted_at is None:
            return False  # not yet on a posted monthly statement
        if billing.outstanding_fen(session, source=statement.source) > 0:
            return False
    return billing.outstanding_fen(session, source=order.source) == 0
