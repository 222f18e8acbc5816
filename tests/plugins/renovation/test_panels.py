"""Renovation on the unit's and the party's page, and applications in the search (plugins/renovation/panels.py)."""

from __future__ import annotations

from core import Panel, has_permission
from core.web.panels import Flag, Link
from plugins.renovation import panels


def test_unit_panel_lists_the_application_with_its_status_label_and_the_register_action(reno):
    app = reno.apply()
    cs = reno.actors["cs_specialist"]
    (panel,) = panels.unit_panels(reno.session, cs, reno.units[0])
    assert panel.key == "renovation"
    row = panel.rows[0]
    assert row[0] == Link(app.number, view="renovation_applications", record_id=app.id)
    assert isinstance(row[2], Flag)
    assert row[2].text.zh not in ("", app.status)  # the state's Chinese label, not the raw code
    assert dict((str(k), str(v)) for k, v in panel.facts)["Renovating now"] == "Yes"
    assert panel.actions == [Panel.action("Register a renovation", "renovation_applications", unit_id=reno.units[0].id)]
    # another unit has nothing
    (other,) = panels.unit_panels(reno.session, cs, reno.units[2])
    assert other.rows == [] and str(other.empty) == "No renovation applications."


def test_no_panel_without_renovation_view_and_the_party_panel_lists_what_they_applied_for(reno, make_actor):
    app = reno.apply()
    finance = make_actor("finance_dept", estates=[reno.estate])
    assert not has_permission(reno.session, finance, "renovation.view")
    assert panels.unit_panels(reno.session, finance, reno.units[0]) == []
    (panel,) = panels.party_panels(reno.session, reno.actors["cs_specialist"], reno.owner)
    assert [r[0].record_id for r in panel.rows] == [app.id]
    assert panels.party_panels(reno.session, reno.actors["cs_specialist"], reno.tenant) == []


def test_search_finds_an_application_by_number_only_in_the_actors_estates(reno, make_estate, make_actor):
    app = reno.apply()
    cs = reno.actors["cs_specialist"]
    hits = panels.search(reno.session, cs, app.number.lower())
    assert [(h.title, h.view, h.record_id, h.rank) for h in hits] == [(app.number, "renovation_applications", app.id, 0)]
    assert panels.search(reno.session, cs, "KL-") == []
    outsider = make_actor("cs_specialist", estates=[make_estate("ZZ", units=1)])
    assert panels.search(reno.session, outsider, app.number) == []
    assert panels.unit_panels(reno.session, outsider, reno.units[0])[0].rows == []


def test_search_finds_a_permit_by_its_own_zx_number_not_by_the_repairs_prefix(reno):
    app = reno.drive(reno.apply(), "permit_issued")
    assert app.permit_no.startswith("ZX-")
    cs = reno.actors["cs_specialist"]
    assert [h.record_id for h in panels.search(reno.session, cs, app.permit_no)] == [app.id]
    assert panels.search(reno.session, cs, "RP-") == []  # RP- is the repair orders' prefix
