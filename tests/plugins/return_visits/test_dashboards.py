"""The workplace: visits due today or overdue in the inbox of customer service (own estate only),
and the visit-rate chart per estate."""

from __future__ import annotations

import datetime as dt

from plugins.return_visits import services
from plugins.return_visits.dashboards import charts, inbox_items

from .conftest import UTC


def test_due_visits_are_to_dos_of_their_estate_only(seeded, make_visit, visitor, outsider):
    due_soon = make_visit(dt.datetime(2026, 3, 4, 2, 0, tzinfo=UTC))  # Wed 10:00 Shanghai: due Thu 10:00
    later = make_visit(dt.datetime(2026, 3, 6, 2, 0, tzinfo=UTC))  # due Mon 9 March
    done = make_visit(dt.datetime(2026, 3, 4, 3, 0, tzinfo=UTC))
    services.record_visit(seeded, visitor, done, "satisfied", "", None, dt.datetime(2026, 3, 4, 6, 0, tzinfo=UTC))
    items = inbox_items(seeded, visitor, dt.date(2026, 3, 5))
    assert [i.record_id for i in items] == [due_soon.id]
    assert items[0].kind == "return_visits.due" and items[0].due_at == dt.datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
    assert later.id not in [i.record_id for i in items]
    assert inbox_items(seeded, outsider, dt.date(2026, 3, 5)) == []


def test_the_chart_shows_the_estates_rates(seeded, make_visit, visitor, estate):
    visit = make_visit(dt.datetime(2026, 3, 4, 2, 0, tzinfo=UTC), handled_by_id=visitor.id)
    services.record_visit(seeded, visitor, visit, "very_satisfied", "", None, dt.datetime(2026, 3, 5, 1, 0, tzinfo=UTC))
    mine = [c for c in charts(seeded, visitor, dt.date(2026, 3, 10)) if c.estate_id == estate.id]
    assert len(mine) == 1 and mine[0].series[0][1] == (100.0, 100.0)
