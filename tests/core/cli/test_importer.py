"""``wuye import units`` (``core/cli/importer.py``)."""

from __future__ import annotations

import json


def test_import_units_reports_rejected_rows_and_exits_1(run, upgraded, tmp_path):
    assert run("estates", "create", "CLI", "x", config=upgraded).returncode == 0
    csv_path = tmp_path / "u.csv"
    csv_path.write_text("estate,building,room_no,built_area\nCLI,1,101,90\nCLI,1,102,abc\n", encoding="utf-8")
    report = tmp_path / "rejected.csv"
    out = run("import", "units", str(csv_path), "--report", str(report), "--json", config=upgraded)
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert data["units_created"] == 1 and data["rejected"] == 1
    assert data["rejected_rows"] == [{"line": 3, "column": "built_area", "reason": "'abc' is not a number"}]
    assert "'abc' is not a number" in report.read_text(encoding="utf-8")
