"""Registering repair orders (报修登记) and their categories, the intake handler, and the owner's
acceptance of the price of a paid repair.

Every function takes the acting staff member, checks his permission on the record's estate with
``core.authorize`` and raises ``ValidationError`` naming the field (nothing written) on bad input.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select

from core import IntakeHandler, Text, ValidationError, attributed, authorize, load, next_number, utcnow
from core.models import Unit
from plugins.repairs.models import RepairCategory, RepairOrder
from plugins.repairs.schemas import CategorySchema, OrderSchema


@attributed
def create_category(session, actor, **data) -> RepairCategory:
    """Create a repair category (报修类别) of an estate (``estate_id``) or of the company (none)."""
    values = load(CategorySchema(), data)
    authorize(session, actor, "repairs.categories", values.get("estate_id"))
    clash = session.scalar(select(RepairCategory).where(
        RepairCategory.code == values["code"], RepairCategory.estate_id.is_(None) if values.get("estate_id") is None
        else RepairCategory.estate_id == values["estate_id"]))
    if clash is not None:
        raise ValidationError(Text(f"category code {values['code']!r} is taken; choose another code",
                                   f"类别代码 {values['code']} 已存在，请换一个"), field="code")
    category = RepairCategory(**values)
    session.add(category)
    session.flush()
    return category


def categories_for(session, estate_id: int) -> list[RepairCategory]:
    """The active categories an order of ``estate_id`` may take: the estate's own and the company's."""
    return list(session.scalars(select(RepairCategory).where(
        RepairCategory.active, or_(RepairCategory.estate_id.is_(None), RepairCategory.estate_id == estate_id))
        .order_by(RepairCategory.code)))


@attributed
def register_order(session, actor, *, now: dt.datetime | None = None, **data) -> RepairOrder:
    """Register a repair request (报修登记): ``unit_id`` (or ``estate_id`` and ``location`` for a common
    area), ``description``, optional ``category_id``, reporter, ``channel``, ``urgency``, ``booked_at``.

    The order takes the category's paid flag and price-list labour; its 3-minute limit for the work
    order starts now (``received``)."""
    values = load(OrderSchema(), data)
    unit = session.get(Unit, values["unit_id"]) if values.get("unit_id") else None
    if values.get("unit_id") and unit is None:
        raise ValidationError(Text("no such unit; choose the unit from the list", "没有该房屋，请从列表中选择"),
                              field="unit_id")
    if unit is not None:
        if values.get("estate_id") not in (None, unit.estate_id):
            raise ValidationError(Text("the unit belongs to another estate; choose a unit of this estate",
                                       "该房屋不属于所选小区，请选择本小区的房屋"), field="unit_id")
        values["estate_id"] = unit.estate_id
    elif values.get("estate_id") is None:
        raise ValidationError(Text("give the unit, or the estate and the common area", "请填写房屋，或小区和公共区域"),
                              field="unit_id")
    elif not values.get("location"):
        raise ValidationError(Text("a common-area repair needs its location, e.g. 3栋大堂", "公共区域报修请填写位置，如 3栋大堂"),
                              field="location")
    authorize(session, actor, "repairs.register", values["estate_id"])
    category = _category(session, values.get("category_id"), values["estate_id"])
    if category is not None:
        values.setdefault("paid", category.paid)
        if category.paid and not values.get("labour_fen"):
            values["labour_fen"] = category.labour_fen
    if values.get("paid") and unit is None:
        raise ValidationError(Text("a paid repair is charged to a unit; give the unit", "有偿维修须计入房屋账单，请填写房屋"),
                              field="paid")
    now = now or utcnow()
    order = RepairOrder(number=next_number(session, "RP", estate_id=values["estate_id"], year=now.year),
                        received_at=now, received_by_id=getattr(actor, "id", None), **values)
    session.add(order)
    session.flush()
    return order


def _category(session, category_id, estate_id) -> RepairCategory | None:
    if category_id is None:
        return None
    category = session.get(RepairCategory, category_id)
    if category is None or category.estate_id not in (None, estate_id) or not category.active:
        raise ValidationError(Text("choose an active repair category of this estate", "请选择本小区有效的报修类别"),
                              field="category_id")
    return category


@attributed
def set_price(session, actor, order: RepairOrder, *, labour_fen: int, material_fen: int = 0) -> RepairOrder:
    """Set the labour and material charges of a paid order (the quote, or the price-list price);
    an accepted price can no longer change."""
    authorize(session, actor, "repairs.quote", order)
    for field, value in (("labour_fen", labour_fen), ("material_fen", material_fen)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValidationError(Text("give the amount in whole fen, 0 or more", "金额请填写不小于 0 的整数（分）"),
                                  field=field)
    if order.quote_accepted_at is not None:
        raise ValidationError(Text("the owner already accepted the price; it cannot change",
                                   "业主已接受报价，不能再修改"), field="labour_fen")
    order.paid, order.labour_fen, order.material_fen = True, labour_fen, material_fen
    session.flush()
    return order


@attributed
def accept_price(session, actor, order: RepairOrder, *, now: dt.datetime | None = None) -> RepairOrder:
    """Record that the owner accepted the price of a paid price-list repair (a quoted repair is
    accepted with the workflow step ``accept_quote``)."""
    authorize(session, actor, "repairs.confirm", order)
    if not order.paid or order.amount_fen <= 0:
        raise ValidationError(Text("this order has no price to accept; set the price first",
                                   "该报修单没有需确认的价格，请先报价"), field="labour_fen")
    order.quote_accepted_at = now or utcnow()
    session.flush()
    return order


def order_from_intake(session, intake, actor) -> RepairOrder:
    """The intake handler: a repair order from a reception record (来电来访登记) of category repair."""
    data = {"description": (intake.content or intake.summary)[:4000], "channel": str(intake.channel.value),
            "reporter_party_id": intake.party_id, "reporter_name": intake.caller_name,
            "reporter_phone": intake.caller_phone}
    if intake.unit_id is not None:
        data["unit_id"] = intake.unit_id
    else:
        data.update(estate_id=intake.estate_id, location=intake.summary[:200])
    order = register_order(session, actor, now=intake.received_at, **data)
    order.intake_id = intake.id
    return order


def intake_handlers() -> list[IntakeHandler]:
    """The reception desk's repair calls become repair orders."""
    return [IntakeHandler(category="repair", label="Route to repairs", label_zh="转派到报修",
                          create=order_from_intake, permission="repairs.register")]
