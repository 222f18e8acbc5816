"""Collection rate per collector's zone and per fee category, against the 95% target (issue 16 part 4).
Amounts worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core import PermissionDenied
from plugins.billing import services as billing
from plugins.billing.zones import assign_zone, zone_collection_rate

from .helpers import item, run_billing

D = dt.date


@pytest.fixture
def zoned(bt):
    """November billed: property 100.00 and water 20.00 per unit (103: 21/30 -> 70.00 and 14.00;
    202 not delivered: the developer's 100.00 and 20.00). Building 1 is cashier1's zone, building 2
    cashier2's."""
    s = bt.session
    item(s, bt.estate, "pf", price="100.00", basis="per_unit")
    item(s, bt.estate, "wtr", price="20.00", basis="per_unit", category="water")
    run_billing(s, bt.estate, "2026-11")
    assign_zone(s, bt.manager, building=bt.b1, collector=bt.cashier)
    assign_zone(s, bt.manager, building=bt.b2, collector=bt.cashier2)
    # 101 pays everything (120.00); 102 pays 100.00 (both lines fall due 11-15: the property line, billed
    # first, takes it); 201 pays 120.00; 202 (the developer) nothing
    for room, fen in (("101", 12000), ("102", 10000), ("201", 12000)):
        billing.record_payment(s, bt.cashier, unit=bt.units[room], amount_fen=fen, method="cash",
                               paid_on=D(2026, 11, 20))
    return bt


def rows_by(rows):
    return {(r["collector"], r["category"]): (r["billed_fen"], r["paid_fen"], r["rate"], r["met"]) for r in rows}


def test_rate_per_zone_and_category_against_the_target(zoned):
    rows = rows_by(zone_collection_rate(zoned.session, zoned.estate, "2026-11"))
    c1, c2 = str(zoned.cashier), str(zoned.cashier2)
    # zone 1 (101, 102, 103): property billed 100 + 100 + 70 = 270.00, paid 100 + 100 = 200.00 -> 74.07%
    #                          water billed 20 + 20 + 14 = 54.00, paid 20.00 -> 37.04%; total 324.00 / 220.00 -> 67.90%
    assert rows[(c1, "property_service")] == (27000, 20000, Decimal("74.07"), False)
    assert rows[(c1, "water")] == (5400, 2000, Decimal("37.04"), False)
    assert rows[(c1, None)] == (32400, 22000, Decimal("67.90"), False)
    # zone 2 (201 and the developer's 202): property 200.00 / 100.00 -> 50%; water 40.00 / 20.00 -> 50%
    assert rows[(c2, None)] == (24000, 12000, Decimal("50.00"), False)
    # against a 50% target zone 2 meets it
    met = rows_by(zone_collection_rate(zoned.session, zoned.estate, "2026-11", target=50))
    assert met[(c2, None)][3] is True and met[(c1, "water")][3] is False
    assert {r["target"] for r in zone_collection_rate(zoned.session, zoned.estate, "2026-11")} == {95}


def test_payments_after_as_of_do_not_count_and_buildings_can_move(zoned):
    s = zoned.session
    early = rows_by(zone_collection_rate(s, zoned.estate, "2026-11", as_of=D(2026, 11, 19)))
    assert early[(str(zoned.cashier), None)][1] == 0
    assign_zone(s, zoned.manager, building=zoned.b2, collector=zoned.cashier)  # one zone for both buildings
    rows = rows_by(zone_collection_rate(s, zoned.estate, "2026-11"))
    # 324.00 + 240.00 = 564.00 billed, 220.00 + 120.00 = 340.00 paid -> 60.28%
    assert rows[(str(zoned.cashier), None)] == (56400, 34000, Decimal("60.28"), False)
    assert (str(zoned.cashier2), None) not in rows


def test_unzoned_buildings_and_permissions(bt):
    s = bt.session
    item(s, bt.estate, "pf", price="100.00", basis="per_unit")
    run_billing(s, bt.estate, "2026-11")
    rows = rows_by(zone_collection_rate(s, bt.estate, "2026-11"))
    # nobody's zone yet: 100 + 100 + 70 + 100 + 100 (developer) = 470.00 under 未分配
    assert rows[("未分配", None)] == (47000, 0, Decimal("0.00"), False)
    with pytest.raises(PermissionDenied):
        assign_zone(s, bt.guard, building=bt.b1, collector=bt.cashier)


def test_the_api_reports_and_assigns(zoned, api_client):
    client = api_client(zoned.manager.username)
    got = client.get(f"/api/v1/billing/collection-zones/report?estate_id={zoned.estate.id}&period=2026-11")
    assert got.status_code == 200, got.get_json()
    total = [r for r in got.get_json()["rows"] if r["collector_id"] == zoned.cashier.id and r["category"] is None]
    assert total[0]["rate"] == "67.90" and total[0]["target"] == 95
    moved = client.post("/api/v1/billing/collection-zones",
                        json={"building_id": zoned.b2.id, "collector_id": zoned.cashier.id})
    assert moved.status_code == 201 and moved.get_json()["collector_id"] == zoned.cashier.id
    bad = client.post("/api/v1/billing/collection-zones", json={"building_id": "x", "collector_id": 1})
    assert bad.status_code == 422
    assert "building_id" in str(bad.get_json())


def test_the_zones_screen_lists_and_assigns(zoned, wuye):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from core.web.app import create_app
    from core.web.context import session_stamp
    from plugins.billing.models import CollectionZone

    conn = zoned.session.connection()
    app = create_app(wuye, testing=True, session_factory=lambda: Session(
        bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False, info={"wuye": wuye}))
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["uid"], cookie["pwv"] = zoned.manager.id, session_stamp(zoned.manager)
    page = client.get("/admin/billing_collection_zones/")
    assert page.status_code == 200, page.get_data(as_text=True)[:2000]
    text = page.get_data(as_text=True)
    assert "收费片区" in text and "收费责任人" in text
    r = client.post("/admin/billing_collection_zones/new/",
                    data={"building_id": zoned.b2.id, "collector_id": zoned.cashier.id})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    zone = zoned.session.scalars(select(CollectionZone).where(CollectionZone.building_id == zoned.b2.id)).one()
    zoned.session.refresh(zone)
    assert zone.collector_id == zoned.cashier.id
