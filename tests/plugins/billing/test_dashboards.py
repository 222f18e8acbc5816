"""Billing's charts equal the billing services' numbers; its to-dos and cards are scoped and actionable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from core.web.dashboard import chart_xlsx
from plugins.billing import services as billing
from plugins.billing.arrears import BUCKETS
from plugins.billing.dashboards import charts, inbox_items, rate_by_category
from plugins.billing.models import DunningAction, DunningCase

from .helpers import item, run_billing

D = dt.date


def by_id(found):
    return {c.id: c for c in found}


def test_collection_charts_equal_the_services(bt):
    s = bt.session
    item(s, bt.estate, "pf", price="100.00", basis="per_unit")
    item(s, bt.estate, "wtr", price="20.00", basis="per_unit", category="water")
    # pf: 101, 102, 201 10000 each, 103 7000, 202 (developer) 10000; water 2000/1400 likewise
    run_billing(s, bt.estate, "2026-11")
    billing.record_payment(s, bt.cashier, unit=bt.units["101"], amount_fen=12000, method="cash", paid_on=D(2026, 11, 20))
    today = D(2026, 11, 30)
    found = by_id(charts(s, bt.gm, today))
    month = found["billing-collection-by-month"]
    assert month.categories[-1] == "2026-11" and len(month.categories) == 12
    [estate] = billing.collection_rate(s, bt.estate, "2026-11", as_of=today)
    billed, paid, rate = (values[-1] for _name, values in month.series)
    assert (billed, paid, rate) == (Decimal(estate["billed_fen"]) / 100, Decimal(estate["paid_fen"]) / 100,
                                    estate["rate"])
    # hand-computed: 47000 + 9400; 10000 + 2000
    assert (estate["billed_fen"], estate["paid_fen"]) == (56400, 12000)
    assert rate == Decimal("21.28")  # 12000 / 56400 = 21.276%
    building = found["billing-collection-by-building"]
    rows = billing.collection_rate(s, bt.estate, "2026-11", by="building", as_of=today)
    assert list(building.series[2][1]) == [r["rate"] for r in rows]
    category = found["billing-collection-by-category"]
    cats = rate_by_category(s, bt.estate, "2026-11", today)
    assert sum(r["billed_fen"] for r in cats) == estate["billed_fen"]  # the categories add up to the estate
    assert sum(r["paid_fen"] for r in cats) == estate["paid_fen"]
    assert {str(c.en) for c in category.categories} == {"Property service fee", "Water"}
    ageing = found["billing-arrears-ageing"]
    report = billing.aging(s, bt.estate, today)
    assert [v * 100 for v in ageing.series[0][1]] == [report["buckets"][b] for b in BUCKETS]
    book = load_workbook(BytesIO(chart_xlsx(month, "BT")))
    sheet = book.active
    assert sheet.cell(2, 4).value == "Collection rate %"
    last = [c.value for c in sheet[sheet.max_row]]
    assert last == ["2026-11", 564.0, 120.0, 21.28]


def test_ageing_chart_equals_the_service_with_reversals_and_payments(bt):
    from plugins.billing.dashboards import charts

    from .helpers import charge

    s = bt.session
    item(s, bt.estate, "pf", price="100.00", basis="per_unit")
    old = charge(s, bt.units["101"], "pf", 30000, due=D(2024, 1, 15))
    charge(s, bt.units["102"], "pf", 20000, due=D(2026, 6, 15))
    charge(s, bt.units["201"], "pf", 10000, due=D(2026, 11, 15))
    gone = charge(s, bt.units["201"], "pf", 7777, due=D(2026, 10, 15))
    billing.reverse_charge(s, bt.finance, gone, reason="wrong unit")
    billing.record_payment(s, bt.cashier, unit=bt.units["101"], amount_fen=5000, method="cash", lines=[old.id],
                           paid_on=D(2026, 11, 20))
    for day in (D(2026, 11, 30), D(2026, 11, 19), D(2027, 3, 1)):
        chart = next(c for c in charts(s, bt.finance, day) if c.id == "billing-arrears-ageing")
        buckets = billing.aging(s, bt.estate, day)["buckets"]
        assert [int(v * 100) for v in chart.series[0][1]] == list(buckets.values())
    assert billing.aging(s, bt.estate, D(2026, 11, 30))["buckets"]["366-1095"] == 25000  # hand-computed: 30000 - 5000


def test_charts_need_the_report_permission_and_stay_in_the_estates(bt, make_estate):
    s = bt.session
    assert charts(s, bt.guard, D(2026, 11, 30)) == []
    other = make_estate("OT", units=1)
    estates = {c.estate_id for c in charts(s, bt.manager, D(2026, 11, 30))}
    assert estates == {bt.estate.id} and other.id not in estates


def test_followups_due_are_to_dos_of_the_specialist(bt, make_estate):
    s = bt.session
    unit = bt.units["101"]
    case = DunningCase(estate_id=bt.estate.id, unit_id=unit.id, opened_on=D(2026, 11, 1), arrears_fen=12345,
                       assigned_role="cs_specialist")
    s.add(case)
    s.flush()
    s.add_all([DunningAction(estate_id=bt.estate.id, case_id=case.id, kind="phone", due_on=D(2026, 11, 10)),
               DunningAction(estate_id=bt.estate.id, case_id=case.id, kind="phone", due_on=D(2026, 12, 20))])
    s.flush()
    found = inbox_items(s, bt.specialist, D(2026, 11, 30))
    assert [(i.kind, i.due_on, i.overdue) for i in found] == [("billing.dunning", D(2026, 11, 10), True)]
    assert "¥123.45" in found[0].label and found[0].url.startswith("/admin/billing_dunning_actions/details/")
    assert inbox_items(s, bt.guard, D(2026, 11, 30)) == []
    stranger = make_estate("XX", units=1)
    from .helpers import staff

    other = staff(s, "spec_x", "cs_specialist", estates=[stranger])
    assert inbox_items(s, other, D(2026, 11, 30)) == []
