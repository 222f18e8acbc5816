"""Demo data (``plugins/help_requests/demo.py``): a morning's requests go through the services."""

from __future__ import annotations

from sqlalchemy import select

from plugins.help_requests.demo import build_demo
from plugins.help_requests.models import HelpRequest, StandardAnswer


def test_demo_requests_and_the_estates_own_answer(seeded, estate):
    assert build_demo(seeded, estate) == {"requests": 3}
    requests = seeded.scalars(select(HelpRequest).where(HelpRequest.estate_id == estate.id)
                              .order_by(HelpRequest.id)).all()
    assert [(r.category, r.status) for r in requests] == [
        ("lift_entrapment", "resolved"), ("locked_out", "responding"), ("written_inquiry", "received")]
    assert requests[0].alerted_at is not None
    assert seeded.scalar(select(StandardAnswer.question).where(StandardAnswer.estate_id == estate.id)) == "访客车辆怎么进小区？"
