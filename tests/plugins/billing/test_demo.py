"""Demo data: a year of bills through the real run, most paid, some behind, a few long-term debtors."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from core import business_date
from core.models import Unit
from plugins.billing import services as billing
from plugins.billing.demo import build_demo, owed_by_unit
from plugins.billing.ledger import unit_balance_fen
from plugins.billing.models import ChargeLine, Payment

from .helpers import add_unit, make_estate


def test_demo_year(seeded, wuye):
    s = seeded
    estate, buildings = make_estate(s, "DM", buildings=3)
    for b in buildings:
        for i in range(20):
            add_unit(s, b, f"{i + 1:03d}", area=f"{80 + i * 3}.{i:02d}", delivered=dt.date(2024, 6, 1 + i))
    impl = [i for i in wuye.pm.hook.wuye_demo_data.get_hookimpls() if i.plugin_name == "billing"]
    assert impl  # billing contributes demo data through wuye_demo_data
    with business_date(s, dt.date(2026, 12, 4)):  # the year of bills ends with the month before
        summary = build_demo(s, estate)
    assert summary["units"] == 60 and summary["behind"] >= 3 and summary["debtors"] >= 1
    periods = s.scalars(
        select(ChargeLine.run_period)
        .where(ChargeLine.estate_id == estate.id, ChargeLine.run_period.isnot(None))
        .distinct()
    )
    assert sorted(periods) == ["2025-12", *[f"2026-{m:02d}" for m in range(1, 12)]]
    assert s.scalar(select(func.count(Payment.id)).where(Payment.estate_id == estate.id)) > 100
    [rate] = billing.collection_rate(s, estate, "2026-06")
    assert 80 <= rate["rate"] < 100  # most pay, not everyone
    report = billing.aging(s, estate, dt.date(2026, 11, 30))
    assert report["buckets"]["31-90"] > 0  # some are months behind
    assert report["buckets"]["366-1095"] + report["buckets"]["over_1095"] > 0  # a few carry old arrears
    shared = s.scalar(
        select(func.count(ChargeLine.id)).where(
            ChargeLine.estate_id == estate.id, ChargeLine.origin == "apportion"
        )
    )
    assert shared == 12 * 60  # the common meter is apportioned every month


# The demo reads every unit's balance in one query a month; it must equal the ledger's own per-unit
# figure (``unit_balance_fen``), or the demo's payments would be for the wrong amounts.
def test_owed_by_unit_matches_the_ledger_for_every_unit(seeded):
    s = seeded
    estate, buildings = make_estate(s, "DB", buildings=2)
    for b in buildings:
        for i in range(15):
            add_unit(s, b, f"{i + 1:03d}", area=f"{85 + i * 4}.{i:02d}", delivered=dt.date(2024, 7, 1 + i))
    build_demo(s, estate)  # a year of bills, payments in full and in part, prepaid and arrears
    units = s.scalars(select(Unit.id).where(Unit.estate_id == estate.id))
    expected = {u: unit_balance_fen(s, u) for u in units}
    owed = owed_by_unit(s, estate)
    assert owed == {u: fen for u, fen in expected.items() if fen}
    assert 0 < len(owed) < len(expected)  # some owe (the last bills, the ones behind), some do not
