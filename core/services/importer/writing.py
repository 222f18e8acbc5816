"""The import itself: ids reserved, then every table written in one COPY (PostgreSQL) or
executemany (SQLite), nothing read back; and the report of rejected rows."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from itertools import chain, compress, repeat

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from core.clock import utcnow
from core.models import Building, Estate, Party, RelationKind, Unit, UnitRelation
from core.services.importer.checking import _check
from core.services.importer.common import ImportResult, Rejected, _gc_paused
from core.services.importer.reading import Columns


def import_units(session: Session, rows: list[dict] | Columns, *, dry_run: bool = False) -> ImportResult:
    """Validate and insert ``rows`` (from :func:`read_rows` or :func:`read_columns`). Flushes; the caller
    commits."""
    with _gc_paused():
        return _import(session, rows, dry_run)


def _import(session: Session, rows: list[dict] | Columns, dry_run: bool) -> ImportResult:
    result = ImportResult(rows=len(rows), dry_run=dry_run)
    c = _check(rows)
    problems = c.problems

    codes = set(c.estate)
    estate_of = dict(session.execute(select(Estate.code, Estate.id).where(Estate.code.in_(codes))).all())
    if not codes <= estate_of.keys():
        for i, code in enumerate(c.estate):
            if code not in estate_of:
                problems.setdefault(i, ("estate",
                                        f"no estate with code '{code}'; create it first or fix the code"))
    estate_ids = list(map(estate_of.get, c.estate))
    good = [i for i in range(len(rows)) if i not in problems]

    # Duplicates: against the database (only the buildings the file names can hold one) and within the file.
    touched = set(map(estate_ids.__getitem__, good))
    buildings = {(b.estate_id, b.code): b for b in
                 session.scalars(select(Building).where(Building.estate_id.in_(touched)))} if touched else {}
    building_id_of = {key: b.id for key, b in buildings.items()}
    building_ids = list(map(building_id_of.get, zip(estate_ids, c.building, strict=True)))
    existing: set[tuple] = set()
    for chunk in _chunks(sorted(set(map(building_ids.__getitem__, good)) - {None}), 1000):
        stmt = select(Unit.building_id, Unit.entrance, Unit.room_no).where(Unit.building_id.in_(chunk))
        existing.update(map(tuple, session.execute(stmt)))
    keys = list(zip(estate_ids, c.building, c.entrance, c.room_no, strict=True))
    accepted = good
    clashing: dict[int, dict] = {}  # a duplicate is reported with the key it clashes on, not the row as read
    if existing or len(set(map(keys.__getitem__, good))) < len(good):
        seen: set[tuple] = set()
        accepted = []
        for i in good:
            e, b, entrance, room = keys[i]
            if keys[i] in seen or (building_ids[i], entrance, room) in existing:
                label = f"{b}-{entrance}-{room}" if entrance else f"{b}-{room}"
                problems[i] = ("room_no", f"unit {label} already exists")
                clashing[i] = {"estate": c.estate[i], "building": b, "entrance": entrance, "room_no": room}
                continue
            seen.add(keys[i])
            accepted.append(i)
    del keys, existing
    as_read = rows.row if isinstance(rows, Columns) else rows.__getitem__
    result.rejected = [Rejected(i + 2, column, reason, clashing.get(i) or as_read(i))  # line 1 is the header
                       for i, (column, reason) in sorted(problems.items())]

    def take(column: list, indices: list[int] = accepted) -> list:
        """The values in ``column`` of the accepted rows (or of the rows at ``indices``)."""
        if indices is accepted and len(accepted) == len(column):
            return column  # every row accepted
        return list(map(column.__getitem__, indices))

    new_buildings = sorted(set(zip(take(estate_ids), take(c.building), strict=True)) - buildings.keys())
    result.buildings_created = len(new_buildings)
    result.units_created = len(accepted)

    # Owners: one party per (ID type, ID number), an existing one reused; an owner without an ID number
    # cannot be recognised again, so each such row makes its own party.
    has_owner = list(map(bool, take(c.owner_name)))
    owned = list(compress(accepted, has_owner))
    owner_keys = list(zip(map(c.owner_id_type.__getitem__, owned), map(c.owner_id_number.__getitem__, owned),
                          strict=True))
    known = _parties_by_id_number(session, set(map(c.owner_id_number.__getitem__, owned)) - {""})
    new_owner_of: dict[tuple, int] = {}  # (id_type, id_number) -> the first row naming that new owner
    anonymous: list[int] = []
    for i, key in zip(owned, owner_keys, strict=True):
        if not key[1]:
            anonymous.append(i)
        elif key in known:
            result.owners_reused += 1
        elif key not in new_owner_of:
            new_owner_of[key] = i
    result.owners_created = len(new_owner_of) + len(anonymous)
    if dry_run:
        return result

    for estate_id, code in new_buildings:
        b = Building(estate_id=estate_id, code=code, name=f"{code}栋")
        session.add(b)
        buildings[(estate_id, code)] = b
    if new_buildings:
        session.flush()
        building_id_of = {key: b.id for key, b in buildings.items()}
        building_ids = list(map(building_id_of.get, zip(estate_ids, c.building, strict=True)))

    unit_ids = _reserve_ids(session, Unit.__table__, len(accepted))
    _write(session, Unit.__table__,
           ("id", "estate_id", "building_id", "entrance", "floor", "room_no", "unit_type", "built_area",
            "interior_area", "status", "delivered_on", "usage_nature"),
           [unit_ids, *map(take, (estate_ids, building_ids, c.entrance, c.floor, c.room_no, c.unit_type,
                                  c.built_area, c.interior_area, c.status, c.delivered_on)), repeat("")])

    new_party_rows = [*new_owner_of.values(), *anonymous]
    party_ids = _reserve_ids(session, Party.__table__, len(new_party_rows))
    _write(session, Party.__table__,
           ("id", "kind", "name", "id_type", "id_number", "phone", "phone2", "email", "address", "notes",
            "created_at"),
           [party_ids, repeat("person"), *(take(column, new_party_rows) for column in (
               c.owner_name, c.owner_id_type, c.owner_id_number, c.owner_phone)),
            repeat(""), repeat(""), repeat(""), repeat(""), repeat(utcnow())])

    party_of = {**known, **dict(zip(new_owner_of, party_ids, strict=False))}
    anonymous_party = dict(zip(anonymous, party_ids[len(new_owner_of):], strict=True))
    _write(session, UnitRelation.__table__,
           ("unit_id", "party_id", "kind", "relation_to_owner", "share", "start_on", "end_on"),
           [list(compress(unit_ids, has_owner)),
            [party_of[key] if key[1] else anonymous_party[i]
             for i, key in zip(owned, owner_keys, strict=True)] if anonymous
            else list(map(party_of.__getitem__, owner_keys)),
            repeat(RelationKind.owner), repeat(""), repeat(""), take(c.delivered_on, owned), repeat(None)])
    session.flush()
    return result


def _reserve_ids(session: Session, table: Table, n: int) -> list[int]:
    """``n`` new primary keys for ``table``, taken before its rows are written (so nothing is read back).

    PostgreSQL: from the column's sequence, safe beside concurrent inserts. SQLite: the ones after the
    table's largest id; the session's transaction holds the write lock (``BEGIN IMMEDIATE``, see
    ``core.db.make_engine``), so no other writer can take them before the import commits.
    """
    if not n:
        return []
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        # One array, not n rows: reading 200,000 rows back cost more than taking the numbers.
        sequence = conn.exec_driver_sql("SELECT pg_get_serial_sequence(%(t)s, 'id')",
                                        {"t": table.name}).scalar_one()
        return conn.exec_driver_sql("SELECT array_agg(nextval(%(s)s::regclass)) "
                                    "FROM generate_series(1, %(n)s)", {"s": sequence, "n": n}).scalar_one()
    start = conn.exec_driver_sql(f'SELECT coalesce(max(id), 0) FROM "{table.name}"').scalar_one() + 1
    return list(range(start, start + n))


def _write(session: Session, table: Table, columns: tuple[str, ...], values: list[Iterable]) -> None:
    """Insert the rows whose ``columns`` hold ``values`` (one iterable per column, a list or ``repeat``).

    Each column's values are converted as SQLAlchemy would bind them (enums to their value, and on
    SQLite dates to text, decimals to floats), once per distinct value; then COPY on PostgreSQL,
    executemany on SQLite, fed tuples (a dict per row, converted row by row, cost more than validating the
    whole file)."""
    conn = session.connection()
    dialect = conn.dialect
    ready = []
    for name, column in zip(columns, values, strict=True):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is None:
            ready.append(column)
        elif isinstance(column, repeat):
            ready.append(repeat(process(next(column))))
        else:
            of = {v: (None if v is None else process(v)) for v in set(column)}
            ready.append(list(map(of.__getitem__, column)))
    rows = zip(*ready, strict=False)  # the lists end it; a repeat() never does
    first = next(rows, None)
    if first is None:
        return
    rows = chain((first,), rows)
    raw = conn.connection.dbapi_connection
    quoted = ", ".join(f'"{c}"' for c in columns)
    if dialect.name == "postgresql":
        with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cur = raw.cursor()
        try:
            marks = ", ".join("?" * len(columns))
            cur.executemany(f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})', rows)
        finally:
            cur.close()


def _parties_by_id_number(session: Session, numbers: set[str]) -> dict[tuple, int]:
    """``{(id_type, id_number): party id}`` of the parties with one of these ID numbers.

    PostgreSQL: the numbers go into a temporary table (COPY) joined once with the parties: long ``IN``
    lists are re-planned generically after a few executions and then compared element by element (the
    lookup grew with the square of the file). SQLite: one JSON array parameter, which SQLite turns into
    a transient index for the ``IN``, at half the cost of filling a temporary table.
    """
    if not numbers:
        return {}
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        raw = conn.connection.dbapi_connection
        conn.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS wuye_import_ids (id_number text) ON COMMIT DROP")
        conn.exec_driver_sql("TRUNCATE wuye_import_ids")
        with raw.cursor() as cur, cur.copy("COPY wuye_import_ids FROM STDIN") as copy:
            for n in numbers:
                copy.write_row((n,))
        conn.exec_driver_sql("ANALYZE wuye_import_ids")
        rows = conn.exec_driver_sql("SELECT p.id_type, p.id_number, p.id FROM core_parties p "
                                    "JOIN wuye_import_ids i ON i.id_number = p.id_number").all()
    else:
        rows = conn.exec_driver_sql("SELECT id_type, id_number, id FROM core_parties "
                                    "WHERE id_number IN (SELECT value FROM json_each(?))",
                                    (json.dumps(list(numbers)),)).all()
    return {(t, n): pid for t, n, pid in rows}


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def rejected_report_csv(result: ImportResult) -> str:
    """The rejected rows as CSV: line, column, reason, then the row as read."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["line", "column", "reason", "row"])
    for r in result.rejected:
        w.writerow([r.line, r.column, r.reason, "; ".join(f"{k}={v}" for k, v in r.row.items() if v not in ("", None))])
    return out.getvalue()
