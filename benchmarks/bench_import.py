"""Bulk import of units and owners from CSV: rows per second against a per-row ORM baseline."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from benchmarks.common import Result, fresh_database, timer
from core.models import Building, Estate, Party, RelationKind, Unit, UnitRelation
from core.services.importer import import_units, read_columns, read_rows


def write_csv(path, n: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["estate", "building", "entrance", "room_no", "floor", "unit_type", "built_area", "interior_area",
                    "status", "delivered_on", "owner_name", "owner_id_type", "owner_id_number", "owner_phone"])
        for i in range(n):
            b, rest = divmod(i, 2000)
            floor, pos = divmod(rest, 20)
            w.writerow(["BM", str(b + 1), "1", f"{floor + 1}{pos + 1:02d}", floor + 1, "residential", "98.50", "80.00",
                        "occupied", "2025-01-01", f"业主{i}", "id_card", f"3201{i:014d}", f"139{i:08d}"])


def write_xlsx(path, n: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["estate", "building", "entrance", "room_no", "floor", "unit_type", "built_area", "interior_area",
               "status", "delivered_on", "owner_name", "owner_id_type", "owner_id_number", "owner_phone"])
    for i in range(n):
        b, rest = divmod(i, 2000)
        floor, pos = divmod(rest, 20)
        ws.append(["BX", str(b + 1), "1", f"{floor + 1}{pos + 1:02d}", floor + 1, "residential", 98.5, 80,
                   "occupied", dt.date(2025, 1, 1), f"业主X{i}", "id_card", f"5201{i:014d}", f"138{i:08d}"])
    wb.save(path)


def naive_orm_import(session: Session, rows: list[dict]) -> None:
    """The baseline: one ORM object per row, as a straightforward implementation would do."""
    estate = session.query(Estate).filter_by(code="BM").one()
    for r in rows:
        b = session.query(Building).filter_by(estate_id=estate.id, code=r["building"]).one_or_none()
        if b is None:
            b = Building(estate_id=estate.id, code=r["building"])
            session.add(b)
            session.flush()
        u = Unit(estate_id=estate.id, building_id=b.id, entrance=r["entrance"], room_no=r["room_no"],
                 floor=int(r["floor"]), built_area=Decimal(r["built_area"]), interior_area=Decimal(r["interior_area"]),
                 status=r["status"], delivered_on=dt.date.fromisoformat(r["delivered_on"]))
        p = Party(name=r["owner_name"], id_number=r["owner_id_number"], phone=r["owner_phone"])
        session.add_all([u, p])
        session.flush()
        session.add(UnitRelation(unit_id=u.id, party_id=p.id, kind=RelationKind.owner, start_on=u.delivered_on))
        session.flush()


def run(backends: list[str], quick: bool, tmpdir) -> list[Result]:
    n = 20_000 if quick else 200_000
    sample = 2_000
    path = tmpdir / "units.csv"
    write_csv(path, n)
    n_xlsx = 5_000 if quick else 20_000
    xlsx = tmpdir / "units.xlsx"
    write_xlsx(xlsx, n_xlsx)
    results = []
    for backend in backends:
        with fresh_database(backend, tmpdir) as engine:
            with Session(engine) as s, s.begin():
                s.add(Estate(code="BM", name="Bench"))
            with timer() as t:
                with timer() as tr:
                    rows = read_columns(path)  # what `wuye import units` does
                with Session(engine) as s, s.begin():
                    res = import_units(s, rows)
            assert res.units_created == n and not res.rejected
            rate = n / t["seconds"]
            baseline_rows = read_rows(path)[:sample]
            for r in baseline_rows:
                r["building"] = "naive-" + r["building"]
            with Session(engine) as s, s.begin(), timer() as tb:
                naive_orm_import(s, baseline_rows)
            base_rate = sample / tb["seconds"]
            results.append(Result("import_units_csv", backend, "rows/s", round(rate), "rows/s",
                                  baseline=f"per-row ORM import of {sample} rows", baseline_value=round(base_rate),
                                  ratio=round(rate / base_rate, 1), target=">= 20000 rows/s (CSV)",
                                  met=rate >= 20_000, extra={"rows": n, "seconds": round(t["seconds"], 2),
                                                                 "read_seconds": round(tr["seconds"], 2)}))
            with Session(engine) as s, s.begin():
                s.add(Estate(code="BX", name="Bench XLSX"))
            with timer() as tx:
                rows = read_columns(xlsx)
                with Session(engine) as s, s.begin():
                    res = import_units(s, rows)
            assert res.units_created == n_xlsx and not res.rejected
            results.append(Result("import_units_xlsx", backend, "rows/s", round(n_xlsx / tx["seconds"]), "rows/s",
                                  baseline="the CSV import above (rows/s)", baseline_value=round(rate),
                                  ratio=round(n_xlsx / tx["seconds"] / rate, 2), target="- (CSV is the target)",
                                  notes="reading the sheet (openpyxl, read-only) is most of the time",
                                  extra={"rows": n_xlsx, "seconds": round(tx["seconds"], 2)}))
    return results
