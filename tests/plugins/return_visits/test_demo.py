"""``wuye_demo_data``: the estate's rules and visits generated from the other plugins' demo records."""

from __future__ import annotations

from sqlalchemy import func, select

from plugins.return_visits.models import ReturnVisit, SatisfactionRating, VisitRule


def test_demo_data(seeded, wuye, make_estate, make_actor):
    estate = make_estate("DV", units=6)
    make_actor("cs_supervisor", estates=[estate])
    wuye.hook.wuye_demo_data(session=seeded, estate=estate)
    rules = {r.source: r.share_percent for r in seeded.scalars(select(VisitRule).where(VisitRule.estate_id == estate.id))}
    assert rules == {"repairs.order": 30, "complaints.complaint": 100, "convenience.order": 50}
    visits = seeded.scalar(select(func.count(ReturnVisit.id)).where(ReturnVisit.estate_id == estate.id))
    ratings = seeded.scalar(select(func.count(SatisfactionRating.id)).where(SatisfactionRating.estate_id == estate.id))
    assert visits == 3 and ratings == 3  # illustrative visits (the test estate has no closed records): 2 recorded, 1 link
    outcomes = {v.satisfaction.value if v.satisfaction else None: v.outcome.value
                for v in seeded.scalars(select(ReturnVisit).where(ReturnVisit.estate_id == estate.id))}
    # nothing to reopen behind a demo visit: with complaints enabled the unsatisfied owner becomes a complaint
    raised = "complaint_raised" if wuye.is_enabled("complaints") else "escalated"
    assert outcomes == {"very_satisfied": "none", "unsatisfied": raised, None: "none"}
