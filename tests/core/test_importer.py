"""Bulk import of units and owners: every row validated, rejected rows write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.errors import ValidationError
from core.models import Building, Party, RelationKind, Unit, UnitRelation
from core.services.importer import import_units, read_rows, rejected_report_csv

HEADER = "estate,building,entrance,room_no,floor,unit_type,built_area,interior_area,status,delivered_on," \
         "owner_name,owner_id_type,owner_id_number,owner_phone\n"


def write(tmp_path, body: str, header: str = HEADER, name="units.csv"):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_good_rows_are_imported_and_owners_deduplicated(session, make_estate, tmp_path):
    make_estate(code="IM", units=0)
    path = write(tmp_path, (
        "IM,9,1,101,1,residential,98.50,80.10,occupied,2025-03-01,王芳,id_card,320102199001011234,13912345678\n"
        "IM,9,1,102,1,residential,98.50,80.10,occupied,2025-03-01,王芳,id_card,320102199001011234,13912345678\n"
        "IM,9,2,101,1,shop,120,100,vacant,,,,,\n"
    ))
    result = import_units(session, read_rows(path))
    assert result.rejected == []
    assert (result.units_created, result.buildings_created, result.owners_created) == (3, 1, 1)
    units = session.scalars(select(Unit).join(Building).where(Building.code == "9").order_by(Unit.id)).all()
    assert [(u.entrance, u.room_no, u.built_area) for u in units] == [
        ("1", "101", Decimal("98.50")), ("1", "102", Decimal("98.50")), ("2", "101", Decimal("120.00"))]
    owner = session.scalars(select(Party).where(Party.id_number == "320102199001011234")).one()
    rels = session.scalars(select(UnitRelation).where(UnitRelation.party_id == owner.id)).all()
    assert len(rels) == 2 and all(r.kind == RelationKind.owner and r.start_on == dt.date(2025, 3, 1) for r in rels)


def test_existing_owner_is_reused(session, make_estate, tmp_path):
    make_estate(code="IM", units=0)
    p = Party(name="李雷", id_type="id_card", id_number="11010119800101001X")
    session.add(p)
    session.flush()
    path = write(tmp_path, "IM,1,,201,2,residential,90,70,occupied,2025-01-01,李雷,id_card,11010119800101001x,\n")
    result = import_units(session, read_rows(path))
    assert (result.owners_created, result.owners_reused) == (0, 1)
    assert session.scalars(select(UnitRelation.party_id).where(UnitRelation.party_id == p.id)).one() == p.id


def test_rejected_rows_write_nothing_and_are_reported(session, make_estate, tmp_path):
    make_estate(code="IM", units=1)  # building "1" with room 101 exists
    before = [count(session, m) for m in (Unit, Building, Party, UnitRelation)]
    path = write(tmp_path, (
        "NOPE,1,,101,1,residential,90,70,vacant,,,,,\n"          # unknown estate
        "IM,1,,101,1,residential,90,70,vacant,,,,,\n"            # already exists
        "IM,2,,101,x,residential,90,70,vacant,,,,,\n"            # floor not a number
        "IM,2,,102,1,castle,90,70,vacant,,,,,\n"                 # bad unit type
        "IM,2,,103,1,residential,-5,0,vacant,,,,,\n"             # negative area
        "IM,2,,104,1,residential,90,95,vacant,,,,,\n"            # interior > built
        "IM,2,,105,1,residential,90,70,vacant,2025-13-01,,,,\n"  # bad date
        "IM,2,,106,1,residential,90,70,vacant,,张三,,,\n"         # owner without delivery date
        "IM,2,,,1,residential,90,70,vacant,,,,,\n"               # room missing
        "IM,2,,107,1,residential,90,70,vacant,,,,,\n"            # fine
        "IM,2,,107,1,residential,90,70,vacant,,,,,\n"            # duplicate within the file
    ))
    result = import_units(session, read_rows(path), dry_run=True)
    assert result.units_created == 1
    assert [(r.line, r.column) for r in result.rejected] == [
        (2, "estate"), (3, "room_no"), (4, "floor"), (5, "unit_type"), (6, "built_area"), (7, "interior_area"),
        (8, "delivered_on"), (9, "delivered_on"), (10, "room_no"), (12, "room_no")]
    assert [count(session, m) for m in (Unit, Building, Party, UnitRelation)] == before  # dry run wrote nothing
    result = import_units(session, read_rows(path))
    assert result.units_created == 1 and len(result.rejected) == 10
    assert count(session, Unit) == before[0] + 1
    report = rejected_report_csv(result)
    assert "no estate with code 'NOPE'" in report and "already exists" in report


def test_header_problems_are_named(tmp_path):
    with pytest.raises(ValidationError, match="unknown column\\(s\\) colour"):
        read_rows(write(tmp_path, "", header="estate,building,room_no,colour\n"))
    with pytest.raises(ValidationError, match="required column\\(s\\) room_no missing"):
        read_rows(write(tmp_path, "", header="estate,building\n"))
    with pytest.raises(ValidationError, match="use a .csv or .xlsx file"):
        read_rows(write(tmp_path, "", name="units.txt"))


def test_xlsx_with_chinese_headers(session, make_estate, tmp_path):
    from openpyxl import Workbook

    make_estate(code="XL", units=0)
    wb = Workbook()
    ws = wb.active
    ws.append(["小区编码", "楼栋", "房号", "楼层", "建筑面积", "交房日期", "业主姓名", "证件号码"])
    ws.append(["XL", "5", "1801", 18, 143.2, dt.datetime(2025, 6, 1), "赵敏", "320102198505051111"])
    path = tmp_path / "units.xlsx"
    wb.save(path)
    result = import_units(session, read_rows(path))
    assert result.rejected == [] and result.units_created == 1 and result.owners_created == 1
    unit = session.scalars(select(Unit).where(Unit.room_no == "1801")).one()
    assert unit.built_area == Decimal("143.20") and unit.floor == 18 and unit.delivered_on == dt.date(2025, 6, 1)
