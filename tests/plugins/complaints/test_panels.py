"""Complaints on the unit's page and in the search (``panels.py``), scoped to the actor's estates."""

from __future__ import annotations

from plugins.complaints.panels import search, unit_panels


def test_the_unit_panel_lists_its_complaints_and_flags_open_ones(session, register, walk, units, supervisor):
    a = register()
    walk(register(summary="已结"), "close_invalid")
    [panel] = unit_panels(session, supervisor, units[0])
    assert panel.key == "complaints" and len(panel.rows) == 2
    assert [v for _label, v in panel.facts] == [2, 1]
    assert panel.actions  # the supervisor may register a complaint
    assert unit_panels(session, supervisor, units[1])[0].rows == []
    assert a.number in str(panel.rows)


def test_staff_of_another_estate_see_nothing(session, register, units, staff, other_estate):
    register()
    other = staff("cs_supervisor", estates=[other_estate])
    assert unit_panels(session, other, units[0])[0].rows == []
    assert search(session, other, "TS-") == []
    assert unit_panels(session, staff("guard", estates=[other_estate]), units[0]) == []


def test_search_finds_a_complaint_by_number(session, register, supervisor):
    c = register()
    [hit] = search(session, supervisor, c.number.lower())
    assert (hit.title, hit.record_id, hit.rank) == (c.number, c.id, 0)
    assert search(session, supervisor, "KL-") == []
