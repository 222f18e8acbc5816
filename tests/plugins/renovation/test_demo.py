"""``wuye demo`` for renovation: applications in several states, made through the real services."""

from __future__ import annotations

import datetime as dt

from core.models import Party, RelationKind, Unit
from core.services.units import add_relation
from plugins.renovation.demo import build_demo
from plugins.renovation.models import RenovationApplication


def test_demo_data_builds_applications_in_several_states(reno, wuye_all):
    s = reno.session
    # the demo wants five owned units; the fixture estate has four, so add one more
    unit = Unit(estate_id=reno.estate.id, building_id=reno.units[0].building_id, floor=9, room_no="901",
                status="occupied")
    s.add(unit)
    s.flush()
    owner = Party(name="陈静")
    s.add(owner)
    s.flush()
    add_relation(s, unit, owner, RelationKind.owner, start_on=dt.date(2024, 1, 1))
    # wuye_demo_data calls build_demo for each estate; here directly, for this estate only
    result = build_demo(s, reno.estate)
    apps = {a.status for a in s.query(RenovationApplication).filter_by(estate_id=reno.estate.id)}
    assert len(result["applications"]) == 5
    assert {"submitted", "engineering_review", "revision_requested", "in_progress", "closed"} == apps
    assert any(i.plugin_name == "renovation" for i in wuye_all.pm.hook.wuye_demo_data.get_hookimpls())
