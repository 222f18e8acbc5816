"""Convenience revenue by month equals the profitability review's sums."""

from __future__ import annotations

import datetime as dt

from plugins.convenience.dashboards import charts, months_to
from plugins.convenience.reports import profitability


def test_months_run_back_a_year():
    assert months_to(dt.date(2026, 2, 10))[:2] == ["2025-03", "2025-04"]
    assert months_to(dt.date(2026, 2, 10))[-1] == "2026-02" and len(months_to(dt.date(2026, 2, 10))) == 12


def test_revenue_chart_equals_profitability(seeded, make_estate, make_actor):
    estate = make_estate("CV", units=1)
    manager = make_actor("office_manager", estates=[estate])
    today = dt.date(2026, 11, 30)
    [chart] = [c for c in charts(seeded, manager, today) if c.estate_id == estate.id]
    assert chart.categories[-1] == "2026-11"
    expected = sum(r["revenue_fen"] for r in profitability(seeded, manager, estate, "2026-11")) / 100
    assert chart.series[0][1][-1] == round(expected, 2)
    assert charts(seeded, make_actor("guard", estates=[estate]), today) == []


def test_dispatchers_see_orders_to_dispatch(seeded, make_estate, make_actor):
    from plugins.convenience.reports import home_cards

    estate = make_estate("CD", units=1)
    dispatcher = make_actor("cs_supervisor", estates=[estate])
    cards = {c.title: c for c in home_cards(dispatcher)}
    assert cards["Service orders to dispatch"].value == 0
    assert cards["Service orders to dispatch"].url == "/admin/inbox/?kind=transition:convenience.order"
    assert "Service orders to dispatch" not in {c.title for c in home_cards(make_actor("guard", estates=[estate]))}
