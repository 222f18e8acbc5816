"""Billing one chunk of buildings: the run's statements, built once, and their execution per chunk.

A rerun inserts nothing (unique (unit, fee item, run_period); existing lines are skipped, and a
concurrent run's are absorbed by ``ON CONFLICT DO NOTHING``).
"""

from __future__ import annotations

from sqlalchemy import bindparam, case, func, insert, select, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.models import Estate, Unit
from plugins.billing.ledger import dialect_insert
from plugins.billing.models import ChargeLine
from plugins.billing.run.lines import INSERT_COLUMNS, lines_select


def chunk_statements(session: Session, estate: Estate, period: str, items, settings: dict, actor, today):
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
    lines = lines_select(estate, period, items, settings, actor, today)
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
    if session.get_bind().dialect.name == "postgresql":
        for key, ins in inserts.items():  # count and sum what was inserted in the server
            done = ins.returning(table.c.unit_id, table.c.amount_fen).cte("ins")
            inserts[key] = select(
                func.count(),
                func.coalesce(func.sum(done.c.amount_fen), 0),
                func.count(func.distinct(done.c.unit_id)),
            )
    else:
        # SQLite has no INSERT in a CTE, and RETURNING 15,000 rows to Python cost a fifth of the run.
        # The run holds the write lock (BEGIN IMMEDIATE), so the rows it inserts are exactly those
        # with an id above the largest before the insert: count and sum them by primary-key range.
        inserts["last_id"] = select(func.coalesce(func.max(table.c.id), 0))
        inserts["since"] = select(
            func.count(),
            func.coalesce(func.sum(table.c.amount_fen), 0),
            func.count(func.distinct(table.c.unit_id)),
        ).where(table.c.id > bindparam("after"))
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


def _insert(conn, stmt, params: dict, stmts: dict) -> tuple[int, int, int]:
    """(lines, fen, distinct units) that ``stmt`` inserted."""
    if conn.dialect.name == "postgresql":
        created, amount, units = conn.execute(stmt, params).one()
        return int(created), int(amount), int(units)
    after = conn.execute(stmts["last_id"]).scalar()
    conn.execute(stmt, params)
    created, amount, units = conn.execute(stmts["since"], {"after": after}).one()
    return int(created), int(amount), int(units)


def bill_chunk(session: Session, stmts: dict, bids: list[int], dry_run: bool) -> tuple[int, int, int, int]:
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
        created, amount, new_units = _insert(conn, stmt, params, stmts)
    else:
        try:
            with conn.begin_nested():
                created, amount, new_units = _insert(conn, stmt, params, stmts)
        except IntegrityError:  # a concurrent run billed some of these units since we counted
            created, amount, new_units = _insert(conn, stmts["insert_on_conflict"], params, stmts)
            raced = True
    if existing == 0 and not raced:
        return created, amount, 0, new_units
    if created == 0 and not raced:
        return 0, 0, existing, units
    total, units = (int(v) for v in conn.execute(stmts["stats"], params).one())  # partly billed before
    return created, amount, total - created, units
