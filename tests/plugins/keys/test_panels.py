"""Keys on the unit's and the party's page, and loans in the search (plugins/keys/panels.py)."""

from __future__ import annotations

import datetime as dt

from core import Panel, utcnow
from core.web.panels import Flag, Link
from plugins.keys import panels


def test_unit_panel_shows_key_sets_where_they_are_and_open_loans_overdue_in_red(session, units, make_key, lend,
                                                                                custodian):
    ks = make_key(0)
    loan = lend(session, ks)
    (panel,) = panels.unit_panels(session, custodian, units[0])
    assert panel.key == "keys"
    assert panel.rows[0][0] == Link(ks.tag_no, view="keys_key_sets", record_id=ks.id)
    assert panel.rows[1][0] == Link(loan.number, view="keys_loans", record_id=loan.id)
    assert panel.rows[1][3] == Flag(panel.rows[1][3].text, "warning")  # lent, not yet due
    facts = dict((str(k), v) for k, v in panel.facts)
    assert facts["Key sets"] == 1 and facts["Out on loan"] == 1 and "Overdue" not in facts
    assert panel.actions == [Panel.action("Lend a key", "keys_loans", key_set_id=ks.id)]
    loan.expected_return_at = utcnow() - dt.timedelta(hours=1)
    session.flush()
    (panel,) = panels.unit_panels(session, custodian, units[0])
    assert panel.rows[1][0].level == "danger" and panel.rows[1][3].level == "danger"
    assert str(dict((str(k), v) for k, v in panel.facts)["Overdue"]) == "1"


def test_no_panel_without_keys_view_and_no_key_of_another_estate(session, units, make_key, outsider, staff,
                                                                make_estate):
    make_key(0)
    assert panels.unit_panels(session, outsider, units[0]) == []
    other = staff("key_custodian", estates=[make_estate("KX", units=1)])
    (panel,) = panels.unit_panels(session, other, units[0])
    assert panel.rows == [] and panel.actions == []


def test_search_finds_a_loan_by_number(session, make_key, lend, custodian, outsider):
    loan = lend(session, make_key(0))
    hits = panels.search(session, custodian, loan.number.lower())
    assert [(h.title, h.view, h.record_id, h.rank) for h in hits] == [(loan.number, "keys_loans", loan.id, 0)]
    assert panels.search(session, outsider, loan.number) == []
    assert panels.search(session, custodian, "CV-") == []
