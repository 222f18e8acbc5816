"""The billing run (出账): one charge line per (unit, fee item, period), computed and inserted in SQL.

For each building and each fee item due in the period, one ``INSERT ... SELECT ... ON CONFLICT DO
NOTHING`` computes every unit's amount with integer arithmetic and rounds it half-up to the fen::

    amount = (2·n + d) div (2·d)     n = quantity × price × pro-rata days × vacancy %,  d = the units' scale

(quantity: area in 1/100 m², usage in 1/100 kWh/m³, or 1 per unit; price in centi-fen). A rerun
inserts nothing (unique (unit, fee item, run_period)); each building is committed separately, so a
run killed midway is completed by running it again. See docs/plugins/billing.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Date,
    Integer,
    String,
    and_,
    case,
    cast,
    exists,
    extract,
    func,
    literal,
    null,
    or_,
    select,
)
from sqlalchemy.orm import Session

from core.db import UTCDateTime, utcnow
from core.errors import NotFound, ValidationError
from core.models import Building, Estate, Unit
from core.security.grants import require
from plugins.billing import periods as P
from plugins.billing.fees import items_for_estate, price_for
from plugins.billing.ledger import dialect_insert
from plugins.billing.models import ChargeLine, FeeItem, FeePrice, FeeTier, Vacancy
from plugins.billing.models_ops import Meter, MeterReading

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
DEFAULTS = {"vacancy_discount_percent": 0, "vacancy_after_months": 6, "late_fee_daily_permille": 0}


def billing_settings(session: Session) -> dict:
    """The validated ``[plugins.billing]`` section with defaults (defaults when no instance is bound)."""
    wuye = session.info.get("wuye")
    return {**DEFAULTS, **(wuye.settings("billing") if wuye is not None else {})}


def resolve_estate(session: Session, estate) -> Estate:
    if isinstance(estate, Estate):
        return estate
    found = (
        session.scalar(select(Estate).where(Estate.code == estate))
        if isinstance(estate, str)
        else session.get(Estate, estate)
    )
    if found is None:
        raise NotFound(f"no estate {estate!r}; see `wuye estates list`", field="estate")
    return found


def plan(session: Session, estate: Estate, period: str) -> list[tuple[FeeItem, FeePrice]]:
    """The recurring fee items of the estate with the price in force on the period's first day.

    A fee item without a price for the period is a ValidationError naming the item and the period.
    """
    start, _end = P.bounds(period)
    out, missing = [], []
    for item in items_for_estate(session, estate.id):
        if item.cycle == "one_off":
            continue
        price = price_for(session, item, estate.id, start)
        if price is None:
            missing.append(item.code)
        else:
            out.append((item, price))
    if missing:
        raise ValidationError(
            {
                "fee_item": [
                    f"fee item {code} has no price for period {period}; add a price "
                    f"effective on or before {start} (Billing > Prices)"
                    for code in missing
                ]
            },
            field="fee_item",
        )
    return out


def _round(n, d: int, rounding: str):
    return n // d if rounding == "down" else (n * 2 + d) // (d * 2)


def _amounts_select(
    session: Session,
    estate: Estate,
    period: str,
    item: FeeItem,
    price: FeePrice,
    building_id: int,
    settings: dict,
):
    """SELECT (unit_id, amount_fen) of the lines this item would add in one building (existing excluded)."""
    start, end = P.bounds(period)
    not_billed = ~exists().where(
        ChargeLine.unit_id == Unit.id, ChargeLine.fee_item_id == item.id, ChargeLine.run_period == period
    )
    where = [Unit.estate_id == estate.id, Unit.building_id == building_id, not_billed]
    if item.basis == "per_parking_space":
        where.append(Unit.unit_type == "parking")
    elif item.unit_types:
        where.append(Unit.unit_type.in_(list(item.unit_types)))
    if item.basis == "metered":
        return _metered_select(item, price, period, where)

    cs, ce = P.cycle_of(period, item.cycle)
    days_cycle = (ce - cs).days + 1
    days_after = (ce - end).days  # days of the cycle after this month
    where += [Unit.delivered_on.isnot(None), Unit.delivered_on <= end]
    if start != cs:  # mid-cycle month: only units delivered this month start their cycle here
        where.append(Unit.delivered_on >= start)
    # pro rata (交房当月按天折算): days from delivery to the cycle's end, over the days of the cycle
    days = case(
        (
            Unit.delivered_on >= start,
            days_after + end.day + 1 - cast(extract("day", Unit.delivered_on), Integer),
        ),
        else_=days_cycle,
    )
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
    inner = (
        select(Unit.id.label("unit_id"), _round(n, d, item.rounding).label("amount")).where(*where).subquery()
    )
    return inner


def _metered_select(item: FeeItem, price: FeePrice, period: str, where: list):
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
        return select(usage.c.unit_id, amount.label("amount")).subquery()
    upto = case(
        (and_(FeeTier.to_centi.isnot(None), usage.c.usage > FeeTier.to_centi), FeeTier.to_centi),
        else_=usage.c.usage,
    )
    part = case(
        (usage.c.usage > FeeTier.from_centi, (upto - FeeTier.from_centi) * FeeTier.price_cfen), else_=0
    )
    n = cast(func.sum(part), BigInteger)
    return (
        select(usage.c.unit_id, _round(n, 100 * 100, item.rounding).label("amount"))
        .select_from(usage)
        .join(FeeTier, FeeTier.price_id == price.id)
        .group_by(usage.c.unit_id)
        .subquery()
    )


def _line_select(estate: Estate, period: str, item: FeeItem, amounts, actor, today: dt.date):
    label = f"{item.name_zh or item.name} {period}"
    due = P.due_on(period, item.due_day, item.prepaid)
    return select(
        literal(estate.id, Integer),
        amounts.c.unit_id,
        literal(item.id, Integer),
        literal(period, String),
        literal(period, String),
        literal("run", String),
        amounts.c.amount,
        literal(due, Date),
        literal(today, Date),
        literal(item.payer, String),
        literal(label, String),
        null(),
        literal(getattr(actor, "id", None), Integer),
        literal(utcnow(), UTCDateTime()),
    ).where(amounts.c.amount > 0)


def run_billing(
    session: Session,
    estate,
    period: str,
    *,
    dry_run: bool = False,
    actor=None,
    buildings: list | None = None,
    commit: bool = True,
    progress: Callable | None = None,
    today: dt.date | None = None,
) -> dict:
    """Bill ``period`` ("YYYY-MM") for ``estate`` (an Estate or its code).

    Returns ``{lines_created, lines_existing, amount_fen, units, ...}``: lines created by this run
    (or, with ``dry_run``, that it would create) and their total; lines that already existed;
    units with a line for the period. ``buildings`` limits the run to some buildings (ids or
    objects); ``today`` is the business day recorded on the lines (default: the estate's today).
    Commits after each building unless ``commit=False``; a dry run writes nothing. After a real run,
    late fees of the previous period are assessed (when configured) and prepaid balances pay the lines.
    """
    if actor is not None:
        require(session, actor, "billing.run")
    estate = resolve_estate(session, estate)
    P.parse_period(period)
    items = plan(session, estate, period)
    settings = billing_settings(session)
    chunks = _buildings(session, estate, buildings)
    today = today or P.local_today(estate)
    summary = {
        "estate": estate.code,
        "period": period,
        "dry_run": dry_run,
        "lines_created": 0,
        "lines_existing": 0,
        "amount_fen": 0,
        "units": 0,
    }
    unit_ids: set[int] = set()
    for building in chunks:
        for item, price in items:
            amounts = _amounts_select(session, estate, period, item, price, building.id, settings)
            existing = list(
                session.scalars(
                    select(ChargeLine.unit_id)
                    .join(Unit, Unit.id == ChargeLine.unit_id)
                    .where(
                        Unit.building_id == building.id,
                        ChargeLine.fee_item_id == item.id,
                        ChargeLine.run_period == period,
                    )
                )
            )
            summary["lines_existing"] += len(existing)
            unit_ids.update(existing)
            lines = _line_select(estate, period, item, amounts, actor, today)
            if dry_run:
                rows = session.execute(
                    select(amounts.c.unit_id, amounts.c.amount).where(amounts.c.amount > 0)
                ).all()
            else:
                ins = (
                    dialect_insert(session, ChargeLine)
                    .from_select(list(INSERT_COLUMNS), lines)
                    .on_conflict_do_nothing()
                    .returning(ChargeLine.unit_id, ChargeLine.amount_fen)
                )
                rows = session.execute(ins).all()
            summary["lines_created"] += len(rows)
            summary["amount_fen"] += sum(int(a) for _u, a in rows)
            unit_ids.update(u for u, _a in rows)
        if commit and not dry_run:
            session.commit()
        if progress is not None:
            progress(building, period)
    summary["units"] = len(unit_ids)
    if not dry_run:
        _after_run(session, estate, period, actor, settings, summary, commit, today)
    return summary


def _after_run(
    session: Session,
    estate: Estate,
    period: str,
    actor,
    settings: dict,
    summary: dict,
    commit: bool,
    today: dt.date,
) -> None:
    from plugins.billing.arrears import assess_late_fees
    from plugins.billing.payments import apply_prepaid_for_estate

    if settings["late_fee_daily_permille"]:
        summary["late_fees"] = assess_late_fees(
            session, estate, P.add_months(period, -1), settings["late_fee_daily_permille"]
        )
    summary["prepaid_applied"] = apply_prepaid_for_estate(session, estate.id, actor, paid_on=today)
    session.flush()
    if commit:
        session.commit()


def _buildings(session: Session, estate: Estate, only) -> list[Building]:
    rows = list(
        session.scalars(
            select(Building).where(Building.estate_id == estate.id).order_by(Building.code, Building.id)
        )
    )
    if only is None:
        return rows
    wanted = {getattr(b, "id", b) for b in only}
    unknown = wanted - {b.id for b in rows}
    if unknown:
        raise ValidationError(
            f"building(s) {sorted(unknown)} are not in estate {estate.code}", field="buildings"
        )
    return [b for b in rows if b.id in wanted]


def run_billing_range(session: Session, estate, from_period: str, to_period: str, **kwargs) -> dict:
    """Catch up: bill every period from ``from_period`` to ``to_period`` (each once, idempotently).

    Every period's prices are checked before anything is written. Returns the totals plus
    ``periods``, one summary per period.
    """
    estate = resolve_estate(session, estate)
    P.parse_period(from_period)
    todo = P.periods_between(from_period, to_period)
    for period in todo:
        plan(session, estate, period)
    if kwargs.get("actor") is not None:
        require(session, kwargs["actor"], "billing.run")
    total = {
        "estate": estate.code,
        "from_period": from_period,
        "to_period": to_period,
        "dry_run": kwargs.get("dry_run", False),
        "lines_created": 0,
        "lines_existing": 0,
        "amount_fen": 0,
        "units": 0,
        "periods": [],
    }
    for period in todo:
        one = run_billing(session, estate, period, **kwargs)
        total["periods"].append(one)
        for key in ("lines_created", "lines_existing", "amount_fen"):
            total[key] += one[key]
        total["units"] = max(total["units"], one["units"])
    return total
