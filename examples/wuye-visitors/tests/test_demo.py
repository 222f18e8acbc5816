"""Demo data (``wuye_visitors/demo.py``)."""

from __future__ import annotations

from wuye_visitors.demo import build_demo
from wuye_visitors.models import Visit


def test_demo_registers_visits_as_the_system(seeded, estate):
    assert build_demo(seeded, estate) == {"visits": 3}
    visits = seeded.query(Visit).filter(Visit.estate_id == estate.id).order_by(Visit.id).all()
    assert [v.status for v in visits] == ["left", "inside", "inside"]
    assert all(v.registered_by_id is None for v in visits)
