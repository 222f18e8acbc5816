"""Monthly statements (《有偿便民服务月结统计表》, 记账月结), P5 4.3.1.

Each month the supervisor collects, per customer and unit, the month's delivered services billed
monthly and the month's fee of each long-term agreement charged per month; the statement goes to
the cashier as one billing charge (source ``convenience:statement:<id>``), collected once at month
end. Posting is one idempotent step: a statement already posted is refused (Conflict) unchanged.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import Conflict, Text, ValidationError, authorize, load, utcnow
from core.models import Estate, Party, StaffUser, Unit
from plugins.billing import services as billing
from plugins.convenience.agreements import active_in
from plugins.convenience.catalogue import amount_of
from plugins.convenience.fees import SERVICE_FEE
from plugins.convenience.lookups import existing
from plugins.convenience.models import (
    BillingMode,
    ChargeUnit,
    ConvenienceAgreement,
    ConvenienceOrder,
    ConvenienceStatement,
    ConvenienceStatementLine,
    OrderStatus,
)
from plugins.convenience.periods import check_period, month_bounds, month_range_utc
from plugins.convenience.schemas import StatementSchema
from plugins.convenience.workflows import charge_due_fen

DELIVERED = (OrderStatus.delivered, OrderStatus.confirmed, OrderStatus.charged, OrderStatus.visited,
             OrderStatus.closed)
CONFIRMED = DELIVERED[1:]


def _month_orders(session: Session, estate_id: int, period: str, *, unit_id=None, customer_id=None):
    start, end = month_range_utc(session, estate_id, period)
    stmt = (select(ConvenienceOrder)
            .outerjoin(ConvenienceStatementLine, ConvenienceStatementLine.order_id == ConvenienceOrder.id)
            .outerjoin(ConvenienceStatement, ConvenienceStatement.id == ConvenienceStatementLine.statement_id)
            .where(ConvenienceOrder.estate_id == estate_id, ConvenienceOrder.billing_mode == BillingMode.monthly,
                   ConvenienceOrder.status.in_(DELIVERED), ConvenienceOrder.delivered_at >= start,
                   ConvenienceOrder.delivered_at < end)
            # not already on a posted statement (a draft's lines are rebuilt)
            .where((ConvenienceStatementLine.id.is_(None)) | (ConvenienceStatement.posted_at.is_(None)))
            .order_by(ConvenienceOrder.delivered_at, ConvenienceOrder.id))
    if unit_id is not None:
        stmt = stmt.where(ConvenienceOrder.unit_id == unit_id, ConvenienceOrder.customer_id == customer_id)
    return [o for o in session.scalars(stmt) if charge_due_fen(o) > 0]


def _month_agreements(session: Session, estate_id: int, period: str, *, unit_id=None, customer_id=None):
    first, last = month_bounds(period)
    stmt = (select(ConvenienceAgreement).where(
        ConvenienceAgreement.estate_id == estate_id, ConvenienceAgreement.unit_of_charge == ChargeUnit.per_month,
        ConvenienceAgreement.price_fen > 0, active_in(first, last))
        .order_by(ConvenienceAgreement.id))
    if unit_id is not None:
        stmt = stmt.where(ConvenienceAgreement.unit_id == unit_id, ConvenienceAgreement.customer_id == customer_id)
    return list(session.scalars(stmt))


def build_statement(session: Session, actor: StaffUser | None, *, unit: Unit, customer: Party,
                    period: str) -> ConvenienceStatement:
    """Create (or rebuild, while not yet posted) the customer's statement for the month."""
    authorize(session, actor, "convenience.statements", unit.estate_id)
    period = check_period(period)
    statement = session.scalar(select(ConvenienceStatement).where(
        ConvenienceStatement.customer_id == customer.id, ConvenienceStatement.unit_id == unit.id,
        ConvenienceStatement.period == period))
    if statement is not None and statement.posted_at is not None:
        raise Conflict(Text(f"the {period} statement of {customer.name} ({unit.label}) was posted on "
                       f"{statement.posted_at:%Y-%m-%d}; it cannot be rebuilt", f"{customer.name}（{unit.label}）{period} 的月结单已于 {statement.posted_at:%Y-%m-%d} 入账，不能重新生成"), field="period")
    orders = _month_orders(session, unit.estate_id, period, unit_id=unit.id, customer_id=customer.id)
    agreements = [a for a in _month_agreements(session, unit.estate_id, period, unit_id=unit.id,
                                               customer_id=customer.id)
                  if not _agreement_billed(session, a, period, statement)]
    if not orders and not agreements:
        raise ValidationError(Text(f"nothing to bill to {customer.name} ({unit.label}) for {period}: no monthly-billed "
                              "service was delivered and no monthly agreement ran", f"{customer.name}（{unit.label}）{period} 没有需要月结的服务"), field="period")
    if statement is None:
        statement = ConvenienceStatement(estate_id=unit.estate_id, customer_id=customer.id, unit_id=unit.id,
                                         period=period, created_by_id=actor.id if actor else None)
        session.add(statement)
    else:
        statement.lines.clear()
        session.flush()
    for order in orders:
        statement.lines.append(ConvenienceStatementLine(
            estate_id=unit.estate_id, period=period, item_id=order.item_id, order_id=order.id,
            amount_fen=charge_due_fen(order),
            description=f"{order.number} {order.item.name_zh or order.item.name} × {order.quantity}"))
    for agreement in agreements:
        statement.lines.append(ConvenienceStatementLine(
            estate_id=unit.estate_id, period=period, item_id=agreement.item_id, agreement_id=agreement.id,
            amount_fen=amount_of(agreement.price_fen, agreement.quantity),
            description=f"{agreement.number} {agreement.item.name_zh or agreement.item.name} {period}"))
    statement.total_fen = sum(line.amount_fen for line in statement.lines)
    session.flush()
    return statement


def _agreement_billed(session: Session, agreement: ConvenienceAgreement, period: str, statement) -> bool:
    line = session.scalar(select(ConvenienceStatementLine).where(
        ConvenienceStatementLine.agreement_id == agreement.id, ConvenienceStatementLine.period == period))
    return line is not None and (statement is None or line.statement_id != statement.id)


def build_statements(session: Session, actor: StaffUser | None, estate: Estate, period: str) -> list:
    """Build every customer's statement of the estate for the month (those with something to bill)."""
    authorize(session, actor, "convenience.statements", estate)
    period = check_period(period)
    pairs = {(o.unit_id, o.customer_id) for o in _month_orders(session, estate.id, period)}
    pairs |= {(a.unit_id, a.customer_id) for a in _month_agreements(session, estate.id, period)}
    out = []
    for unit_id, customer_id in sorted(pairs):
        existing = session.scalar(select(ConvenienceStatement).where(
            ConvenienceStatement.unit_id == unit_id, ConvenienceStatement.customer_id == customer_id,
            ConvenienceStatement.period == period))
        if existing is not None and existing.posted_at is not None:
            continue
        try:
            with session.begin_nested():
                out.append(build_statement(session, actor, unit=session.get(Unit, unit_id),
                                           customer=session.get(Party, customer_id), period=period))
        except ValidationError:
            continue  # everything of the pair was billed already
    return out


def post_statement(session: Session, actor: StaffUser | None, statement: ConvenienceStatement):
    """Send the statement to billing as one charge (source ``convenience:statement:<id>``), once.

    Refused with Conflict, changing nothing, when it was posted before or when one of its services is
    not yet confirmed by the customer.
    """
    authorize(session, actor, "convenience.statements", statement)
    if statement.posted_at is not None:
        raise Conflict(Text(f"statement {statement.id} ({statement.period}) was already posted on "
                       f"{statement.posted_at:%Y-%m-%d}; it is billed once", f"月结单 {statement.id}（{statement.period}）已于 {statement.posted_at:%Y-%m-%d} 入账，只能计费一次"), field="posted_at")
    unconfirmed = [o.number for o in session.scalars(
        select(ConvenienceOrder).join(ConvenienceStatementLine, ConvenienceStatementLine.order_id == ConvenienceOrder.id)
        .where(ConvenienceStatementLine.statement_id == statement.id, ConvenienceOrder.status.not_in(CONFIRMED)))]
    if unconfirmed:
        raise Conflict(Text(f"services not yet confirmed by the customer: {', '.join(sorted(unconfirmed))}; record "
                       "their confirmation first", f"以下服务尚未经客户确认：{'、'.join(sorted(unconfirmed))}，请先登记确认"), field="lines")
    total = sum(line.amount_fen for line in statement.lines)
    if total <= 0:
        raise ValidationError(Text("the statement has nothing to bill", "月结单没有需要计费的内容"), field="total_fen")
    unit = session.get(Unit, statement.unit_id)
    line = billing.post_charge(session, actor, unit=unit, fee_item_code=SERVICE_FEE, amount_fen=total,
                               source=statement.source, period=statement.period,
                               description=f"有偿便民服务月结 {statement.period} ({len(statement.lines)} 项)")
    statement.total_fen = total
    statement.posted_at, statement.posted_by_id = utcnow(), actor.id if actor else None
    session.flush()
    return line


def statement_outstanding_fen(session: Session, statement: ConvenienceStatement) -> int:
    """What billing still expects for the statement (its total until posted)."""
    if statement.posted_at is None:
        return statement.total_fen
    return billing.outstanding_fen(session, source=statement.source)


def build_statement_from_data(session: Session, actor: StaffUser | None, data: dict) -> ConvenienceStatement:
    """Admin/API entry point of :func:`build_statement` (``unit_id``, ``customer_id``, ``period``)."""
    values = load(StatementSchema(), data)
    unit = existing(session, Unit, values["unit_id"], "unit_id")
    customer = existing(session, Party, values["customer_id"], "customer_id")
    return build_statement(session, actor, unit=unit, customer=customer, period=values["period"])
