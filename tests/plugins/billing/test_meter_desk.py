"""Meters on screen and through the API (issue 16 part 3): registering unit and common meters, the
reading sheet of a building saved in one go (one refused reading: nothing written, the meter named),
and the apportionment (公摊) of a common meter with hand-computed shares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.models import Building
from plugins.billing import meter_desk
from plugins.billing import services as billing
from plugins.billing.models import ChargeLine, Meter, MeterReading

from .helpers import add_unit, item

PERIOD = "2026-10"


@pytest.fixture
def meters(bt):
    """Building 1 has three meters in use: W101 (unit 101, dial 10000, at 9990), W102 (unit 102, at 500)
    and the common meter GG1 (at 1000); fee items water_t (3.95 a m³, metered) and shared_t."""
    s = bt.session
    bt.water = item(s, bt.estate, "water_t", price="3.95", basis="metered", category="water", prepaid=False)
    item(s, bt.estate, "shared_t", price="0", basis="fixed", category="shared_utilities", cycle="one_off")
    bt.w101 = billing.create_meter(s, None, estate=bt.estate, code="W101", fee_item_code="water_t",
                                   unit=bt.units["101"], initial_reading="9990", max_value="10000")
    bt.w102 = billing.create_meter(s, None, estate=bt.estate, code="W102", fee_item_code="water_t",
                                   unit=bt.units["102"], initial_reading="500")
    bt.gg1 = billing.create_meter(s, None, estate=bt.estate, code="GG1", fee_item_code="water_t",
                                  building=bt.b1, initial_reading="1000")
    return bt


def _readings(session) -> int:
    return session.scalar(select(func.count(MeterReading.id)))


# --- registering meters --------------------------------------------------------------------------


def test_register_unit_and_common_meters_through_the_api(meters, api_client):
    client = api_client(meters.cashier.username)
    r = client.post("/api/v1/billing/meters", json={"code": "W201", "unit_id": meters.units["201"].id,
                                                    "fee_item_id": meters.water.id, "initial_reading": "12.5",
                                                    "max_value": "100000"})
    assert r.status_code == 201, r.json
    assert (r.json["estate_id"], r.json["unit_id"]) == (meters.estate.id, meters.units["201"].id)
    assert (Decimal(r.json["initial_reading"]), Decimal(r.json["max_value"])) == (Decimal("12.5"), Decimal("100000"))
    r = client.post("/api/v1/billing/meters", json={"code": "GG2", "building_id": meters.b2.id,
                                                    "fee_item_id": meters.water.id})
    assert r.status_code == 201 and r.json["unit_id"] is None and r.json["building_id"] == meters.b2.id
    listed = client.get(f"/api/v1/billing/meters?building_id={meters.b2.id}").json["items"]
    assert [m["code"] for m in listed] == ["GG2"]


def test_register_refuses_bad_meters_naming_the_field(meters, api_client):
    client = api_client(meters.cashier.username)
    before = meters.session.scalar(select(func.count(Meter.id)))
    base = {"fee_item_id": meters.water.id, "unit_id": meters.units["103"].id}
    r = client.post("/api/v1/billing/meters", json={**base, "code": "W101"})  # 101's number, same estate
    assert r.status_code == 409 and r.json["error"]["field"] == "code" and "W101" in r.json["error"]["message"]
    r = client.post("/api/v1/billing/meters", json={**base, "code": "W103", "building_id": meters.b1.id})
    assert r.status_code == 422 and r.json["error"]["field"] == "building_id"
    # a 4-digit dial (capacity 10000) cannot show 99999.9: the clerk typed a digit too many
    r = client.post("/api/v1/billing/meters", json={**base, "code": "W103", "max_value": "10000",
                                                    "initial_reading": "99999.9"})
    assert r.status_code == 422 and r.json["error"]["field"] == "initial_reading"
    r = client.post("/api/v1/billing/meters", json={"code": "GG9", "fee_item_id": meters.water.id})
    assert r.status_code == 422 and r.json["error"]["field"] == "estate_id"
    assert meters.session.scalar(select(func.count(Meter.id))) == before


# --- reading sheets ------------------------------------------------------------------------------


def test_the_sheet_lists_every_meter_of_the_building_with_its_last_reading(meters):
    s = meters.session
    billing.record_reading(s, None, meters.w102, period="2026-09", value="520")
    rows = meter_desk.reading_sheet(s, meters.cashier, meters.b1, PERIOD)
    assert [(r["meter"].code, r["previous_value"]) for r in rows] == [
        ("W101", Decimal("9990")), ("W102", Decimal("520")), ("GG1", Decimal("1000"))]
    assert rows[1]["last"].period == "2026-09" and rows[2]["unit"] is None
    assert meter_desk.reading_sheet(s, meters.cashier, meters.b2, PERIOD) == []


def test_one_bad_reading_writes_nothing_of_the_sheet(meters, api_client):
    client = api_client(meters.cashier.username)
    body = {"building_id": meters.b1.id, "period": PERIOD, "read_on": "2026-10-28", "readings": [
        {"meter_id": meters.w101.id, "value": "9995.5"},
        {"meter_id": meters.w102.id, "value": "499"},  # below the previous 500
        {"meter_id": meters.gg1.id, "value": "1100"}]}
    r = client.post("/api/v1/billing/meters/readings/batch", json=body)
    assert r.status_code == 422, r.json
    assert list(r.json["error"]["errors"]) == ["readings.1.value"]
    assert "meter W102" in r.json["error"]["errors"]["readings.1.value"][0]
    assert _readings(meters.session) == 0
    # the same with the service: the Chinese message names the meter too
    with pytest.raises(ValidationError) as err:
        meter_desk.save_sheet(meters.session, meters.cashier, {**body, "read_on": dt.date(2026, 10, 28)})
    assert err.value.errors["readings.1.value"][0].zh.startswith("表计 W102：")
    assert _readings(meters.session) == 0


def test_a_good_sheet_records_three_readings(meters, api_client):
    client = api_client(meters.cashier.username)
    body = {"building_id": meters.b1.id, "period": PERIOD, "read_on": "2026-10-28", "readings": [
        {"meter_id": meters.w101.id, "value": "5", "rollover": True},  # 10000 - 9990 + 5 = 15
        {"meter_id": meters.w102.id, "value": "512.25"},
        {"meter_id": meters.gg1.id, "value": "1100"}]}
    r = client.post("/api/v1/billing/meters/readings/batch", json=body)
    assert r.status_code == 201, r.json
    assert [(x["value"], x["usage"]) for x in r.json["readings"]] == [
        ("5.00", "15.00"), ("512.25", "12.25"), ("1100.00", "100.00")]
    assert _readings(meters.session) == 3
    # a second sheet for the same period is refused for each meter, naming it; nothing doubles
    r = client.post("/api/v1/billing/meters/readings/batch", json=body)
    assert r.status_code == 422 and set(r.json["error"]["errors"]) == {
        "readings.0.period", "readings.1.period", "readings.2.period"}
    assert _readings(meters.session) == 3
    sheet = client.get(f"/api/v1/billing/meters/readings/sheet?building_id={meters.b1.id}&period={PERIOD}").json
    assert [row["current"]["usage"] for row in sheet["rows"]] == ["15.00", "12.25", "100.00"]


def test_a_meter_of_another_building_is_not_on_the_sheet(meters, api_client):
    client = api_client(meters.cashier.username)
    other = billing.create_meter(meters.session, None, estate=meters.estate, code="W201", fee_item_code="water_t",
                                 unit=meters.units["201"])
    r = client.post("/api/v1/billing/meters/readings/batch", json={
        "building_id": meters.b1.id, "period": PERIOD, "readings": [{"meter_id": other.id, "value": "3"}]})
    assert r.status_code == 422 and "readings.0.meter_id" in r.json["error"]["errors"]
    assert _readings(meters.session) == 0


# --- apportionment -------------------------------------------------------------------------------


@pytest.fixture
def common(meters):
    """Building 3: flats of 100.00, 50.00 and 50.00 m², all delivered, and common meter GG3 read at
    10 m³ for the period: 10 × 3.95 = 39.50 to share."""
    s = meters.session
    b3 = Building(estate_id=meters.estate.id, code="3", name="3栋")
    s.add(b3)
    s.flush()
    meters.b3 = b3
    meters.flats = [add_unit(s, b3, room, area=area) for room, area in
                    (("301", "100.00"), ("302", "50.00"), ("303", "50.00"))]
    meters.gg3 = billing.create_meter(s, None, estate=meters.estate, code="GG3", fee_item_code="water_t", building=b3)
    billing.record_reading(s, None, meters.gg3, period=PERIOD, value="10")
    return meters


def _apportioned(session) -> int:
    return session.scalar(select(func.count(ChargeLine.id)).where(ChargeLine.origin == "apportion"))


def test_apportion_through_the_api_with_hand_computed_shares(common, api_client):
    client = api_client(common.cashier.username)
    url = f"/api/v1/billing/meters/{common.gg3.id}/apportion"
    r = client.post(url, json={"period": PERIOD, "fee_item_code": "shared_t", "post": False})
    assert r.status_code == 200, r.json
    # 3950 fen × 100/200 = 1975; × 50/200 = 987.5 twice: floors sum to 3949, the fen left goes to the
    # first of the tied fractions (lower unit id), 302
    assert r.json["total_fen"] == 3950 and r.json["usage"] == "10.00"
    assert [(p["label"], p["amount_fen"]) for p in r.json["parts"]] == [
        ("3-301", 1975), ("3-302", 988), ("3-303", 987)]
    assert r.json["lines_created"] == 0 and _apportioned(common.session) == 0  # a preview writes nothing
    r = client.post(url, json={"period": PERIOD, "fee_item_code": "shared_t"})
    assert r.status_code == 200 and r.json["lines_created"] == 3 and r.json["posted"] is True
    amounts = sorted(common.session.scalars(select(ChargeLine.amount_fen).where(ChargeLine.origin == "apportion")))
    assert amounts == [987, 988, 1975]
    r = client.post(url, json={"period": PERIOD, "fee_item_code": "shared_t"})
    assert r.json["lines_created"] == 0 and _apportioned(common.session) == 3  # posting twice adds nothing


def test_apportion_refuses_a_unit_meter_and_a_period_without_reading(common, api_client):
    client = api_client(common.cashier.username)
    r = client.post(f"/api/v1/billing/meters/{common.w101.id}/apportion", json={"period": PERIOD})
    assert r.status_code == 422 and r.json["error"]["field"] == "meter_id"
    r = client.post(f"/api/v1/billing/meters/{common.gg3.id}/apportion", json={"period": "2026-11"})
    assert r.status_code == 422 and r.json["error"]["field"] == "period" and "GG3" in r.json["error"]["message"]
    r = client.post(f"/api/v1/billing/meters/{common.gg3.id}/apportion", json={"period": "2026-13"})
    assert r.status_code == 422 and r.json["error"]["field"] == "period"
    assert _apportioned(common.session) == 0


# --- the screens ---------------------------------------------------------------------------------


@pytest.fixture
def screen(meters, wuye):
    from core.web.app import create_app
    from core.web.context import session_stamp

    conn = meters.session.connection()
    app = create_app(wuye, testing=True, session_factory=lambda: Session(
        bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False, info={"wuye": wuye}))
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()

    def login(user):
        with client.session_transaction() as cookie:
            cookie["uid"], cookie["pwv"] = user.id, session_stamp(user)
        return client

    return login


def test_the_sheet_page_saves_all_or_nothing(meters, screen):
    client = screen(meters.cashier)
    page = client.get(f"/admin/billing_meter_sheet/?building_id={meters.b1.id}&period={PERIOD}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert all(f'name="value_{m.id}"' in html for m in (meters.w101, meters.w102, meters.gg1))
    form = {"building_id": meters.b1.id, "period": PERIOD, f"value_{meters.w101.id}": "9999",
            f"value_{meters.w102.id}": "400", f"value_{meters.gg1.id}": "1100"}
    r = client.post("/admin/billing_meter_sheet/save", data=form)
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "W102" in html and 'id="sheet-error"' in html
    assert f'class="sheet-row table-danger" id="meter-{meters.w102.id}"' in html
    assert 'value="9999"' in html  # what was typed stays on the sheet
    assert _readings(meters.session) == 0
    r = client.post("/admin/billing_meter_sheet/save", data={**form, f"value_{meters.w102.id}": "501"})
    assert r.status_code == 302
    assert _readings(meters.session) == 3
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert 'name="value_' not in page  # every meter of the period is read


def test_the_meter_register_and_apportion_pages(common, screen):
    client = screen(common.cashier)
    assert client.get("/admin/billing_meters/").status_code == 200
    assert "GG3" in client.get("/admin/billing_apportion/").get_data(as_text=True)
    page = client.get(f"/admin/billing_apportion/?meter_id={common.gg3.id}&period={PERIOD}")
    assert page.status_code == 200 and "39.50" in page.get_data(as_text=True)
    r = client.post("/admin/billing_apportion/post", data={"meter_id": common.gg3.id, "period": PERIOD,
                                                           "fee_item_code": "shared_t"})
    assert r.status_code == 302 and _apportioned(common.session) == 3
    assert "3" in client.get(r.headers["Location"]).get_data(as_text=True)
    r = client.post("/admin/billing_apportion/post", data={"meter_id": common.w101.id, "period": PERIOD})
    assert r.status_code == 422 and "W101" in r.get_data(as_text=True)


def test_a_meter_reader_without_billing_view_uses_the_sheet(meters, api_client):
    from core import has_permission

    from .helpers import staff

    engineer = staff(meters.session, "engineer1", "engineer", estates=[meters.estate])
    assert not has_permission(meters.session, engineer, "billing.view")
    client = api_client(engineer.username)
    r = client.get(f"/api/v1/billing/meters/readings/sheet?building_id={meters.b1.id}&period={PERIOD}")
    assert r.status_code == 200 and [row["code"] for row in r.json["rows"]] == ["W101", "W102", "GG1"]
    r = client.post("/api/v1/billing/meters/readings/batch", json={
        "building_id": meters.b1.id, "period": PERIOD, "readings": [{"meter_id": meters.gg1.id, "value": "1010"}]})
    assert r.status_code == 201 and r.json["readings"][0]["read_by_id"] == engineer.id
