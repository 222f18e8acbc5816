"""The job ``visitors.flag_overstays`` (``wuye_visitors/jobs.py``), run with an explicit ``now``."""

from __future__ import annotations

import datetime as dt

from core import as_system
from wuye_visitors import services
from wuye_visitors.jobs import jobs


def test_visitors_inside_too_long_are_flagged_once(session, unit, guard):
    (job,) = jobs()
    visit = services.register_visit(session, guard, {"unit_id": unit.id, "visitor_name": "郑十"})
    gone = services.register_visit(session, guard, {"unit_id": unit.id, "visitor_name": "冯一"})
    services.register_departure(session, guard, gone)
    with as_system(session):
        assert job.func(session, visit.arrived_at + dt.timedelta(hours=11)) == {"flagged": 0}
        later = visit.arrived_at + dt.timedelta(hours=13)
        assert job.func(session, later) == {"flagged": 1}
        assert job.func(session, later + dt.timedelta(hours=1)) == {"flagged": 0}
    assert visit.overstay_flagged_at == later and gone.overstay_flagged_at is None
