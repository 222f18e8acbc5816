"""The billing run (出账): one charge line per (unit, fee item, period), computed and inserted in SQL.

The estate's buildings are billed in chunks of whole buildings (about 5% of the units, at most
:data:`CHUNK_MAX_UNITS`; small estates building by building). For each chunk one ``INSERT ...
SELECT`` covers every fee item due in the period (a ``UNION ALL`` of one SELECT per item) and
computes every unit's amount with integer arithmetic, rounded half-up to the fen::

    amount = (2·n + d) div (2·d)     n = quantity × price × pro-rata days × vacancy %,  d = the units' scale

(quantity: area in 1/100 m², usage in 1/100 kWh/m³, or 1 per unit; price in centi-fen). A rerun
inserts nothing (unique (unit, fee item, run_period); existing lines are skipped, and a concurrent
run's are absorbed by ``ON CONFLICT DO NOTHING``); each chunk is committed separately, so a run
killed midway is completed by running it again. See docs/plugins/billing.md and docs/performance.md.
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
    bindparam,
    case,
    cast,
    exists,
    extract,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    text,
    union,
    union_all,
)
from sqlalchemy.exc import IntegrityError
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
CHUNK_MAX_UNITS = 5_000  # units billed per transaction, at most (whole buildings; see _chunks)
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
    estate: Estate,
    period: str,
    item: FeeItem,
    price: FeePrice,
    settings: dict,
):
    """SELECT (unit_id, amount) of the lines this item bills in the chunk's buildings (bind ``bids``)."""
    start, end = P.bounds(period)
    where = [Unit.building_id.in_(bindparam("bids", expanding=True))]
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
    return select(Unit.id.label("unit_id"), _round(n, d, item.rounding).label("amount")).where(*where).subquery()


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


def _lines_select(estate: Estate, period: str, items, settings: dict, actor, today: dt.date):
    """Every line of every item for the chunk's buildings (bind ``bids``): one UNION ALL, amounts > 0.

    Columns are :data:`INSERT_COLUMNS`, in order; the per-item parts carry what differs by item.
    """
    parts = []
    for item, price in items:
        amounts = _amounts_select(estate, period, item, price, settings)
        parts.append(
            select(
                amounts.c.unit_id.label("unit_id"),
                literal(item.id, Integer).label("fee_item_id"),
                amounts.c.amount.label("amount"),
                literal(P.due_on(period, item.due_day, item.prepaid), Date).label("due_on"),
                literal(item.payer, String).label("payer"),
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


def _statements(session: Session, estate: Estate, period: str, items, settings: dict, actor, today):
    """The run's statements, built once and executed per chunk with ``bids`` = the chunk's buildings.

    Existing lines are found through the unique index (unit, fee item, run_period), probed per line
    or per unit by correlated subqueries, so the plans stay cheap whatever the table statistics say.
    The inserts are plain ``INSERT ... SELECT`` (SQLAlchemy caches their compiled form; the dialects'
    ``ON CONFLICT`` inserts are compiled on every execution): ``insert_all`` for a chunk without any
    line yet, ``insert`` skipping the lines that exist, and ``insert_on_conflict`` as the fallback
    when a concurrent run billed some of the units first. Each yields (lines, fen, units) it added.
    """
    item_ids = [item.id for item, _price in items]
    table = ChargeLine.__table__
    lines = _lines_select(estate, period, items, settings, actor, today)
    new = lines.subquery("new")
    billed = (
        select(func.count())
        .where(
            table.c.unit_id == new.c.unit_id,
            table.c.fee_item_id == new.c.fee_item_id,
            table.c.run_period == period,
        )
        .scalar_subquery()
    )
    fresh = select(*new.c).where(billed == 0)
    conflict = [table.c.unit_id, table.c.fee_item_id, table.c.run_period]
    inserts = {
        "insert_all": insert(table).from_select(list(INSERT_COLUMNS), lines),
        "insert": insert(table).from_select(list(INSERT_COLUMNS), fresh),
        "insert_on_conflict": dialect_insert(session, table)
        .from_select(list(INSERT_COLUMNS), lines)
        .on_conflict_do_nothing(index_elements=conflict),
    }
    for key, ins in inserts.items():
        ins = ins.returning(table.c.unit_id, table.c.amount_fen)
        if session.get_bind().dialect.name == "postgresql":  # count and sum in the server
            done = ins.cte("ins")
            ins = select(
                func.count(),
                func.coalesce(func.sum(done.c.amount_fen), 0),
                func.count(func.distinct(done.c.unit_id)),
            )
        inserts[key] = ins
    # lines of the period per unit of the chunk -> (lines, units with a line)
    per_unit = (
        select(
            Unit.id.label("unit_id"),
            select(func.count())
            .where(
                table.c.unit_id == Unit.id,
                table.c.run_period == period,
                table.c.fee_item_id.in_(item_ids),
            )
            .correlate(Unit)
            .scalar_subquery()
            .label("n"),
        )
        .where(Unit.building_id.in_(bindparam("bids", expanding=True)))
        .offset(0)  # keeps the subquery apart, so the per-unit count runs once per unit, not per use
        .subquery()
    )
    stats = select(
        func.coalesce(func.sum(per_unit.c.n), 0),
        func.coalesce(func.sum(case((per_unit.c.n > 0, 1), else_=0)), 0),
    )
    # a dry run: the lines a real run would add, and the units that would then have a line
    would = fresh.subquery("would")
    units = union(select(would.c.unit_id), select(per_unit.c.unit_id).where(per_unit.c.n > 0)).subquery()
    dry = select(
        select(func.count()).select_from(would).scalar_subquery(),
        select(func.coalesce(func.sum(would.c.amount), 0)).scalar_subquery(),
        select(func.count()).select_from(units).scalar_subquery(),
    )
    return {**inserts, "stats": stats, "dry": dry}


def _insert(conn, stmt, params: dict) -> tuple[int, int, int]:
    """(lines, fen, distinct units) that ``stmt`` inserted."""
    if conn.dialect.name == "postgresql":
        created, amount, units = conn.execute(stmt, params).one()
        return int(created), int(amount), int(units)
    rows = conn.execute(stmt, params).all()
    return len(rows), sum(a for _u, a in rows), len({u for u, _a in rows})


def _bill_chunk(session: Session, stmts: dict, bids: list[int], dry_run: bool) -> tuple[int, int, int, int]:
    """(lines created, their fen, lines that existed, units with a line) for one chunk of buildings.

    Counts first (one index probe per unit); a chunk without any line yet is inserted without
    looking for existing lines, a billed one skips them line by line (a rerun inserts nothing).
    """
    conn = session.connection()  # Core statements: no ORM bookkeeping per chunk
    params = {"bids": bids}
    existing, units = (int(v) for v in conn.execute(stmts["stats"], params).one())
    if dry_run:
        created, amount, units = conn.execute(stmts["dry"], params).one()
        return int(created), int(amount), existing, int(units)
    stmt = stmts["insert_all" if existing == 0 else "insert"]
    raced = False
    if conn.dialect.name == "sqlite":  # one writer at a time (BEGIN IMMEDIATE): nothing can race us
        created, amount, new_units = _insert(conn, stmt, params)
    else:
        try:
            with conn.begin_nested():
                created, amount, new_units = _insert(conn, stmt, params)
        except IntegrityError:  # a concurrent run billed some of these units since we counted
            created, amount, new_units = _insert(conn, stmts["insert_on_conflict"], params)
            raced = True
    if existing == 0 and not raced:
        return created, amount, 0, new_units
    if created == 0 and not raced:
        return 0, 0, existing, units
    total, units = (int(v) for v in conn.execute(stmts["stats"], params).one())  # partly billed before
    return created, amount, total - created, units


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
    Commits after each chunk of buildings unless ``commit=False`` (``progress(building, period)`` is
    called for each building once its chunk is committed); a dry run writes nothing. After a real run,
    late fees of the previous period are assessed (when configured) and prepaid balances pay the lines.
    """
    if actor is not None:
        require(session, actor, "billing.run")
    estate = resolve_estate(session, estate)
    P.parse_period(period)
    items = plan(session, estate, period)
    settings = billing_settings(session)
    buildings = _buildings(session, estate, buildings)
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
    stmts = _statements(session, estate, period, items, settings, actor, today) if items else {}
    async_commit = commit and not dry_run and session.get_bind().dialect.name == "postgresql"
    for chunk in _chunks(session, estate, buildings):
        if async_commit:
            # the run is idempotent: a commit lost in a crash is redone by the next run
            session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        if stmts:
            counts = _bill_chunk(session, stmts, [b.id for b in chunk], dry_run)
            for key, value in zip(("lines_created", "amount_fen", "lines_existing", "units"), counts, strict=True):
                summary[key] += value
        if commit and not dry_run:
            session.commit()
        if progress is not None:
            for building in chunk:
                progress(building, period)
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


def _chunks(session: Session, estate: Estate, buildings: list[Building]) -> list[list[Building]]:
    """Whole buildings in run order, grouped into chunks of about 5% of the estate's units.

    A chunk is one transaction: at least one building, at most ~:data:`CHUNK_MAX_UNITS` units (a
    bigger building is a chunk of its own). Small estates therefore commit building by building.
    """
    counts = dict(
        session.execute(
            select(Unit.building_id, func.count()).where(Unit.estate_id == estate.id).group_by(Unit.building_id)
        ).all()
    )
    target = min(CHUNK_MAX_UNITS, sum(counts.values()) // 20)
    chunks: list[list[Building]] = []
    size = 0
    for building in buildings:
        n = counts.get(building.id, 0)
        if not chunks or (size > 0 and size + n > target):
            chunks.append([])
            size = 0
        chunks[-1].append(building)
        size += n
    return chunks


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
