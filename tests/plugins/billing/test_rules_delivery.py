"""Billing's domain rules (issue 16 part 4): the delivery date, deemed delivery, bill-to developer,
prices per month or per cycle. Every amount is worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core import ValidationError, change_unit_status
from core.models import UnitStatus
from plugins.billing import services as billing
from plugins.billing.delivery import collect_by, deemed_delivery
from plugins.billing.jobs import jobs
from plugins.billing.models import ChargeLine

from .helpers import add_unit, amounts, item, lines_of, run_billing

D = dt.date


def at_noon(day: dt.date) -> dt.datetime:
    """Noon in Shanghai on ``day`` (04:00 UTC): the estate's business day is ``day``."""
    return dt.datetime(day.year, day.month, day.day, 4, tzinfo=dt.UTC)


def test_collect_by_is_the_notice_day_a_month_later():
    assert collect_by(D(2026, 10, 10)) == D(2026, 11, 10)
    assert collect_by(D(2026, 1, 31)) == D(2026, 2, 28)  # clamped to the month's end


def test_deemed_delivery_job_starts_fees_from_the_deadline(bt):
    s = bt.session
    unit = add_unit(s, bt.b2, "203", area="100.00", delivered=None)
    change_unit_status(s, unit, UnitStatus.notified, on=D(2026, 10, 10))
    assert (unit.notified_on, unit.delivered_on) == (D(2026, 10, 10), None)
    assert deemed_delivery(s, at_noon(D(2026, 11, 10))) == {"deemed_delivered": 0}  # still its last day
    assert unit.status == UnitStatus.notified
    assert deemed_delivery(s, at_noon(D(2026, 11, 11))) == {"deemed_delivered": 1}
    assert (unit.status, unit.delivered_on) == (UnitStatus.deemed_delivered, D(2026, 11, 10))
    assert deemed_delivery(s, at_noon(D(2026, 11, 12))) == {"deemed_delivered": 0}  # once
    # collected later: the deemed date stays, its fees already run from it
    change_unit_status(s, unit, UnitStatus.delivered, on=D(2026, 11, 20))
    assert unit.delivered_on == D(2026, 11, 10)
    item(s, bt.estate, "pf", price="2.35")
    run_billing(s, bt.estate, "2026-11")
    # the owner pays from 11-10: 21 of November's 30 days of 100 m² × 2.35 = 235.00 × 21/30 = 164.50
    [line] = lines_of(s, unit, run_period="2026-11")
    assert (line.amount_fen, line.payer) == (16450, "owner")


def test_the_job_is_declared_daily():
    found = {job.name: job for job in jobs()}
    assert found["billing.deemed_delivery"].schedule == "daily"
    assert found["billing.deemed_delivery"].func is deemed_delivery


def test_undelivered_units_are_billed_to_the_developer(bt):
    s = bt.session
    item(s, bt.estate, "pf", price="2.35")
    run_billing(s, bt.estate, "2026-10")
    payers = {
        line.unit.room_no: (line.amount_fen, line.payer)
        for line in s.scalars(select(ChargeLine).where(ChargeLine.run_period == "2026-10"))
    }
    # October: 103 (delivered 2026-11-10) and 202 (not delivered) are the developer's, whole month:
    # 103: 100 m² × 2.35 = 235.00; 202: 90 m² × 2.35 = 211.50; owners as usual
    assert payers == {
        "101": (23500, "owner"),
        "102": (21002, "owner"),
        "103": (23500, "developer"),
        "201": (28329, "owner"),
        "202": (21150, "developer"),
    }


def test_developer_billing_can_be_switched_off(bt, wuye, monkeypatch):
    monkeypatch.setitem(wuye.registry.plugin_settings, "billing", {"developer_pays_undelivered": False})
    s = bt.session
    item(s, bt.estate, "pf", price="2.35")
    run_billing(s, bt.estate, "2026-10")
    assert amounts(s, "2026-10", "pf") == {"101": 23500, "102": 21002, "201": 28329}


def test_a_price_per_month_is_multiplied_by_the_cycles_months(bt):
    s = bt.session
    item(s, bt.estate, "qm", price="2.00", cycle="quarterly", price_per="month")
    item(s, bt.estate, "qc", price="2.00", cycle="quarterly")  # per cycle: 2.00 for the quarter
    run_billing(s, bt.estate, "2026-10")
    # per month: 101 pays Q4 = 100 m² × 2.00 × 3 months = 600.00; the developer pays 202's October,
    # one month: 90 × 2.00 = 180.00 (103 too: 100 × 2.00 = 200.00)
    assert amounts(s, "2026-10", "qm") == {"101": 60000, "102": 53622, "201": 72330, "103": 20000, "202": 18000}
    # per cycle: 101 pays 100 × 2.00 = 200.00 for the quarter; 202's October: 180.00 × 31/92 = 60.65
    assert amounts(s, "2026-10", "qc") == {"101": 20000, "102": 17874, "201": 24110, "103": 6739, "202": 6065}
    run_billing(s, bt.estate, "2026-11")
    # 103 delivered 11-10: 52 of Q4's 92 days of 600.00 = 339.13
    assert amounts(s, "2026-11", "qm")["103"] == 33913


def test_price_per_is_validated_and_published(bt):
    s = bt.session
    with pytest.raises(ValidationError) as err:
        item(s, bt.estate, "bad", price="1.00", price_per="week")
    assert err.value.field == "price_per"
    item(s, bt.estate, "qm", price="2.00", cycle="quarterly", price_per="month")
    [row] = [r for r in billing.publication(s, bt.estate, D(2026, 10, 1))["items"] if r["code"] == "qm"]
    assert (row["price_per"], row["price_per_zh"]) == ("month", "每月")


def test_the_api_takes_and_shows_price_per_and_the_late_fee_rate(bt, api_client):
    client = api_client(bt.finance.username)
    r = client.post("/api/v1/billing/fee-items", json={
        "code": "pf_month", "name": "Property fee", "name_zh": "物业费", "category": "property_service",
        "basis": "built_area", "cycle": "quarterly", "price_per": "month", "late_fee_daily_permille": "0.5"})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["price_per"] == "month" and r.get_json()["late_fee_daily_permille"] == "0.500"
    bad = client.post("/api/v1/billing/fee-items", json={
        "code": "pf_week", "name": "x", "category": "other", "price_per": "week"})
    assert bad.status_code == 422 and "price_per" in str(bad.get_json())
