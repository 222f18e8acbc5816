"""Billing on the unit's page and the party's page, and receipts in the search (plugins/billing/panels.py)."""

from __future__ import annotations

import datetime as dt

from core import Panel
from core.models import Party, RelationKind, UnitRelation
from core.web.panels import Flag, Link, Money
from plugins.billing import panels
from plugins.billing import services as billing

from .helpers import charge, item, make_estate, staff


def _owes(bt):
    s, u = bt.session, bt.units["101"]
    item(s, bt.estate, "pm")
    charge(s, u, "pm", 12000, due=dt.date(2026, 10, 1), period="2026-10")
    pay = billing.record_payment(s, bt.cashier, unit=u, amount_fen=5000, method="cash", paid_on=dt.date(2026, 11, 1))
    return u, pay


def test_unit_panel_shows_arrears_open_charges_last_payments_and_the_payment_action(bt):
    u, pay = _owes(bt)
    owed, last = panels.unit_panels(bt.session, bt.cashier, u)
    facts = dict((str(k), v) for k, v in owed.facts)
    assert facts["Arrears"] == Flag(Money(7000), "danger")
    assert str(facts["Arrears"]) == "¥70.00"
    assert facts["Open charges"] == 1
    assert owed.rows[0][0] == Link("2026-10", view="billing_charge_lines", record_id=owed.rows[0][0].record_id)
    assert owed.rows[0][-1] == Money(7000)
    assert owed.actions == [Panel.action("Take a payment", "billing_cashier", unit_id=u.id)]
    assert last.rows[0][0].text == pay.receipt_no and pay.receipt_no.startswith("RC-")
    assert last.rows[0][-1] == Money(5000)


def test_no_payment_action_without_the_permission_and_nothing_without_billing_view(bt):
    u, _pay = _owes(bt)
    owed, _last = panels.unit_panels(bt.session, bt.specialist, u)  # may view, may not take payments
    assert owed.actions == []
    assert panels.unit_panels(bt.session, bt.guard, u) == []


def test_payments_of_another_estate_never_show(bt):
    u, _pay = _owes(bt)
    other_estate, _b = make_estate(bt.session, code="OT", buildings=1)
    outsider = staff(bt.session, "cashier_ot", "cashier", estates=[other_estate])
    assert panels.unit_panels(bt.session, outsider, u)[1].rows == []
    assert panels.search(bt.session, outsider, "RC-") == []


def test_party_panel_totals_the_arrears_of_the_party_units(bt):
    u, _pay = _owes(bt)
    s = bt.session
    owner = Party(name="王业主", phone="13900001234")
    s.add(owner)
    s.flush()
    for unit in (u, bt.units["102"]):
        s.add(UnitRelation(unit_id=unit.id, party_id=owner.id, kind=RelationKind.owner, start_on=dt.date(2025, 1, 1)))
    s.flush()
    (panel,) = panels.party_panels(s, bt.cashier, owner)
    assert dict((str(k), v) for k, v in panel.facts)["Arrears, all units"] == Money(7000)
    assert [row[0].record_id for row in panel.rows] == sorted([u.id, bt.units["102"].id])


def test_search_finds_a_receipt_by_number_prefix(bt):
    _u, pay = _owes(bt)
    hits = panels.search(bt.session, bt.cashier, pay.receipt_no.lower())
    assert [(h.title, h.view, h.record_id, h.rank) for h in hits] == [(pay.receipt_no, "billing_payments", pay.id, 0)]
    assert panels.search(bt.session, bt.cashier, "RN-2026") == []
    assert panels.search(bt.session, bt.guard, pay.receipt_no) == []
