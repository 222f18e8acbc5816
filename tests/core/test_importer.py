"""Bulk import of units and owners: every row validated, rejected rows write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.errors import ValidationError
from core.models import Building, Party, RelationKind, Unit, UnitRelation
from core.services.importer import import_units, read_columns, read_rows, rejected_report_csv

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
    for empty in ("", "\n", ",,\n", '""\n'):  # split at commas, or read by the csv module
        with pytest.raises(ValidationError, match="the file is empty"):
            read_columns(write(tmp_path, "", header=empty))


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


def test_plain_and_quoted_csv_read_alike(tmp_path):
    # A file without quotes is split at its commas; one with quotes goes through the csv module; both
    # strip every value (full-width spaces too) unless the file has no whitespace but line breaks.
    plain = write(tmp_path, "IM,9,1,101,1,residential,98.50,80.10,occupied,2025-03-01,王芳,id_card,X1,139\n"
                            "\n,,,,,,,,,,,,,\n"
                            "IM,9,1,102,1,,,,,,,,,\n", name="plain.csv")
    spaced = write(tmp_path, "IM, 9 ,1,101,1,residential,98.50,80.10,occupied,2025-03-01,"
                             "\u3000王芳 ,id_card,X1,139\n"
                             " , ,,,,,,,,,,,,\n"
                             "IM,9,1,102 ,1,,,,,,,,,\n", name="spaced.csv")
    quoted = write(tmp_path, '"IM","9",1,101,1,residential,98.50,80.10,occupied,2025-03-01,'
                             '" 王芳",id_card,X1,139\n'
                             'IM,9,1,"102",1,,,,,,,,,\n', name="quoted.csv")
    rows = read_rows(plain)
    assert read_rows(spaced) == rows and read_rows(quoted) == rows
    assert [(r["building"], r["room_no"], r["owner_name"]) for r in rows] == [
        ("9", "101", "王芳"), ("9", "102", "")]
    with_comma = write(tmp_path, 'IM,9,1,103,1,,,,,,"王, 芳",,,\n', name="comma.csv")
    assert read_rows(with_comma)[0]["owner_name"] == "王, 芳"


def test_dry_run_counts_what_the_import_does(session, make_estate, tmp_path):
    make_estate(code="IM", units=0)
    session.add(Party(name="李雷", id_type="id_card", id_number="P1"))
    session.flush()
    body = ("IM,3,,101,1,residential,90,70,occupied,2025-01-01,李雷,id_card,P1,\n"      # existing owner
            "IM,3,,102,1,residential,90,70,occupied,2025-01-01,李雷,id_card,p1,\n"      # same, ID in lower case
            "IM,3,,103,1,residential,90,70,occupied,2025-01-01,韩梅梅,id_card,N1,\n"    # new owner ...
            "IM,3,,104,1,residential,90,70,occupied,2025-01-01,韩梅梅,id_card,N1,\n"    # ... of two units
            "IM,3,,105,1,residential,90,70,occupied,2025-01-01,无证件,,,\n"             # owner without an ID
            "IM,3,,106,1,residential,90,70,vacant,,,,,\n")                             # no owner
    rows = read_rows(write(tmp_path, body))
    copy = [dict(r) for r in rows]
    counts = [import_units(session, rows, dry_run=dry).to_dict() for dry in (True, False)]
    assert rows == copy  # the caller's rows are left as they were
    assert [{k: c[k] for k in ("units_created", "owners_created", "owners_reused")} for c in counts] == \
        [{"units_created": 6, "owners_created": 2, "owners_reused": 2}] * 2


def test_each_unit_gets_its_own_owner_after_existing_rows(session, make_estate, tmp_path):
    # Ids are reserved before writing: the units, owners and their relations must line up even with
    # rejected rows, rows without an owner and existing units and parties in between.
    make_estate(code="IM", units=5)
    session.add(Party(name="老业主", id_type="id_card", id_number="OLD"))
    session.flush()
    lines = []
    for i in range(40):
        owner = f"业主{i},id_card,ID{i % 30}," if i % 3 else ",,,"
        floor = "x" if i % 7 == 6 else "2"
        lines.append(f"IM,1,2,{i + 1:03d},{floor},residential,90,70,occupied,2025-02-0{1 + i % 9},{owner}\n")
    lines.append("IM,1,2,900,1,residential,90,70,occupied,2025-01-01,老业主,id_card,OLD,\n")
    result = import_units(session, read_rows(write(tmp_path, "".join(lines))))
    rejected = {r.line for r in result.rejected}
    assert rejected == {i + 2 for i in range(40) if i % 7 == 6}
    expected = {f"{i + 1:03d}": (f"ID{i % 30}", dt.date(2025, 2, 1 + i % 9)) for i in range(40)
                if i % 3 and i % 7 != 6}
    expected["900"] = ("OLD", dt.date(2025, 1, 1))
    got = session.execute(select(Unit.room_no, Party.id_number, UnitRelation.start_on)
                          .join(UnitRelation, UnitRelation.unit_id == Unit.id)
                          .join(Party, Party.id == UnitRelation.party_id)
                          .where(Unit.entrance == "2")).all()
    assert {room: (number, start) for room, number, start in got} == expected
    assert result.owners_reused == 1
    # The first row naming an owner gives the party its name; later rows with the same ID reuse it.
    assert session.scalars(select(Party.name).where(Party.id_number == "ID1")).one() == "业主1"
    # Later ordinary inserts take ids after the reserved ones.
    building = session.scalars(select(Building).where(Building.code == "1")).one()
    session.add(Unit(estate_id=building.estate_id, building_id=building.id, room_no="999", entrance="2"))
    session.add(Party(name="新", id_number="NEW"))
    session.flush()


def test_a_row_is_reported_for_its_first_problem(session, make_estate, tmp_path):
    make_estate(code="IM", units=0)
    long_type = "t" * 33
    path = write(tmp_path, (
        "IM,2,,101,x,castle,90,70,vacant,,,,,\n"                              # floor before unit type
        "IM,2,,102,5000,residential,90,70,vacant,,,,,\n"                      # floor out of range
        "IM,2,,103,1,residential,90,95,vacant,bad,,,,\n"                      # areas before the date
        f"IM,2,,104,1,residential,90,70,occupied,2025-01-01,王五,{long_type},ID,\n"
        "NOPE,2,,105,1,residential,abc,70,vacant,,,,,\n"                      # the number before the estate
        ",2,,106,1,residential,abc,70,vacant,,,,,\n"                          # required before anything
        "IM,2,,107,1,residential,90,70,vacant,,,,13900000000\n"               # phone without a name
    ))
    result = import_units(session, read_rows(path))
    assert [(r.line, r.column, r.reason) for r in result.rejected] == [
        (2, "floor", "'x' is not a whole number"),
        (3, "floor", "'5000' is out of range (-999 to 999)"),
        (4, "interior_area", "is larger than the built-up area"),
        (5, "owner_id_type", "is longer than 32 characters"),
        (6, "built_area", "'abc' is not a number"),
        (7, "estate", "is required"),
        (8, "owner_name", "is required when an owner's ID or phone is given"),
    ]
    assert result.units_created == 0 and count(session, Unit) == 0


@pytest.mark.parametrize("read", [read_rows, read_columns])
def test_xlsx_cells_of_mixed_types(session, make_estate, tmp_path, read):
    from openpyxl import Workbook

    make_estate(code="XL", units=0)
    wb = Workbook()
    ws = wb.active
    ws.append(["estate", "building", "room_no", "floor", "built_area", "delivered_on", "owner_name",
               "owner_id_number"])
    ws.append(["XL", 5, 1801, 18, 143.2, dt.datetime(2025, 6, 1), "赵敏", 32010219])
    ws.append(["XL", "5", "1802", "18", "143.20", "2025-06-01", "赵敏", "32010219"])
    ws.append(["XL", 5, 1803, 18.0, 100, None, None, None])
    ws.append(["XL", 5, 1804, 18.5, 100, None, None, None])
    path = tmp_path / "units.xlsx"
    wb.save(path)
    result = import_units(session, read(path))
    assert [(r.line, r.column, r.reason) for r in result.rejected] == [
        (5, "floor", "'18.5' is not a whole number")]
    assert (result.units_created, result.owners_created, result.owners_reused) == (3, 1, 0)
    units = session.scalars(select(Unit).join(Building).where(Building.code == "5")
                            .order_by(Unit.room_no)).all()
    assert [(u.room_no, u.floor, u.built_area) for u in units] == [
        ("1801", 18, Decimal("143.20")), ("1802", 18, Decimal("143.20")), ("1803", 18, Decimal("100.00"))]


@pytest.mark.parametrize("read", [read_rows, read_columns])
def test_id_numbers_and_phones_in_number_cells(session, make_estate, tmp_path, read):
    """Excel keeps numbers to 15 digits: an 18-digit ID typed into a number cell is already wrong in the
    file, so its row is rejected with the fix; whole numbers that fit (a phone) are written as digits."""
    from openpyxl import Workbook

    make_estate(code="XN", units=0)
    wb = Workbook()
    ws = wb.active
    ws.append(["estate", "building", "room_no", "delivered_on", "owner_name", "owner_id_number", "owner_phone"])
    ws.append(["XN", "1", "101", "2025-01-01", "钱一", 3.20102198505051e17, "13900000001"])
    ws.append(["XN", "1", "102", "2025-01-01", "钱二", "320102198505052222", 13900000002.0])
    ws.append(["XN", "1", "103", "2025-01-01", "钱三", "320102198505053333", 139.5])
    path = tmp_path / "numbers.xlsx"
    wb.save(path)
    result = import_units(session, read(path))
    fix = "is stored as a number in the sheet, which keeps only 15 digits; format the column as text"
    assert [(r.line, r.column) for r in result.rejected] == [(2, "owner_id_number"), (4, "owner_phone")]
    assert all(r.reason.startswith(fix) for r in result.rejected)
    assert result.units_created == 1
    owner = session.scalars(select(Party).where(Party.name == "钱二")).one()
    assert owner.phone == "13900000002" and owner.id_number == "320102198505052222"
    assert session.scalars(select(Unit).where(Unit.room_no.in_(("101", "103")))).all() == []


def test_columns_import_as_rows_do(session, make_estate, tmp_path):
    # read_columns (what the CLI uses) and read_rows give the same import, short and long lines included.
    make_estate(code="IM", units=1)
    path = write(tmp_path, (
        "IM,1,,101,1,residential,90,70,vacant,,,,,\n"                       # exists already
        "IM,2,,101,1,residential,90,70,occupied,2025-01-01,王芳,id_card,A1,139\n"
        "IM,2,,102,x,residential,90,70,vacant,,,,,\n"
        "IM,2,,103\n"                                                       # short: the rest is missing
        "IM,2,,104,1,residential,90,70,occupied,2025-01-01,王芳,id_card,A1,139,extra\n"
        "NOPE,2,,105\n"
    ))
    rows, columns = read_rows(path), read_columns(path)
    assert len(columns) == len(rows) == 6
    assert [{k: v for k, v in columns.row(i).items() if v is not None} for i in range(6)] == rows
    dry = [import_units(session, data, dry_run=True) for data in (rows, columns)]
    assert dry[0].to_dict() == dry[1].to_dict()
    assert rejected_report_csv(dry[0]) == rejected_report_csv(dry[1])
    result = import_units(session, columns)
    assert result.to_dict() == {**dry[0].to_dict(), "dry_run": False}
    assert [(r.line, r.column) for r in result.rejected] == [(2, "room_no"), (4, "floor"), (7, "estate")]
    assert (result.units_created, result.owners_created, result.owners_reused) == (3, 1, 0)
