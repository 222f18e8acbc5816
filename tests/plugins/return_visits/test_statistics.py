"""Visit rates and satisfaction per person and per estate, against hand-counted cases."""

from __future__ import annotations

import datetime as dt

from plugins.return_visits import services

from .conftest import UTC

T0 = dt.datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # Monday
NOW = dt.datetime(2026, 3, 20, 2, 0, tzinfo=UTC)


def test_rates_and_satisfaction_hand_counted(seeded, make_visit, visitor, supervisor, make_actor, estate,
                                             other_estate):
    fixer_a, fixer_b = visitor, supervisor  # who handled the records (appraised)
    # five visits due in the week of 2 March: fixer A handled three, B two
    a1, a2, a3 = (make_visit(T0 + dt.timedelta(hours=h), handled_by_id=fixer_a.id) for h in (1, 2, 3))
    b1, b2 = (make_visit(T0 + dt.timedelta(hours=h), handled_by_id=fixer_b.id) for h in (4, 5))
    services.record_visit(seeded, visitor, a1, "very_satisfied", "", None, NOW)  # 5
    services.record_visit(seeded, visitor, a2, "neutral", "", None, NOW)  # 3
    services.record_unreachable(seeded, visitor, a3, NOW)  # still scheduled: due, not done
    services.record_visit(seeded, visitor, b1, "unsatisfied", "", None, NOW)  # 2
    services.cancel_visit(seeded, supervisor, b2, "业主不需要回访")  # leaves the rate
    # and one link rating of B's work: satisfied (4)
    token = services.make_token(seeded, source="repairs.order", record_id=1, estate_id=estate.id,
                                handled_by_id=fixer_b.id, now=NOW, secret="s")
    services.rate_by_token(seeded, token, "satisfied", now=NOW, secret="s")

    gm = make_actor("general_manager", estates=[estate, other_estate])
    out = services.satisfaction_stats(seeded, gm, T0, T0 + dt.timedelta(days=30))
    assert out["by_person"][fixer_a.id] == {"due": 3, "done": 2, "visit_rate": 66.7, "ratings": 2,
                                            "average": 4.0, "satisfied_percent": 50.0}
    assert out["by_person"][fixer_b.id] == {"due": 1, "done": 1, "visit_rate": 100.0, "ratings": 2,
                                            "average": 3.0, "satisfied_percent": 50.0}
    assert out["by_estate"][estate.id] == out["total"] == {"due": 4, "done": 3, "visit_rate": 75.0, "ratings": 4,
                                                           "average": 3.5, "satisfied_percent": 50.0}
    assert other_estate.id not in out["by_estate"]


def test_staff_see_only_their_estates(seeded, make_visit, visitor, outsider):
    visit = make_visit(T0, handled_by_id=visitor.id)
    services.record_visit(seeded, visitor, visit, "satisfied", "", None, NOW)
    theirs = services.satisfaction_stats(seeded, outsider, T0, T0 + dt.timedelta(days=30))
    assert theirs["total"]["due"] == 0 and theirs["by_estate"] == {}
    ours = services.satisfaction_stats(seeded, visitor, T0, T0 + dt.timedelta(days=30))
    assert ours["total"]["due"] == 1 and ours["total"]["ratings"] == 1
