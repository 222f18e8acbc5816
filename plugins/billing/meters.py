"""Meter readings (抄表) and shared-cost apportionment (公摊).

The reading's usage is computed once, when it is recorded: normally current − previous; after a
meter replacement (换表) the old meter's last reading minus the previous one, plus the new meter's
reading minus its initial reading; after a rollover (the dial passed its maximum) max − previous +
current. A reading below the previous one without either flag is refused.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import Conflict, PermissionDenied, Text, ValidationError, authorize, estate_today, utcnow
from core.models import Unit
from plugins.billing import periods as P
from plugins.billing.calc import hundredths, split_by_weight, tiered_amount_fen
from plugins.billing.fees import get_fee_item, price_for
from plugins.billing.ledger import dialect_insert
from plugins.billing.models import ChargeLine, Meter, MeterReading


def quantity(value, field: str) -> Decimal:
    """A meter value: Decimal, int or numeric string with at most 2 decimals, zero or more."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValidationError(
            Text('give the reading as a number string, e.g. "1234.5" (never a float)', "读数请以数字字符串填写，例如 \"1234.5\"（不接受浮点数）"), field=field
        )
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(Text(f"{value!r} is not a number", f"{value!r} 不是数字"), field=field) from None
    if not d.is_finite() or d < 0 or d != d.quantize(Decimal("0.01")):
        raise ValidationError(Text("a reading is zero or more with at most two decimals", "读数须不小于零，最多两位小数"), field=field)
    return d.quantize(Decimal("0.01"))  # as the Numeric(14, 2) column gives it back ("5" reads "5.00")


def create_meter(
    session: Session,
    actor,
    *,
    estate,
    code: str,
    fee_item_code: str,
    unit: Unit | None = None,
    building=None,
    initial_reading="0",
    max_value=None,
    serial_no: str = "",
) -> Meter:
    """Register a unit meter (``unit``) or a common meter (no unit; ``building`` limits its apportionment)."""
    if actor is not None:  # None: the system (demo data, imports)
        authorize(session, actor, "billing.read_meters")
    item = get_fee_item(session, fee_item_code)
    if item.basis != "metered":
        raise ValidationError(
            Text(f"fee item {item.code} is not metered; meters price their usage with a metered item", f"收费项目 {item.name_zh or item.code} 不是按表计用量的项目"),
            field="fee_item_code",
        )
    meter = Meter(
        estate_id=estate.id,
        code=code,
        unit_id=getattr(unit, "id", None),
        building_id=getattr(building, "id", building),
        fee_item_id=item.id,
        serial_no=serial_no,
        initial_reading=quantity(initial_reading, "initial_reading"),
        max_value=None if max_value is None else quantity(max_value, "max_value"),
    )
    if meter.max_value is not None:
        if meter.max_value <= 0:
            raise ValidationError(Text("max_value: the dial's capacity is more than zero, e.g. 100000 for 5 digits",
                                       "max_value: 表盘量程须大于零，例如 5 位表为 100000"), field="max_value")
        _within_dial(meter, meter.initial_reading, "initial_reading")
    session.add(meter)
    session.flush()
    return meter


def _within_dial(meter: Meter, value: Decimal, field: str) -> None:
    """``max_value`` is the dial's capacity (a 5-digit dial: 100000, shown 0 to 99999.99): a dial never shows
    it or more, so such a reading is a typing error (9999.9 on a 4-digit dial read as 99999)."""
    if meter.max_value is not None and value >= meter.max_value:
        raise ValidationError(
            Text(f"{field}: {value} does not fit meter {meter.code}'s dial, which rolls over to 0 at {meter.max_value}; "
                 "check the digits read (a rolled-over dial is entered as it shows, with 'rollover')",
                 f"{field}: 读数 {value} 超出表计 {meter.code} 的表盘量程（满 {meter.max_value} 归零），请核对读数位数；"
                 "表盘翻转时按表盘显示录入并勾选“表计翻转”"), field=field)


def last_reading(session: Session, meter: Meter, before_period: str | None = None) -> MeterReading | None:
    stmt = select(MeterReading).where(MeterReading.meter_id == meter.id)
    if before_period is not None:
        stmt = stmt.where(MeterReading.period < before_period)
    return session.scalar(stmt.order_by(MeterReading.period.desc()).limit(1))


def record_reading(
    session: Session,
    actor,
    meter: Meter,
    *,
    period: str,
    value,
    read_on: dt.date | None = None,
    rollover: bool = False,
    replacement: bool = False,
    new_meter_initial=None,
    old_meter_final=None,
    new_serial_no: str | None = None,
    note: str = "",
) -> MeterReading:
    """Record this period's reading of ``meter``; see the module docstring for how usage is computed."""
    if actor is not None:  # None: the system (demo data, imports)
        authorize(session, actor, "billing.read_meters")
    P.parse_period(period)
    value = quantity(value, "value")
    _within_dial(meter, value, "value")
    later = last_reading(session, meter)
    if later is not None and later.period >= period:
        raise Conflict(
            Text(f"meter {meter.code} already has a reading for {later.period}; readings go forward "
            "one period at a time", f"表计 {meter.code} 已有 {later.period} 的读数，抄表须逐期向后录入"),
            field="period",
        )
    previous = later.value if later is not None else meter.initial_reading
    if replacement:
        if new_meter_initial is None:
            raise ValidationError(
                Text("a replacement needs the new meter's initial reading", "换表须填写新表起始读数"), field="new_meter_initial"
            )
        start = quantity(new_meter_initial, "new_meter_initial")
        old_part = Decimal(0)
        if old_meter_final is not None:
            final = quantity(old_meter_final, "old_meter_final")
            if final < previous:
                raise ValidationError(
                    Text(f"the old meter's last reading {final} is below the previous reading {previous}", f"旧表最终读数 {final} 低于上次读数 {previous}"),
                    field="old_meter_final",
                )
            old_part = final - previous
        if value < start:
            raise ValidationError(
                Text(f"reading {value} is below the new meter's initial reading {start}", f"读数 {value} 低于新表起始读数 {start}"), field="value"
            )
        usage = old_part + value - start
    elif rollover:
        if meter.max_value is None:
            raise ValidationError(
                Text(f"meter {meter.code} has no maximum value; set it before recording a rollover", f"表计 {meter.code} 未设最大值，请先设置再登记翻转"),
                field="rollover",
            )
        if value >= previous or value >= meter.max_value:
            raise ValidationError(
                Text(f"a rollover reading is below the previous reading {previous} and below the "
                f"dial's maximum {meter.max_value}", f"翻转读数低于上次读数 {previous}，且低于表盘最大值 {meter.max_value}"),
                field="value",
            )
        usage = meter.max_value - previous + value
    else:
        if value < previous:
            raise ValidationError(
                Text(f"reading {value} is below the previous reading {previous}; if the meter was "
                "replaced or passed its maximum, record it as a replacement or a rollover", f"读数 {value} 低于上次读数 {previous}；如已换表或表计翻转，请按换表或翻转登记"),
                field="value",
            )
        usage = value - previous
    reading = MeterReading(
        estate_id=meter.estate_id,
        meter_id=meter.id,
        period=period,
        read_on=read_on or estate_today(session, meter.estate_id),
        previous_value=previous,
        value=value,
        usage=usage,
        usage_centi=hundredths(usage),
        rollover=rollover,
        replacement=replacement,
        old_meter_final=None if old_meter_final is None else quantity(old_meter_final, "old_meter_final"),
        read_by_id=getattr(actor, "id", None),
        note=note[:400],
    )
    if replacement:
        meter.initial_reading = quantity(new_meter_initial, "new_meter_initial")
        if new_serial_no is not None:
            meter.serial_no = new_serial_no
    session.add(reading)
    session.flush()
    return reading


def check_reading(session: Session, actor, reading: MeterReading) -> MeterReading:
    """Double-check (复核) a reading: a second person, not the one who read it."""
    authorize(session, actor, "billing.read_meters")
    if actor is None:  # the double check is a second person's, never the system's
        raise PermissionDenied(Text("a reading is double-checked by a staff member; sign in to check it", "读数须由员工复核，请登录后复核"))
    if reading.read_by_id is not None and reading.read_by_id == actor.id:
        raise Conflict(Text("a reading is checked by a second person, not the one who read it", "读数须由另一人复核，不能是抄表人本人"), field="checked_by")
    if reading.checked_by_id is not None:
        raise Conflict(Text("this reading was already checked", "该读数已复核"), field="checked_by")
    reading.checked_by_id = actor.id
    session.flush()
    return reading


def usage_amount_fen(session: Session, meter: Meter, usage_centi: int, period: str) -> int:
    """The value of ``usage_centi`` at the meter's fee-item price for the period (tiers applied)."""
    item = meter.fee_item
    price = price_for(session, item, meter.estate_id, P.bounds(period)[0])
    if price is None:
        raise ValidationError(Text(f"fee item {item.code} has no price for period {period}", f"收费项目 {item.name_zh or item.code} 没有 {period} 的价格"), field="fee_item")
    tiers = [(t.from_centi, t.to_centi, t.price_cfen) for t in price.tiers] or [(0, None, price.price_cfen)]
    return tiered_amount_fen(usage_centi, tiers, item.rounding)


SHARING_UNIT_TYPES = ("residential", "shop", "office")


def _count(session: Session, source_like: str) -> int:
    return session.scalar(select(func.count(ChargeLine.id)).where(ChargeLine.source.like(source_like)))


def apportion(
    session: Session,
    actor,
    reading: MeterReading,
    *,
    fee_item_code: str = "shared_utilities",
    post: bool = True,
    today: dt.date | None = None,
    unit_types: tuple[str, ...] = SHARING_UNIT_TYPES,
) -> dict:
    """Share a common meter's usage for the period over every unit by built area (公摊).

    Units of ``unit_types`` share (default: flats, shops and offices; parking spaces and storage
    rooms do not). Every unit shares, delivered or not: the share of a unit not delivered by the
    period's end is billed to the developer (``payer = "developer"``, 开发商), never spread over the
    owners; with ``developer_pays_undelivered`` off it is not billed at all (the company bears it).

    The total is the usage valued at the meter's price; each unit's part is its area share, with the
    remainder fen given to the largest fractions (ties: lower unit id), so the parts sum exactly to
    the total. With ``post`` the parts become charge lines (idempotent: posting twice adds nothing).
    Returns ``{"total_fen", "parts": {unit_id: fen}, "developer_fen", "lines_created"}``.
    """
    if actor is not None:  # None: the system (demo data)
        authorize(session, actor, "billing.run")
    meter = reading.meter
    if meter.unit_id is not None:
        raise ValidationError(
            Text(f"meter {meter.code} belongs to a unit; only common meters are apportioned", f"表计 {meter.code} 属于某户，只有公共表计参与公摊"), field="meter"
        )
    item = get_fee_item(session, fee_item_code)
    total = usage_amount_fen(session, meter, reading.usage_centi, reading.period)
    _start, end = P.bounds(reading.period)
    stmt = select(Unit.id, Unit.built_area, Unit.delivered_on).where(
        Unit.estate_id == meter.estate_id,
        Unit.unit_type.in_(list(unit_types)),
    )
    if meter.building_id is not None:
        stmt = stmt.where(Unit.building_id == meter.building_id)
    weights, undelivered = [], set()
    for uid, area, delivered_on in session.execute(stmt):
        weights.append((uid, hundredths(Decimal(str(area)).quantize(Decimal("0.01")))))
        if delivered_on is None or delivered_on > end:
            undelivered.add(uid)
    parts = split_by_weight(total, weights)
    developer_fen = sum(fen for uid, fen in parts.items() if uid in undelivered)
    from plugins.billing.settings import billing_settings

    if not billing_settings(session)["developer_pays_undelivered"]:
        parts = {uid: fen for uid, fen in parts.items() if uid not in undelivered}
    created = 0
    if post and parts:
        today = today or estate_today(session, meter.estate_id)
        due = P.due_on(reading.period, item.due_day, item.prepaid)
        rows = [
            {
                "estate_id": meter.estate_id,
                "unit_id": uid,
                "fee_item_id": item.id,
                "period": reading.period,
                "origin": "apportion",
                "amount_fen": fen,
                "due_on": due,
                "posted_on": today,
                "payer": "developer" if uid in undelivered else item.payer,
                "description": f"{item.name_zh or item.name} {reading.period} 表 {meter.code}",
                "source": f"billing:apportion:{reading.id}:{uid}",
                "created_by_id": getattr(actor, "id", None),
                "created_at": utcnow(),
            }
            for uid, fen in sorted(parts.items())
            if fen > 0
        ]
        if rows:  # one executemany: compiling a 1000-row VALUES list costs more than running it
            before = _count(session, rows[0]["source"].rsplit(":", 1)[0] + ":%")
            session.execute(dialect_insert(session, ChargeLine).on_conflict_do_nothing(), rows)
            created = _count(session, rows[0]["source"].rsplit(":", 1)[0] + ":%") - before
    return {"total_fen": total, "parts": parts, "developer_fen": developer_fen, "lines_created": created}
