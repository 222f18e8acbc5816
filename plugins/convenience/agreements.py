"""Long-term service agreements (委托服务单) and the subscriber list (《接受长期服务业主名单》), P3 (4)-(6), (12).

An agreement keeps the price of the list in force when it was signed. Items charged per month are billed
once a month on the monthly statement; services logged under an agreement for other items become orders
(channel ``agreement``) billed on the same statement. Stopping an agreement requires the customer's reason.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import (
    Conflict,
    Text,
    ValidationError,
    authorize,
    estate_today,
    has_permission,
    is_system,
    load,
    mask_phone,
    next_number,
)
from core.models import Building, Estate, Party, StaffUser, Unit
from plugins.convenience.customers import check_customer, customer_type_of
from plugins.convenience.lookups import existing
from plugins.convenience.models import ConvenienceAgreement, ConvenienceItem, ConvenienceOrder, Frequency
from plugins.convenience.orders import create_order, orderable
from plugins.convenience.schemas import AgreementSchema, StopAgreementSchema


def create_agreement(session: Session, actor: StaffUser | None, data: dict) -> ConvenienceAgreement:
    """Sign up a customer for a long-term service at the published price (委托服务单)."""
    values = load(AgreementSchema(), data)
    unit = existing(session, Unit, values["unit_id"], "unit_id")
    authorize(session, actor, "convenience.order", unit.estate_id)
    customer = existing(session, Party, values["customer_id"], "customer_id")
    item = existing(session, ConvenienceItem, values["item_id"], "item_id")
    version, row = orderable(session, item, unit.estate_id)
    check_customer(session, unit, customer, max(values["start_on"], estate_today(session, unit.estate_id)))
    ctype = customer_type_of(unit)
    if not item.offered_to(ctype):
        raise ValidationError(Text(f"item {item} is not offered to {ctype.value}", f"服务项目 {item} 不面向{ctype.__labels__[ctype.value][1]}"), field="item_id")
    duplicate = session.scalar(select(ConvenienceAgreement.number).where(
        ConvenienceAgreement.unit_id == unit.id, ConvenienceAgreement.customer_id == customer.id,
        ConvenienceAgreement.item_id == item.id, ConvenienceAgreement.active.is_(True)))
    if duplicate:
        raise Conflict(Text(f"{customer.name} already has agreement {duplicate} for {item}; change or stop it instead", f"{customer.name} 已有服务项目 {item} 的协议 {duplicate}，请修改或终止原协议"),
                       field="item_id")
    agreement = ConvenienceAgreement(
        estate_id=unit.estate_id, unit_id=unit.id, customer_id=customer.id, item_id=item.id, version_id=version.id,
        frequency=Frequency(values["frequency"]), price_fen=row.price_fen, unit_of_charge=row.unit_of_charge,
        quantity=values["quantity"] if values["quantity"] is not None else Decimal("1"),
        start_on=values["start_on"], end_on=values["end_on"], signed_by_name=values["signed_by_name"],
        notes=values["notes"], created_by_id=actor.id if actor else None,
        number=next_number(session, "CA", estate_id=unit.estate_id, year=values["start_on"].year))
    session.add(agreement)
    session.flush()
    return agreement


def stop_agreement(session: Session, actor: StaffUser | None, agreement: ConvenienceAgreement,
                   **data) -> ConvenienceAgreement:
    """Stop a long-term service; the customer's ``reason`` is required (问明原因) and recorded."""
    values = load(StopAgreementSchema(), data)
    authorize(session, actor, "convenience.order", agreement)
    if not values["reason"].strip():
        raise ValidationError(Text("ask the customer why and record the reason", "请询问客户原因并记录"), field="reason")
    if not agreement.active:
        raise Conflict(Text(f"agreement {agreement.number} was already stopped on {agreement.stopped_on}", f"协议 {agreement.number} 已于 {agreement.stopped_on} 终止"), field="active")
    stopped_on = values["stopped_on"] or estate_today(session, agreement.estate_id)
    if stopped_on < agreement.start_on:
        raise ValidationError(Text(f"the stop date is before the start date {agreement.start_on}", f"终止日期早于开始日期 {agreement.start_on}"), field="stopped_on")
    agreement.active = False
    agreement.stopped_on = stopped_on
    agreement.stop_reason = values["reason"].strip()
    agreement.stopped_by_id = actor.id if actor else None
    if agreement.end_on is None or agreement.end_on > stopped_on:
        agreement.end_on = stopped_on
    session.flush()
    return agreement


def record_service(session: Session, actor: StaffUser | None, agreement: ConvenienceAgreement, *,
                   quantity: Decimal | None = None, description: str = "") -> ConvenienceOrder:
    """Log one service due under an agreement as an order (channel ``agreement``, billed monthly)."""
    if not agreement.active:
        raise Conflict(Text(f"agreement {agreement.number} was stopped on {agreement.stopped_on}", f"协议 {agreement.number} 已于 {agreement.stopped_on} 终止"), field="agreement_id")
    today = estate_today(session, agreement.estate_id)
    if today < agreement.start_on or (agreement.end_on is not None and today > agreement.end_on):
        raise ValidationError(Text(f"agreement {agreement.number} runs {agreement.start_on} to "
                              f"{agreement.end_on or 'open-ended'}, not today", f"协议 {agreement.number} 的有效期为 {agreement.start_on} 至 {agreement.end_on or '长期'}，今天不在有效期内"), field="agreement_id")
    data = {"unit_id": agreement.unit_id, "customer_id": agreement.customer_id, "item_id": agreement.item_id,
            "quantity": str(quantity if quantity is not None else agreement.quantity),
            "description": description or f"委托服务单 {agreement.number}"}
    return create_order(session, actor, data, agreement=agreement)


def active_in(start: dt.date, end: dt.date):
    """SQL condition: the agreement ran on at least one day of [start, end]."""
    return ((ConvenienceAgreement.start_on <= end)
            & ((ConvenienceAgreement.end_on.is_(None)) | (ConvenienceAgreement.end_on >= start)))


def subscriber_list(session: Session, actor: StaffUser | None, estate: Estate, *, item: ConvenienceItem | None = None,
                    on: dt.date | None = None) -> list[dict]:
    """《接受长期服务业主名单》: customers with an agreement in force on ``on`` (default today).

    Phones are masked unless ``actor`` may see personal data (core.parties.view_sensitive).
    """
    authorize(session, actor, "convenience.view", estate)
    on = on or estate_today(session, estate)
    stmt = (select(ConvenienceAgreement, Unit, Building, Party, ConvenienceItem)
            .join(Unit, Unit.id == ConvenienceAgreement.unit_id).join(Building, Building.id == Unit.building_id)
            .join(Party, Party.id == ConvenienceAgreement.customer_id)
            .join(ConvenienceItem, ConvenienceItem.id == ConvenienceAgreement.item_id)
            .where(ConvenienceAgreement.estate_id == estate.id, ConvenienceAgreement.active.is_(True),
                   active_in(on, on))
            .order_by(ConvenienceItem.code, Building.code, Unit.room_no))
    if item is not None:
        stmt = stmt.where(ConvenienceAgreement.item_id == item.id)
    sensitive = is_system(session, actor) or has_permission(session, actor, "core.parties.view_sensitive")
    return [{
        "agreement": a.number, "customer": p.name, "building": b.code, "room": u.room_no, "unit": u.label,
        "phone": p.phone if sensitive else mask_phone(p.phone), "item": i.code,
        "item_name": i.name_zh or i.name, "frequency": str(a.frequency), "price_fen": a.price_fen,
        "start_on": a.start_on, "end_on": a.end_on, "signed_by": a.signed_by_name,
    } for a, u, b, p, i in session.execute(stmt)]


def subscriber_count(session: Session, item_id: int, start: dt.date, end: dt.date) -> int:
    """How many agreements for the item ran during [start, end] (for the profitability review)."""
    return len(list(session.scalars(select(ConvenienceAgreement.id).where(
        ConvenienceAgreement.item_id == item_id, active_in(start, end)))))
