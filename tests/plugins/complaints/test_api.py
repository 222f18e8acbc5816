"""The complaints API and admin screen (generated from ``api.py`` / ``admin.py``): a complaint walked
through the API, bad input refused naming the field, and staff of estate CY never reading nor
changing estate CX's complaints through either."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect

from core.models import Building, Estate, Unit
from plugins.complaints.admin import admin_views

PASSWORD = "cs-pass-1234"


@pytest.fixture
def world(wuye, factory):
    """Committed estates CX and CY, one unit each, a CS supervisor of each (API tokens), a butler of CX."""
    from core.seed import seed_all
    from core.services.staff import create_staff
    from core.web.tokens import create_token

    s = factory()
    seed_all(s, wuye)
    out = {"tokens": {}, "units": {}}
    for code in ("CX", "CY"):
        estate = Estate(code=code, name=f"Estate {code}")
        s.add(estate)
        s.flush()
        building = Building(estate_id=estate.id, code="1")
        s.add(building)
        s.flush()
        unit = Unit(estate_id=estate.id, building_id=building.id, room_no="101")
        s.add(unit)
        s.flush()
        out["units"][code] = unit.id
        user = create_staff(s, f"sup_{code.lower()}", PASSWORD, roles=["cs_supervisor"], estates=[code])
        out["tokens"][user.username] = create_token(s, user.username, name="t")[1]
    butler = create_staff(s, "butler_cx", PASSWORD, roles=["butler"], estates=["CX"])
    out["tokens"]["butler_cx"] = create_token(s, "butler_cx", name="t")[1]
    out["butler"] = butler.id
    s.commit()
    s.close()
    return out


@pytest.fixture
def api(app, world):
    client = app.test_client()

    def call(method: str, path: str, user: str = "sup_cx", **body):
        headers = {"Authorization": f"Bearer {world['tokens'][user]}"}
        return client.open(f"/api/v1/complaints/{path}", method=method, json=body if method != "GET" else None,
                           headers=headers)

    return call


def _new(api, world, **kw):
    body = {"unit_id": world["units"]["CX"], "complainant_name": "陈女士", "complainant_phone": "13812345678",
            "summary": "电梯异响"} | kw
    r = api("POST", "complaints", **body)
    assert r.status_code == 201, r.json
    return r.json


def test_a_complaint_through_the_api(api, world):
    c = _new(api, world)
    assert c["status"] == "received" and c["number"].startswith("TS-")
    assert "acknowledge" in c["allowed_transitions"]
    r = api("POST", f"complaints/{c['id']}/transitions/acknowledge", category="repairs", department="engineering")
    assert r.status_code == 200 and r.json["status"] == "acknowledged", r.json
    r = api("POST", f"complaints/{c['id']}/transitions/investigate")
    assert r.status_code == 200, r.json
    r = api("POST", f"complaints/{c['id']}/transitions/reply", investigation="导轨缺油", reply="已保养")
    assert r.status_code == 200 and r.json["reply"] == "已保养", r.json
    r = api("GET", "complaints?status=replied")
    assert [i["id"] for i in r.json["items"]] == [c["id"]]


def test_bad_input_is_422_naming_the_field(api, world):
    r = api("POST", "complaints", unit_id=world["units"]["CX"], complainant_name="陈", summary="")
    assert r.status_code == 422 and "summary" in r.json["error"]["errors"]
    r = api("POST", "complaints", complainant_name="陈", summary="x")
    assert r.status_code == 422 and "estate_id" in r.json["error"]["errors"]
    c = _new(api, world)
    r = api("POST", f"complaints/{c['id']}/transitions/acknowledge", category="weather", department="engineering")
    assert r.status_code == 422 and "category" in r.json["error"]["errors"]
    assert api("GET", f"complaints/{c['id']}").json["status"] == "received"


def test_the_person_complained_about_is_refused_through_the_api(api, world):
    c = _new(api, world, summary="管家态度差", subject_staff_id=world["butler"])
    r = api("POST", f"complaints/{c['id']}/transitions/acknowledge", user="butler_cx", category="service_attitude",
            department="customer_service")
    assert r.status_code in (409, 422) and "someone else" in r.json["error"]["message"], r.json
    assert api("GET", f"complaints/{c['id']}").json["status"] == "received"


def test_staff_of_another_estate_neither_read_nor_change(api, world):
    c = _new(api, world)
    assert api("GET", f"complaints/{c['id']}", user="sup_cy").status_code == 404
    assert api("GET", "complaints", user="sup_cy").json["items"] == []
    r = api("POST", f"complaints/{c['id']}/transitions/acknowledge", user="sup_cy", category="repairs",
            department="engineering")
    assert r.status_code == 404
    r = api("POST", "complaints", user="sup_cy", unit_id=world["units"]["CX"], complainant_name="x", summary="y")
    assert r.status_code in (403, 404, 422) and "unit_id" in str(r.json["error"]), r.json
    assert api("GET", f"complaints/{c['id']}").json["status"] == "received"
    assert len(api("GET", "complaints").json["items"]) == 1  # nothing written


def _login(app, username):
    client = app.test_client()
    page = client.get("/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"', page.text)
    r = client.post("/login", data={"username": username, "password": PASSWORD,
                                    "csrf_token": token.group(1) or token.group(2), "next": ""})
    assert r.status_code == 302
    return client


def test_the_admin_screen_is_scoped_to_ones_estates(app, api, world):
    c = _new(api, world, summary="车库漏水")
    mine = _login(app, "sup_cx")
    assert "车库漏水" in mine.get("/admin/complaints_complaints/").text
    assert mine.get(f"/admin/complaints_complaints/details/?id={c['id']}").status_code == 200
    assert mine.get("/admin/complaints_complaints/new/").status_code == 200
    theirs = _login(app, "sup_cy")
    assert "车库漏水" not in theirs.get("/admin/complaints_complaints/").text
    assert theirs.get(f"/admin/complaints_complaints/details/?id={c['id']}").status_code in (302, 404)


def test_admin_views_name_real_columns():
    for spec in admin_views():
        attrs = set(inspect(spec.model).attrs.keys())
        for name in (*spec.list_columns, *spec.search_fields, *spec.filters, *spec.sensitive_fields):
            assert name in attrs, (spec.name, name)


def test_monthly_statistics_over_the_api(api, world):
    ids = [_new(api, world, summary=s, received_at="2026-03-09T02:00:00+00:00")["id"] for s in ("电梯异响", "车位被占")]
    api("POST", f"complaints/{ids[0]}/transitions/acknowledge", category="repairs", department="engineering")
    api("POST", f"complaints/{ids[1]}/transitions/acknowledge", category="parking", department="security")
    _new(api, world, summary="四月的", received_at="2026-03-31T16:30:00+00:00")  # 1 April 00:30 in Beijing
    r = api("GET", "statistics?year=2026&month=3")
    assert r.status_code == 200, r.json
    assert (r.json["year"], r.json["month"], r.json["total"], r.json["by_estate"]) == (2026, 3, 2, {"CX": 2})
    assert (r.json["by_category"]["repairs"], r.json["by_category"]["parking"]) == (1, 1)
    assert (r.json["by_department"]["engineering"], r.json["by_department"]["security"]) == (1, 1)
    assert api("GET", "statistics?year=2026&month=4").json["total"] == 1
    other = api("GET", "statistics?year=2026&month=3", user="sup_cy").json
    assert other["total"] == 0 and other["by_estate"] == {"CY": 0}
    bad = api("GET", "statistics?year=2026&month=x")
    assert bad.status_code == 422 and "month" in bad.json["error"]["errors"]
    assert api("GET", "statistics?year=2026&month=13").status_code == 422
