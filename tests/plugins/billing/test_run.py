"""The billing run: every basis against hand-computed fen, pro rata, cycles, vacancy, reruns and catch-up;
with real commits, a run killed midway completes exactly on rerun."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.errors import PermissionDenied, ValidationError
from plugins.billing import run as _run
from plugins.billing import services as billing
from plugins.billing.models import ChargeLine

from .helpers import add_unit, amounts, committed_estate, item, lines_of, run_billing, run_billing_range


def test_built_area_with_pro_rata_first_month(bt):
    s = bt.session
    item(s, bt.estate, "pf", price="2.35")
    summary = run_billing(s, bt.estate, "2026-11")
    # 100 × 2.35 = 235.00; 89.37 × 2.35 = 210.0195 -> 210.02; 120.55 × 2.35 = 283.2925 -> 283.29;
    # 103 delivered 2026-11-10: 21 of 30 days -> 235.00 × 21/30 = 164.50;
    # 202 not delivered: billed to the developer (开发商), 90.00 × 2.35 = 211.50
    assert amounts(s, "2026-11", "pf") == {"101": 23500, "102": 21002, "103": 16450, "201": 28329, "202": 21150}
    assert summary["lines_created"] == 5 and summary["lines_existing"] == 0
    assert summary["amount_fen"] == 23500 + 21002 + 16450 + 28329 + 21150 == 110431
    assert summary["units"] == 5


def test_interior_area(bt):
    s = bt.session
    item(s, bt.estate, "pf_in", price="1.85", basis="interior_area")
    run_billing(s, bt.estate, "2026-11")
    # 80 × 1.85 = 148.00; 70.15 × 1.85 = 129.7775 -> 129.78; 99.99 × 1.85 = 184.9815 -> 184.98;
    # 103: 148 × 21/30 = 103.60; 202 (developer): 80 × 1.85 = 148.00
    assert amounts(s, "2026-11", "pf_in") == {"101": 14800, "102": 12978, "103": 10360, "201": 18498, "202": 14800}


def test_per_unit_and_half_up_versus_down(bt):
    s = bt.session
    item(s, bt.estate, "tv", price="30.00", basis="per_unit", category="pass_through")
    item(s, bt.estate, "tiny_up", price="0.0250", basis="per_unit", category="other")
    item(s, bt.estate, "tiny_down", price="0.0250", basis="per_unit", category="other", rounding="down")
    run_billing(s, bt.estate, "2026-11")
    assert amounts(s, "2026-11", "tv") == {"101": 3000, "102": 3000, "103": 2100, "201": 3000, "202": 3000}
    # 0.0250 yuan = 2.5 fen: half-up gives 3 (never banker's 2), "down" gives 2
    assert set(amounts(s, "2026-11", "tiny_up").values()) == {3, 2}  # 103: 2.5 × 21/30 = 1.75 -> 2
    assert amounts(s, "2026-11", "tiny_up")["101"] == 3
    assert amounts(s, "2026-11", "tiny_down")["101"] == 2


def test_fixed_quarterly_bills_in_the_first_month_and_pro_rata_for_new_units(bt):
    s = bt.session
    item(s, bt.estate, "q", price="15.50", basis="fixed", category="other", cycle="quarterly")
    run_billing(s, bt.estate, "2026-10")
    # 103 and 202 not delivered in October: the developer pays October's 31 of Q4's 92 days,
    # 1550 × 31/92 = 522.28 -> 522
    assert amounts(s, "2026-10", "q") == {"101": 1550, "102": 1550, "201": 1550, "103": 522, "202": 522}
    run_billing(s, bt.estate, "2026-11")
    # mid-quarter: only 103 (delivered 2026-11-10) starts: 52 of Q4's 92 days -> 1550 × 52/92 = 876.09 -> 876;
    # the developer pays 202's November: 1550 × 30/92 = 505.43 -> 505
    assert amounts(s, "2026-11", "q") == {"103": 876, "202": 505}
    run_billing(s, bt.estate, "2026-12")
    assert amounts(s, "2026-12", "q") == {"202": 522}  # 1550 × 31/92


def test_yearly_item(bt):
    s = bt.session
    item(s, bt.estate, "y", price="300.00", basis="per_unit", category="pass_through", cycle="yearly")
    run_billing(s, bt.estate, "2026-11")
    # 103: 30000 × 52/365 = 4273.97; 202 (developer) November: 30000 × 30/365 = 2465.75
    assert amounts(s, "2026-11", "y") == {"103": 4274, "202": 2466}
    run_billing(s, bt.estate, "2027-01")
    # 202 (developer) January: 30000 × 31/365 = 2547.95
    assert amounts(s, "2027-01", "y") == {"101": 30000, "102": 30000, "103": 30000, "201": 30000, "202": 2548}


def test_per_parking_space_bills_parking_units_only(bt):
    s = bt.session
    add_unit(s, bt.b2, "P1", area="12.50", unit_type="parking")
    item(s, bt.estate, "park", price="60.00", basis="per_parking_space", category="parking_management")
    run_billing(s, bt.estate, "2026-11")
    assert amounts(s, "2026-11", "park") == {"P1": 6000}


def test_unit_types_restrict_an_item(bt):
    s = bt.session
    add_unit(s, bt.b2, "S1", area="50.00", unit_type="shop")
    item(s, bt.estate, "shop_fee", price="4.00", unit_types=["shop"])
    run_billing(s, bt.estate, "2026-11")
    assert amounts(s, "2026-11", "shop_fee") == {"S1": 20000}


def test_metered_flat_and_tiered(bt):
    s = bt.session
    item(s, bt.estate, "water_t", price="3.95", basis="metered", category="water", prepaid=False)
    elec = item(
        s,
        bt.estate,
        "elec_t",
        price="0.5283",
        basis="metered",
        category="electricity",
        since=dt.date(2026, 1, 1),
    )
    billing.set_price(
        s,
        None,
        elec,
        price="0.5283",
        effective_from=dt.date(2026, 6, 1),
        tiers=[(0, 230, "0.5283"), (230, 400, "0.5783"), (400, None, "0.8283")],
    )
    wm = billing.create_meter(
        s,
        None,
        estate=bt.estate,
        code="W101",
        fee_item_code="water_t",
        unit=bt.units["101"],
        initial_reading="100",
    )
    em = billing.create_meter(
        s, None, estate=bt.estate, code="E102", fee_item_code="elec_t", unit=bt.units["102"]
    )
    billing.record_reading(s, None, wm, period="2026-11", value="112.50")
    billing.record_reading(s, None, em, period="2026-11", value="450.50")
    run_billing(s, bt.estate, "2026-11")
    # water: 12.5 m³ × 3.95 = 49.375 -> 49.38
    assert amounts(s, "2026-11", "water_t") == {"101": 4938}
    # electricity: 230 × 0.5283 + 170 × 0.5783 + 50.5 × 0.8283
    #            = 121.509 + 98.311 + 41.82915 = 261.64915 -> 261.65
    assert amounts(s, "2026-11", "elec_t") == {"102": 26165}
    water_line = lines_of(s, bt.units["101"], run_period="2026-11")[0]
    assert water_line.due_on == dt.date(2026, 12, 15)  # postpaid: due the 15th of the next month


def test_vacancy_discount_after_six_months(bt, wuye, monkeypatch):
    s = bt.session
    monkeypatch.setitem(
        wuye.registry.plugin_settings,
        "billing",
        {"vacancy_discount_percent": 50, "vacancy_after_months": 6, "late_fee_daily_permille": 0},
    )
    item(s, bt.estate, "pf", price="2.35")
    billing.record_vacancy(s, bt.units["101"], dt.date(2026, 1, 1))  # 10 months empty: discounted
    billing.record_vacancy(s, bt.units["102"], dt.date(2026, 9, 1))  # 2 months: full price
    run_billing(s, bt.estate, "2026-11")
    got = amounts(s, "2026-11", "pf")
    assert got["101"] == 11750 and got["102"] == 21002


def test_rerun_creates_nothing(bt):
    s = bt.session
    item(s, bt.estate, "pf", price="2.35")
    first = run_billing(s, bt.estate, "2026-11")
    again = run_billing(s, bt.estate, "2026-11")
    assert again["lines_created"] == 0 and again["amount_fen"] == 0
    assert again["lines_existing"] == first["lines_created"] == 5  # 4 owners' lines, 202's developer line
    assert s.scalar(select(func.count(ChargeLine.id)).where(ChargeLine.run_period == "2026-11")) == 5


def test_a_run_killed_after_one_building_completes_on_rerun(bt):
    s = bt.session
    item(s, bt.estate, "pf", price="2.35")
    partial = run_billing(s, bt.estate, "2026-11", buildings=[bt.b1])  # the run "dies" after building 1
    assert partial["lines_created"] == 3
    rest = run_billing(s, bt.estate, "2026-11")
    assert rest["lines_created"] == 2 and rest["lines_existing"] == 3  # 201, and 202 (developer)
    assert partial["amount_fen"] + rest["amount_fen"] == 110431
    assert amounts(s, "2026-11", "pf") == {"101": 23500, "102": 21002, "103": 16450, "201": 28329, "202": 21150}


def test_dry_run_reports_the_same_and_writes_nothing(bt):
    s = bt.session
    item(s, bt.estate, "pf", price="2.35")
    dry = run_billing(s, bt.estate, "2026-11", dry_run=True)
    assert s.scalar(select(func.count(ChargeLine.id))) == 0
    real = run_billing(s, bt.estate, "2026-11")
    for key in ("lines_created", "lines_existing", "amount_fen", "units"):
        assert dry[key] == real[key]


def test_catch_up_bills_missed_periods_once(bt):
    s = bt.session
    item(s, bt.estate, "pf", price="2.35")
    run_billing(s, bt.estate, "2026-09")
    total = run_billing_range(s, bt.estate, "2026-09", "2026-11")
    assert [p["period"] for p in total["periods"]] == ["2026-09", "2026-10", "2026-11"]
    assert total["periods"][0]["lines_created"] == 0  # already billed
    assert len(lines_of(s, bt.units["101"])) == 3
    # October: 3 delivered units + 103 and 202 billed to the developer; November: 4 + 202's developer line
    assert total["lines_created"] == 5 + 5


def test_price_versions_follow_the_period(bt):
    s = bt.session
    pf = item(s, bt.estate, "pf", price="2.00")
    billing.set_price(s, None, pf, price="2.35", effective_from=dt.date(2026, 11, 1))
    run_billing_range(s, bt.estate, "2026-10", "2026-11")
    assert amounts(s, "2026-10", "pf")["101"] == 20000
    assert amounts(s, "2026-11", "pf")["101"] == 23500


def test_missing_price_names_item_and_period_and_writes_nothing(bt):
    s = bt.session
    item(s, bt.estate, "pf", price="2.35")
    item(s, bt.estate, "later", price="1.00", since=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError) as err:
        run_billing(s, bt.estate, "2026-11")
    assert "later" in err.value.message and "2026-11" in err.value.message
    with pytest.raises(ValidationError):
        run_billing_range(s, bt.estate, "2026-10", "2027-01")
    assert s.scalar(select(func.count(ChargeLine.id))) == 0


@pytest.mark.parametrize("bad", ["2026-13", "26-11", "2026/11", "", "2026-1", None])
def test_bad_period_is_refused_naming_period(bt, bad):
    s = bt.session
    item(s, bt.estate, "pf", price="2.35")
    with pytest.raises(ValidationError) as err:
        run_billing(s, bt.estate, bad)
    assert err.value.field == "period"
    assert s.scalar(select(func.count(ChargeLine.id))) == 0


def test_range_end_before_start_is_refused(bt):
    with pytest.raises(ValidationError) as err:
        run_billing_range(bt.session, bt.estate, "2026-11", "2026-09")
    assert err.value.field == "to_period"


def test_run_needs_permission_when_an_actor_runs_it(bt):
    item(bt.session, bt.estate, "pf", price="2.35")
    with pytest.raises(PermissionDenied):
        run_billing(bt.session, bt.estate, "2026-11", actor=bt.guard)
    assert run_billing(bt.session, bt.estate, "2026-11", actor=bt.cashier)["lines_created"] == 5


def test_prepaid_balance_pays_new_lines_after_the_run(bt):
    s = bt.session
    item(s, bt.estate, "pf", price="2.35")
    unit = bt.units["101"]
    pay = billing.record_payment(s, bt.cashier, unit=unit, amount_fen=30000, method="cash")
    assert pay.to_prepaid_fen == 30000 and billing.prepaid_balance_fen(s, unit) == 30000
    summary = run_billing(s, bt.estate, "2026-11")
    assert summary["prepaid_applied"] == {"accounts": 1, "amount_fen": 23500}
    assert billing.prepaid_balance_fen(s, unit) == 6500
    assert billing.unit_balance_fen(s, unit.id) == 0


# --- real commits: a run killed midway completes on rerun -----------------------------------------


class Killed(Exception):
    pass


def test_run_killed_after_the_first_building_completes_exactly_on_rerun(committed):
    wuye = committed
    ids = committed_estate(wuye)

    def die_after_first_building(building, period):
        raise Killed(f"power cut after building {building.code}")

    with wuye.sessions() as s, pytest.raises(Killed):
        _run.run_billing(s, ids["estate"], "2026-11", progress=die_after_first_building)
    with wuye.sessions() as s:  # building 1 was committed before the "crash"; building 2 was not
        assert s.scalar(select(func.count(ChargeLine.id))) == 2
    with wuye.sessions() as s:
        rest = _run.run_billing(s, ids["estate"], "2026-11")
    assert rest["lines_created"] == 1 and rest["lines_existing"] == 2
    with wuye.sessions() as s:
        total = s.scalar(select(func.sum(ChargeLine.amount_fen)).where(ChargeLine.run_period == "2026-11"))
        assert total == 23500 + 21002 + 28329
        again = _run.run_billing(s, ids["estate"], "2026-11")
        assert again["lines_created"] == 0 and again["lines_existing"] == 3
