"""Bulk import of units and their owners from CSV or XLSX (``wuye import units FILE``).

Every row is validated first; a rejected row writes nothing and is reported with its line number,
the column and the reason; the accepted rows are inserted set-wise (one multi-row INSERT per table
with RETURNING, not one ORM object per row), so large files import at tens of thousands of rows a
second. A file with only bad rows changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.db import bulk_insert
from core.errors import ValidationError
from core.models import Building, Estate, Party, RelationKind, Unit, UnitRelation, UnitStatus, UnitType

# Column names accepted in the header row; Chinese headers from property companies' own sheets too.
ALIASES = {
    "estate": ("estate", "estate_code", "小区编码", "小区"),
    "building": ("building", "building_code", "楼栋", "栋号", "楼号"),
    "entrance": ("entrance", "单元"),
    "room_no": ("room_no", "room", "房号"),
    "floor": ("floor", "楼层"),
    "unit_type": ("unit_type", "type", "类型"),
    "built_area": ("built_area", "建筑面积"),
    "interior_area": ("interior_area", "套内面积"),
    "status": ("status", "状态"),
    "delivered_on": ("delivered_on", "交房日期"),
    "owner_name": ("owner_name", "业主姓名", "业主"),
    "owner_id_type": ("owner_id_type", "证件类型"),
    "owner_id_number": ("owner_id_number", "证件号码", "身份证号"),
    "owner_phone": ("owner_phone", "电话", "联系电话"),
}
REQUIRED = ("estate", "building", "room_no")
_UNIT_TYPES = {t.value: t for t in UnitType}
_STATUSES = {st.value: st for st in UnitStatus}
CHUNK = 5000


@dataclass
class Rejected:
    line: int
    column: str
    reason: str
    row: dict


@dataclass
class ImportResult:
    rows: int = 0
    units_created: int = 0
    buildings_created: int = 0
    owners_created: int = 0
    owners_reused: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    dry_run: bool = False

    def to_dict(self) -> dict:
        return {"rows": self.rows, "units_created": self.units_created, "buildings_created": self.buildings_created,
                "owners_created": self.owners_created, "owners_reused": self.owners_reused,
                "rejected": len(self.rejected), "dry_run": self.dry_run,
                "rejected_rows": [{"line": r.line, "column": r.column, "reason": r.reason} for r in self.rejected]}


def read_rows(path: Path) -> list[dict]:
    """Rows of a CSV (UTF-8, with or without BOM) or XLSX file as dicts keyed by canonical column."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = path.read_text(encoding="utf-8-sig")
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        body = list(reader)
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        it = wb.active.iter_rows(values_only=True)
        header = next(it, None)
        body = [["" if v is None else v for v in r] for r in it]
        wb.close()
    else:
        raise ValidationError(f"{path.name}: use a .csv or .xlsx file", field="file")
    if not header:
        raise ValidationError(f"{path.name}: the file is empty; the first row must name the columns", field="file")
    lookup = {alias.strip().lower(): canon for canon, names in ALIASES.items() for alias in names}
    columns = []
    unknown = []
    for name in header:
        canon = lookup.get(str(name or "").strip().lower())
        if canon is None:
            unknown.append(str(name))
        columns.append(canon)
    if unknown:
        raise ValidationError(f"{path.name}: unknown column(s) {', '.join(unknown)}; allowed: "
                              f"{', '.join(ALIASES)}", field="header")
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ValidationError(f"{path.name}: required column(s) {', '.join(missing)} missing", field="header")
    if suffix == ".csv":  # every value is a string: strip them all at C speed
        stripped = (list(map(str.strip, r)) for r in body)
        return [dict(zip(columns, r, strict=False)) for r in stripped if any(r)]
    return [{c: (v.strip() if isinstance(v, str) else v) for c, v in zip(columns, r, strict=False)} for r in body
            if any(str(v).strip() for v in r)]


def _decimal(value, column: str) -> Decimal:
    if value in ("", None):
        return Decimal("0")
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(column, f"'{value}' is not a number") from None
    if not d.is_finite() or d < 0 or d >= Decimal("100000000"):
        raise ValueError(column, f"'{value}' is out of range (0 to 99,999,999.99)")
    return d.quantize(Decimal("0.01"))


def _date(value, column: str) -> dt.date | None:
    if value in ("", None):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(column, f"'{value}' is not a date (use YYYY-MM-DD)") from None


def _validate(raw: dict) -> dict:
    for col in REQUIRED:
        if not str(raw.get(col) or "").strip():
            raise ValueError(col, "is required")
    row = {"estate": str(raw["estate"]), "building": str(raw["building"]), "entrance": str(raw.get("entrance") or ""),
           "room_no": str(raw["room_no"])}
    for col, limit in (("building", 32), ("entrance", 16), ("room_no", 32)):
        if len(row[col]) > limit:
            raise ValueError(col, f"is longer than {limit} characters")
    floor = raw.get("floor")
    try:
        row["floor"] = int(floor) if floor not in ("", None) else 1
    except (TypeError, ValueError):
        raise ValueError("floor", f"'{floor}' is not a whole number") from None
    row["unit_type"] = _UNIT_TYPES.get(raw.get("unit_type") or "residential")
    if row["unit_type"] is None:
        raise ValueError("unit_type", f"'{raw.get('unit_type')}' is not one of {', '.join(_UNIT_TYPES)}")
    row["status"] = _STATUSES.get(raw.get("status") or "not_delivered")
    if row["status"] is None:
        raise ValueError("status", f"'{raw.get('status')}' is not one of {', '.join(_STATUSES)}")
    row["built_area"] = _decimal(raw.get("built_area"), "built_area")
    row["interior_area"] = _decimal(raw.get("interior_area"), "interior_area")
    if row["interior_area"] > row["built_area"] > 0:
        raise ValueError("interior_area", "is larger than the built-up area")
    row["delivered_on"] = _date(raw.get("delivered_on"), "delivered_on")
    name = str(raw.get("owner_name") or "").strip()
    row["owner"] = None
    if name:
        if len(name) > 200:
            raise ValueError("owner_name", "is longer than 200 characters")
        id_number = str(raw.get("owner_id_number") or "").strip().upper()
        if id_number and len(id_number) > 64:
            raise ValueError("owner_id_number", "is longer than 64 characters")
        row["owner"] = {"name": name, "id_type": str(raw.get("owner_id_type") or "id_card"),
                        "id_number": id_number, "phone": str(raw.get("owner_phone") or "")[:40]}
        if row["delivered_on"] is None:
            raise ValueError("delivered_on", "is required when an owner is given (ownership starts on it)")
    elif any(raw.get(c) for c in ("owner_id_number", "owner_phone")):
        raise ValueError("owner_name", "is required when an owner's ID or phone is given")
    return row


def import_units(session: Session, rows: list[dict], *, dry_run: bool = False) -> ImportResult:
    """Validate and insert ``rows`` (from :func:`read_rows`). Flushes; the caller commits."""
    result = ImportResult(rows=len(rows), dry_run=dry_run)
    estates = {e.code: e for e in session.scalars(select(Estate).where(Estate.code.in_({str(r.get("estate")) for r in rows})))}
    estate_id_of = {code: e.id for code, e in estates.items()}
    good: list[tuple[int, dict]] = []
    for i, raw in enumerate(rows, start=2):  # line 1 is the header
        try:
            row = _validate(raw)
            row["estate_id"] = estate_id_of.get(row["estate"])
            if row["estate_id"] is None:
                raise ValueError("estate", f"no estate with code '{row['estate']}'; create it first or fix the code")
        except ValueError as exc:
            column, reason = exc.args
            result.rejected.append(Rejected(i, column, reason, raw))
            continue
        good.append((i, row))

    # Buildings: reuse existing ones, create the missing (few) ones.
    estate_ids = {r["estate_id"] for _, r in good}
    buildings = {(b.estate_id, b.code): b for b in
                 session.scalars(select(Building).where(Building.estate_id.in_(estate_ids)))} if estate_ids else {}
    # Duplicates: against the database and within the file.
    existing = set()
    if buildings:
        stmt = select(Unit.building_id, Unit.entrance, Unit.room_no).where(Unit.estate_id.in_(estate_ids))
        existing = {tuple(r) for r in session.execute(stmt)}
    seen: set[tuple] = set()
    accepted: list[tuple[int, dict]] = []
    building_id_of = {key: b.id for key, b in buildings.items()}
    for line, row in good:
        b = building_id_of.get((row["estate_id"], row["building"]))
        key_file = (row["estate_id"], row["building"], row["entrance"], row["room_no"])
        if key_file in seen or (b is not None and (b, row["entrance"], row["room_no"]) in existing):
            result.rejected.append(Rejected(line, "room_no", f"unit {row['building']}-{row['entrance'] or ''}"
                                            f"{'-' if row['entrance'] else ''}{row['room_no']} already exists",
                                            {k: row[k] for k in ("estate", "building", "entrance", "room_no")}))
            continue
        seen.add(key_file)
        accepted.append((line, row))
    result.rejected.sort(key=lambda r: r.line)

    new_buildings = sorted({(r["estate_id"], r["building"]) for _, r in accepted} - set(buildings))
    result.buildings_created = len(new_buildings)
    result.units_created = len(accepted)
    owners = [r["owner"] for _, r in accepted if r["owner"]]
    ids = {o["id_number"] for o in owners if o["id_number"]}
    known_parties = _parties_by_id_number(session, ids)
    if dry_run:
        new_keys = {(o["id_type"], o["id_number"]) for o in owners if o["id_number"]} - set(known_parties)
        result.owners_created = len(new_keys) + sum(1 for o in owners if not o["id_number"])
        result.owners_reused = len(owners) - result.owners_created
        return result

    for estate_id, code in new_buildings:
        b = Building(estate_id=estate_id, code=code, name=f"{code}栋")
        session.add(b)
        buildings[(estate_id, code)] = b
    session.flush()

    building_id_of = {key: b.id for key, b in buildings.items()}
    unit_rows = [{"estate_id": r["estate_id"], "building_id": building_id_of[(r["estate_id"], r["building"])],
                  "entrance": r["entrance"], "floor": r["floor"], "room_no": r["room_no"], "unit_type": r["unit_type"],
                  "built_area": r["built_area"], "interior_area": r["interior_area"], "status": r["status"],
                  "delivered_on": r["delivered_on"], "usage_nature": ""} for _, r in accepted]
    # Plain executemany on the Core table (no RETURNING: SQLite would fall back to one statement per
    # row), then one SELECT to learn the new ids by their natural key.
    bulk_insert(session, Unit, unit_rows)
    touched = {r["building_id"] for r in unit_rows}
    id_of = {}
    for chunk in _chunks(sorted(touched), 1000):
        stmt = select(Unit.id, Unit.building_id, Unit.entrance, Unit.room_no).where(Unit.building_id.in_(chunk))
        id_of.update({(b, e, r): uid for uid, b, e, r in session.execute(stmt)})
    unit_ids = [id_of[(r["building_id"], r["entrance"], r["room_no"])] for r in unit_rows]

    # Owners: one party per distinct ID number (an owner of several units is one party).
    party_of: dict[int, int] = {}  # index in accepted -> party id
    to_create: dict[tuple, dict] = {}
    anonymous: list[tuple[int, dict]] = []
    for idx, (_, r) in enumerate(accepted):
        o = r["owner"]
        if not o:
            continue
        key = (o["id_type"], o["id_number"])
        if o["id_number"] and key in known_parties:
            party_of[idx] = known_parties[key]
            result.owners_reused += 1
        elif o["id_number"]:
            to_create.setdefault(key, o)
        else:
            anonymous.append((idx, o))
    now = dt.datetime.now(dt.UTC)
    party_defaults = {"kind": "person", "phone2": "", "email": "", "address": "", "notes": "", "created_at": now}
    # Owners with an ID number (the normal case): executemany, then ids by ID number. Owners without
    # one cannot be found again by a key, so they take the slower RETURNING path.
    bulk_insert(session, Party, [{**party_defaults, **o} for o in to_create.values()])
    created = {key: pid for key, pid in _parties_by_id_number(session, {k[1] for k in to_create}).items()
               if key in to_create and key not in known_parties}
    anon_ids: list[int] = []
    for chunk in _chunks([{**party_defaults, **o} for _, o in anonymous], CHUNK):
        anon_ids += session.scalars(insert(Party).returning(Party.id, sort_by_parameter_order=True), chunk).all()
    for (idx, _), pid in zip(anonymous, anon_ids, strict=True):
        party_of[idx] = pid
    result.owners_created = len(created) + len(anon_ids)
    for idx, (_, r) in enumerate(accepted):
        o = r["owner"]
        if o and o["id_number"] and idx not in party_of:
            party_of[idx] = created[(o["id_type"], o["id_number"])]
    relations = [{"unit_id": unit_ids[idx], "party_id": pid, "kind": RelationKind.owner.value, "relation_to_owner": "",
                  "share": "", "start_on": accepted[idx][1]["delivered_on"], "end_on": None}
                 for idx, pid in sorted(party_of.items())]
    bulk_insert(session, UnitRelation, relations)
    session.flush()
    return result


def _parties_by_id_number(session: Session, numbers: set[str]) -> dict[tuple, int]:
    """``{(id_type, id_number): party id}`` of the parties with one of these ID numbers.

    The numbers go into a temporary table (COPY on PostgreSQL) joined once with the parties: on
    PostgreSQL long ``IN`` lists are re-planned generically after a few executions and then compared
    element by element (the lookup grew with the square of the file), and on both backends
    rendering thousands of bound parameters costs more than the query.
    """
    if not numbers:
        return {}
    conn = session.connection()
    raw = conn.connection.dbapi_connection
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS wuye_import_ids (id_number text) ON COMMIT DROP")
        conn.exec_driver_sql("TRUNCATE wuye_import_ids")
        with raw.cursor() as cur, cur.copy("COPY wuye_import_ids FROM STDIN") as copy:
            for n in numbers:
                copy.write_row((n,))
        conn.exec_driver_sql("ANALYZE wuye_import_ids")
    else:
        conn.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS wuye_import_ids (id_number TEXT PRIMARY KEY)")
        conn.exec_driver_sql("DELETE FROM wuye_import_ids")
        cur = raw.cursor()
        try:
            cur.executemany("INSERT INTO wuye_import_ids VALUES (?)", ((n,) for n in numbers))
        finally:
            cur.close()
    rows = conn.exec_driver_sql("SELECT p.id_type, p.id_number, p.id FROM core_parties p "
                                "JOIN wuye_import_ids i ON i.id_number = p.id_number").all()
    if conn.dialect.name != "postgresql":
        conn.exec_driver_sql("DELETE FROM wuye_import_ids")
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


