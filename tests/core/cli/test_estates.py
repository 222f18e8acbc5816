"""``wuye estates list|create`` (``core/cli/estates.py``)."""

from __future__ import annotations

import json


def test_create_then_list(run, upgraded):
    assert json.loads(run("estates", "list", "--json", config=upgraded).stdout) == []
    out = run("estates", "create", "CH", "翠湖花园", "--json", config=upgraded)
    assert out.returncode == 0, out.stderr
    made = json.loads(out.stdout)
    assert (made["code"], made["name"], made["kind"], made["timezone"]) == ("CH", "翠湖花园", "residential",
                                                                          "Asia/Shanghai")
    office = run("estates", "create", "JX", "锦绣大厦", "--kind", "office", "--timezone", "Asia/Urumqi",
                 "--address", "江东中路 168 号", config=upgraded)
    assert office.returncode == 0 and "created estate JX 锦绣大厦 (office, Asia/Urumqi)" in office.stdout
    rows = json.loads(run("estates", "list", "--json", config=upgraded).stdout)
    assert [(r["code"], r["timezone"], r["units"]) for r in rows] == [("CH", "Asia/Shanghai", 0),
                                                                     ("JX", "Asia/Urumqi", 0)]


def test_the_company_time_zone_is_the_default(run, upgraded):
    upgraded.write_text(upgraded.read_text().replace("[core]\n", '[core]\ntimezone = "Asia/Hong_Kong"\n'))
    out = run("estates", "create", "HK", "港湾", "--json", config=upgraded)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["timezone"] == "Asia/Hong_Kong"


def test_bad_input_is_refused_by_the_admin_and_api_schema_and_writes_nothing(run, upgraded):
    zone = run("estates", "create", "TZ", "x", "--timezone", "Mars/Olympus", config=upgraded)
    assert zone.returncode != 0 and "timezone: Not a known time zone" in zone.stderr
    long_code = run("estates", "create", "X" * 33, "x", config=upgraded)
    assert long_code.returncode != 0 and "code:" in long_code.stderr
    assert "Traceback" not in zone.stderr + long_code.stderr
    assert json.loads(run("estates", "list", "--json", config=upgraded).stdout) == []


def test_a_duplicate_code_is_refused(run, upgraded):
    assert run("estates", "create", "CH", "翠湖花园", config=upgraded).returncode == 0
    dup = run("estates", "create", "CH", "另一个", config=upgraded)
    assert dup.returncode == 1
    assert "an estate with code 'CH' already exists (翠湖花园)" in dup.stderr and "Traceback" not in dup.stderr
    assert len(json.loads(run("estates", "list", "--json", config=upgraded).stdout)) == 1
