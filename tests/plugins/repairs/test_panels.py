"""The unit page's repairs panel and the search by RP- number, scoped to the reader's estates."""

from __future__ import annotations

from plugins.repairs.panels import search, unit_panels


def test_unit_panel_lists_the_units_orders(rp):
    o = rp.order()
    rp.order(unit=rp.units[1])
    [panel] = unit_panels(rp.session, rp.clerk, rp.units[0])
    assert [str(row[0]) for row in panel.rows] == [str(panel.rows[0][0])] and len(panel.rows) == 1
    assert o.number in str(panel.rows[0][0])
    assert panel.facts[0][1] == 1
    assert unit_panels(rp.session, rp.clerk_b, rp.units[0])[0].rows == []  # another estate's staff see none


def test_search_by_number_is_scoped(rp):
    o = rp.order()
    hits = search(rp.session, rp.clerk, o.number.lower())
    assert [h.record_id for h in hits] == [o.id] and hits[0].rank == 0
    assert search(rp.session, rp.clerk_b, o.number) == []
    assert search(rp.session, rp.clerk, "水管") == []


def test_the_dashboard_chart_counts_orders_per_technician_in_the_estate(rp):
    import datetime as dt

    from plugins.repairs.dashboards import charts

    o = rp.to_in_progress(rp.order())
    rp.order(category_id=None)
    today = o.received_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    [chart] = [c for c in charts(rp.session, rp.sup, today) if c.estate_id == rp.a.id]
    rows = {str(r[0]): r[1:] for r in chart.rows()}
    assert rows[str(rp.t1)] == [1, 1] and len(rows) == 2
    assert [c for c in charts(rp.session, rp.clerk_b, today) if c.estate_id == rp.a.id] == []
