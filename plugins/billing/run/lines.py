"""The charge lines a billing run bills, as one SELECT computing every amount in SQL.

For a chunk of buildings (bind ``bids``), one ``UNION ALL`` of one SELECT per fee item due in the
period computes every unit's amount with integer arithmetic, rounded half-up to the fen::

    amount = (2·n + d) div (2·d)     n = quantity × price × pro-rata days × vacancy %,  d = the units' scale

(quantity: area in 1/100 m², usage in 1/100 kWh/m³, or 1 per unit; price in centi-fen).

Bill-to: a delivered unit's line goes to its owner (the item's payer) from the delivery day; a unit
not delivered by the month's end is billed to the developer (``payer = "developer"``, 开发商) for the
whole month, its share of the cycle (setting ``developer_pays_undelivered``). A price ``per month``
(``FeeItem.price_per``) is multiplied by the cycle's months; a price ``per cycle`` is the cycle's.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Date,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    extract,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from core import UTCDateTime, utcnow
from core.models import Estate, Unit
from plugins.billing import periods as P
from plugins.billing.models import FeeItem, FeePrice, FeeTier, Meter, MeterReading, Vacancy

AREA_BASES = {"built_area": Unit.built_area, "interior_area": Unit.interior_area}
INSERT_COLUMNS = (
    "estate_id",
    "unit_id",
    "fee_item_id",
    "period",
    "run_period",
    "origin",
    "amount_fen",
    "due_on",
    "posted_on",
    "payer",
    "description",
    "source",
    "created_by_id",
    "created_at",
)


def _round(n, d: int, rounding: str):
    return n // d if rounding == "down" else (n * 2 + d) // (d * 2)


def amounts_select(
    estate: Estate,
    period: str,
    item: FeeItem,
    price: FeePrice,
    settings: dict,
):
    """SELECT (unit_id, amount, payer) of the lines this item bills in the chunk's buildings (bind ``bids``)."""
    start, end = P.bounds(period)
    where = [Unit.building_id.in_(bindparam("bids", expanding=True))]
    if item.basis == "per_parking_space":
        where.append(Unit.unit_type == "parking")
    elif item.unit_types:
        where.append(Unit.unit_type.in_(list(item.unit_types)))
    if item.basis == "metered":
        return metered_select(item, price, period, where)

    cs, ce = P.cycle_of(period, item.cycle)
    days_cycle = (ce - cs).days + 1
    days_month = (end - start).days + 1
    months = P.CYCLE_MONTHS[item.cycle] if item.price_per == "month" else 1
    days_after = (ce - end).days  # days of the cycle after this month
    delivered = and_(Unit.delivered_on.isnot(None), Unit.delivered_on <= end)
    # a mid-cycle month bills only units delivered this month (they start their cycle here)
    owner = delivered if start == cs else and_(delivered, Unit.delivered_on >= start)
    developer = or_(Unit.delivered_on.is_(None), Unit.delivered_on > end)
    if settings.get("developer_pays_undelivered", True):
        where.append(or_(owner, developer))
    else:
        where.append(owner)
    # pro rata (交房当月按天折算): days from delivery to the cycle's end, over the days of the cycle;
    # the developer pays an undelivered unit's month: one month's price when priced per month, else
    # the month's days of the cycle. Everything is over days_cycle, so each case scales its numerator.
    pro_rata = days_after + end.day + 1 - cast(extract("day", Unit.delivered_on), Integer)
    if item.price_per == "month":  # the cycle costs months × price; the developer's month one price
        days = case((developer, days_cycle), (Unit.delivered_on >= start, pro_rata * months),
                    else_=days_cycle * months)
    else:
        days = case((developer, days_month), (Unit.delivered_on >= start, pro_rata), else_=days_cycle)
    if item.basis in AREA_BASES:
        qty, scale = cast(func.round(AREA_BASES[item.basis] * 100), BigInteger), 100 * 100
    else:  # per_unit, fixed, per_parking_space
        qty, scale = cast(literal(1), BigInteger), 100
    n = qty * price.price_cfen * days
    d = scale * days_cycle
    pct, after = settings["vacancy_discount_percent"], settings["vacancy_after_months"]
    if pct and item.category == "property_service":
        long_vacant = exists().where(
            Vacancy.unit_id == Unit.id,
            Vacancy.vacant_from <= P.months_before(start, after),
            or_(Vacancy.vacant_to.is_(None), Vacancy.vacant_to >= start),
        )
        n = n * case((long_vacant, 100 - pct), else_=100)
        d = d * 100
    payer = case((developer, literal("developer", String)), else_=literal(item.payer, String))
    return (
        select(
            Unit.id.label("unit_id"), _round(n, d, item.rounding).label("amount"), payer.label("payer")
        ).where(*where).subquery()
    )


def metered_select(item: FeeItem, price: FeePrice, period: str, where: list):
    """SELECT (unit_id, amount) of a metered item: the period's usage, flat or by tiers."""
    usage = (
        select(Unit.id.label("unit_id"), func.sum(MeterReading.usage_centi).label("usage"))
        .join(Meter, Meter.unit_id == Unit.id)
        .join(MeterReading, MeterReading.meter_id == Meter.id)
        .where(*where, Meter.fee_item_id == item.id, MeterReading.period == period)
        .group_by(Unit.id)
        .subquery()
    )
    if not price.tiers:
        amount = _round(cast(usage.c.usage, BigInteger) * price.price_cfen, 100 * 100, item.rounding)
        return select(usage.c.unit_id, amount.label("amount"), literal(item.payer, String).label("payer")).subquery()
    upto = case(
        (and_(FeeTier.to_centi.isnot(None), usage.c.usage > FeeTier.to_centi), FeeTier.to_centi),
        else_=usage.c.usage,
    )
    part = case(
        (usage.c.usage > FeeTier.from_centi, (upto - FeeTier.from_centi) * FeeTier.price_cfen), else_=0
    )
    n = cast(func.sum(part), BigInteger)
    return (
        select(
            usage.c.unit_id,
            _round(n, 100 * 100, item.rounding).label("amount"),
            literal(item.payer, String).label("payer"),
        )
        .select_from(usage)
        .join(FeeTier, FeeTier.price_id == price.id)
        .group_by(usage.c.unit_id)
        .subquery()
    )


def lines_select(estate: Estate, period: str, items, settings: dict, actor, today: dt.date):
    """Every line of every item for the chunk's buildings (bind ``bids``): one UNION ALL, amounts > 0.

    Columns are :data:`INSERT_COLUMNS`, in order; the per-item parts carry what differs by item.
    """
    parts = []
    for item, price in items:
        amounts = amounts_select(estate, period, item, price, settings)
        parts.append(
            select(
                amounts.c.unit_id.label("unit_id"),
                literal(item.id, Integer).label("fee_item_id"),
                amounts.c.amount.label("amount"),
                literal(P.due_on(period, item.due_day, item.prepaid), Date).label("due_on"),
                amounts.c.payer.label("payer"),
                literal(f"{item.name_zh or item.name} {period}", String).label("description"),
            )
        )
    lines = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("lines")
    return select(
        literal(estate.id, Integer),
        lines.c.unit_id,
        lines.c.fee_item_id,
        literal(period, String),
        literal(period, String),
        literal("run", String),
        lines.c.amount,
        lines.c.due_on,
        literal(today, Date),
        lines.c.payer,
        lines.c.description,
        null(),
        literal(getattr(actor, "id", None), Integer),
        literal(utcnow(), UTCDateTime()),
    ).where(lines.c.amount > 0)
