"""Arrears ageing and collection rate on known data; late fees with the arrears cap."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from plugins.billing import services as billing

from .helpers import amounts, charge, item, lines_of, run_billing

D = dt.date


@pytest.fixture
def aged(bt):
    s = bt.session
    item(s, bt.estate, "svc", price="0", basis="fixed", category="other", cycle="one_off")
    u1, u2 = bt.units["101"], bt.units["102"]

    def post(unit, fen, due, tag):
        return charge(s, unit, "svc", fen, due=due, tag=tag)

    post(u1, 10000, D(2026, 11, 20), "a")  # 10 days on 2026-11-30
    post(u1, 20000, D(2026, 10, 1), "b")  # 60 days
    post(u1, 30000, D(2026, 1, 1), "c")  # 333 days
    post(u1, 40000, D(2024, 12, 1), "d")  # 729 days
    post(u1, 50000, D(2023, 1, 1), "e")  # 1429 days
    post(u1, 7000, D(2026, 12, 15), "f")  # not yet due
    post(u2, 8000, D(2026, 10, 31), "g")  # exactly 30 days: still 0-30
    post(u2, 9000, D(2026, 10, 30), "h")  # 31 days
    wrong = post(u2, 1234, D(2025, 1, 1), "i")
    billing.reverse_charge(s, bt.finance, wrong, reason="posted twice").posted_on = D(2026, 11, 2)
    billing.record_payment(s, bt.cashier, unit=u1, amount_fen=5000, method="cash", paid_on=D(2026, 11, 1))
    billing.record_payment(s, bt.cashier, unit=u1, amount_fen=1000, method="cash", paid_on=D(2026, 12, 5))
    return bt


def test_aging_buckets_per_estate_and_unit(aged):
    report = billing.aging(aged.session, aged.estate, D(2026, 11, 30))
    assert report["buckets"] == {
        "0-30": 18000,
        "31-90": 29000,
        "91-365": 30000,
        "366-1095": 40000,
        "over_1095": 45000,
    }
    assert report["total_fen"] == 162000 and report["not_due_fen"] == 7000
    assert [u["label"] for u in report["units"]] == ["1-101", "1-102"]
    first = report["units"][0]
    assert first["total_fen"] == 145000 and first["oldest_due_on"] == D(2023, 1, 1)
    one = billing.aging(aged.session, aged.estate, D(2026, 11, 30), unit=aged.units["102"])
    assert one["buckets"]["0-30"] == 8000 and one["buckets"]["31-90"] == 9000 and one["total_fen"] == 17000


def test_aging_as_of_a_later_day_counts_later_payments(aged):
    report = billing.aging(aged.session, aged.estate, D(2026, 12, 31))
    assert report["buckets"]["over_1095"] == 44000
    assert billing.long_term_arrears(aged.session, aged.estate, D(2026, 12, 31))[0]["label"] == "1-101"


def test_collection_rate_by_estate_building_and_collector(bt):
    s = bt.session
    item(s, bt.estate, "pf", price="100.00", basis="per_unit")
    # 101, 102, 201: 10000 each; 103: 21/30 -> 7000; 202 (developer) 10000; billed 47000
    run_billing(s, bt.estate, "2026-11")
    billing.record_payment(
        s, bt.cashier, unit=bt.units["101"], amount_fen=10000, method="cash", paid_on=D(2026, 11, 20)
    )
    billing.record_payment(
        s, bt.cashier2, unit=bt.units["201"], amount_fen=5000, method="wechat", paid_on=D(2026, 11, 25)
    )
    [estate] = billing.collection_rate(s, bt.estate, "2026-11")
    assert (estate["billed_fen"], estate["paid_fen"], estate["rate"]) == (47000, 15000, Decimal("31.91"))
    buildings = {
        r["label"]: (r["billed_fen"], r["paid_fen"], r["rate"])
        for r in billing.collection_rate(s, bt.estate, "2026-11", by="building")
    }
    assert buildings == {"1栋": (27000, 10000, Decimal("37.04")), "2栋": (20000, 5000, Decimal("25.00"))}
    collectors = {
        r["key"]: (r["paid_fen"], r["rate"])
        for r in billing.collection_rate(s, bt.estate, "2026-11", by="collector")
    }
    # 10000 / 47000 = 21.28%, 5000 / 47000 = 10.64%
    assert collectors == {bt.cashier.id: (10000, Decimal("21.28")), bt.cashier2.id: (5000, Decimal("10.64"))}
    [early] = billing.collection_rate(s, bt.estate, "2026-11", as_of=D(2026, 11, 21))
    assert early["paid_fen"] == 10000 and early["rate"] == Decimal("21.28")
    assert all(
        isinstance(r["rate"], Decimal)
        for r in billing.collection_rate(s, bt.estate, "2026-11", by="building")
    )


def test_late_fee_arithmetic():
    assert billing.late_fee_fen(10000, Decimal("0.5"), 30) == 150  # 万分之五 a day for 30 days
    assert billing.late_fee_fen(10000, Decimal("0.5"), 16) == 80
    assert billing.late_fee_fen(333, Decimal("0.5"), 3) == 0  # 0.4995 fen -> 0
    assert billing.late_fee_fen(1000, Decimal("0.5"), 1) == 1  # 0.5 fen -> 1 (half-up)


def test_late_fees_accrue_per_period_and_never_exceed_the_arrears(bt):
    s = bt.session
    item(s, bt.estate, "svc", price="0", basis="fixed", category="other", cycle="one_off")
    unit = bt.units["101"]
    small = charge(s, unit, "svc", 100, due=D(2026, 6, 15), posted=D(2026, 6, 1))
    assert billing.assess_late_fees(s, bt.estate, "2026-06", "10") == {
        "lines": 1,
        "amount_fen": 15,
    }  # 100×1%×15
    for period in ("2026-07", "2026-08", "2026-09", "2026-10"):
        billing.assess_late_fees(s, bt.estate, period, "10")
    fees = [line.amount_fen for line in lines_of(s, unit, origin="late_fee")]
    assert fees == [15, 31, 31, 23]  # June 16-30, July, August, then capped in September
    assert sum(fees) == 100 == small.amount_fen  # never above the arrears amount
    assert billing.assess_late_fees(s, bt.estate, "2026-10", "10")["lines"] == 0
    # a charge posted after its due day accrues only from the day after posting
    late = charge(s, unit, "svc", 10000, due=D(2026, 6, 15), posted=D(2026, 10, 20))
    assert billing.assess_late_fees(s, bt.estate, "2026-10", "10")["amount_fen"] == 10000 * 11 // 100
    assert late.amount_fen == 10000


def test_run_assesses_late_fees_when_configured(bt, wuye, monkeypatch):
    s = bt.session
    monkeypatch.setitem(
        wuye.registry.plugin_settings,
        "billing",
        {"vacancy_discount_percent": 0, "vacancy_after_months": 6, "late_fee_daily_permille": Decimal("0.5")},
    )
    item(s, bt.estate, "pf", price="100.00", basis="per_unit")
    first = run_billing(s, bt.estate, "2026-10", today=D(2026, 10, 1))  # due 2026-10-15, never paid
    assert first["late_fees"] == {"lines": 0, "amount_fen": 0}  # nothing was overdue in September
    summary = run_billing(s, bt.estate, "2026-11", today=D(2026, 11, 1))
    # the November run charges October's late fees: 16 days (10-16..10-31) × 0.5‰ × 100.00 = 0.80 each,
    # on 101, 102, 201 and on the developer's lines of 103 and 202 (not delivered in October)
    assert summary["late_fees"] == {"lines": 5, "amount_fen": 5 * 80}
    assert {line.period for line in lines_of(s, origin="late_fee")} == {"2026-10"}
    assert amounts(s, "2026-11", "pf")["101"] == 10000
