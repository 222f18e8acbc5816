"""Renovation on the workplace: the pipeline counts applications per state; reviewers get a home card."""

from __future__ import annotations

from plugins.renovation.dashboards import charts, home_cards, pipeline, to_review


def test_pipeline_and_review_card(reno):
    s = reno.session
    reno.drive(reno.apply(reno.units[0]), "engineering_review")
    reno.apply(reno.units[1])  # submitted
    counts = pipeline(s, reno.estate)
    assert counts["engineering_review"] == 1 and counts["submitted"] == 1 and sum(counts.values()) == 2
    [chart] = charts(s, reno.actors["engineer"], reno.today)
    assert sorted(chart.series[0][1]) == [1, 1] and len(chart.categories) == 2  # empty states left out
    assert to_review(s, reno.actors["engineer"]) == 1  # only the one at 工程二审
    assert to_review(s, reno.actors["cs_specialist"]) == 1  # the submitted one, for 初审
    [card] = home_cards(reno.actors["engineer"])
    assert card.value == 1 and "renovation.application" in card.url
    assert home_cards(reno.actors["guard"]) == []
