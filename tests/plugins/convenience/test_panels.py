"""Convenience services on the unit's and the party's page, and orders in the search (plugins/convenience/panels.py)."""

from __future__ import annotations

from core import Panel
from core.web.panels import Link, Money
from plugins.convenience import panels

from .steps import book


def test_unit_panel_lists_recent_orders_with_status_label_amount_and_the_booking_action(published):
    ns = published
    order = book(ns, "P-DRAIN", quantity="2")
    (panel,) = panels.unit_panels(ns.session, ns.cs, ns.units[0])
    assert panel.key == "convenience"
    number, item, status, amount = panel.rows[0]
    assert number == Link(order.number, view="convenience_orders", record_id=order.id)
    assert item.zh == "项目P-DRAIN"
    assert status.zh == "已登记" and status.en == "Registered"
    assert amount == Money(order.amount_fen)
    assert panel.actions == [Panel.action("Book a service", "convenience_orders", unit_id=ns.units[0].id)]
    assert panels.unit_panels(ns.session, ns.cs, ns.units[1])[0].rows == []


def test_party_panel_and_search(published, make_estate, make_staff):
    ns = published
    order = book(ns, "P-DRAIN")
    (panel,) = panels.party_panels(ns.session, ns.cs, ns.owners[0])
    assert [r[0].record_id for r in panel.rows] == [order.id]
    assert panels.party_panels(ns.session, ns.cs, ns.owners[1]) == []
    hits = panels.search(ns.session, ns.cs, order.number)
    assert [(h.title, h.record_id, h.rank) for h in hits] == [(order.number, order.id, 0)]
    assert panels.search(ns.session, ns.cs, "RC-2026") == []
    outsider = make_staff("cs_specialist", estates=[make_estate(units=1)])
    assert panels.search(ns.session, outsider, order.number) == []
    assert panels.unit_panels(ns.session, outsider, ns.units[0])[0].rows == []
