"""Return visits read closed complaints and reopen an unsatisfied one (``visits.py``)."""

from __future__ import annotations

import datetime as dt

import pytest

from core import NotFound
from plugins.complaints import services
from plugins.complaints.visits import sources


def test_closed_between_lists_closed_complaints_of_the_period(session, register, walk, owner, clerk, supervisor):
    a = walk(register(), "acknowledge", "investigate", "reply", "verify", "close")
    b = walk(register(summary="另一件"), "acknowledge", "investigate", "reply", "verify", "close")
    walk(register(summary="无效"), "close_invalid")
    a.closed_at = dt.datetime(2026, 3, 2, 3, tzinfo=dt.UTC)
    b.closed_at = dt.datetime(2026, 3, 5, 3, tzinfo=dt.UTC)
    services.assign_complaint(session, supervisor, b, clerk)
    session.flush()
    rows = services.closed_between(session, dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 3, 5, tzinfo=dt.UTC))
    assert [r["record_id"] for r in rows] == [a.id]
    assert rows[0] | {} == {"record_id": a.id, "estate_id": a.estate_id, "unit_id": a.unit_id, "party_id": owner.id,
                            "phone": "13812345678", "closed_at": a.closed_at, "summary": f"{a.number} 楼道灯不亮",
                            "handled_by_id": clerk.id}
    later = services.closed_between(session, dt.datetime(2026, 3, 5, tzinfo=dt.UTC), dt.datetime(2026, 3, 6, tzinfo=dt.UTC))
    assert [(r["record_id"], r["handled_by_id"]) for r in later] == [(b.id, clerk.id)]


def test_an_unsatisfied_visit_reopens_the_complaint(session, register, walk, supervisor):
    c = walk(register(), "acknowledge", "investigate", "reply", "verify", "close")
    services.reopen(session, c.id, supervisor, "回访不满意：灯又坏了")
    assert c.status == "investigating"
    with pytest.raises(NotFound):
        services.reopen(session, 99_999_999, supervisor, "x")


def test_the_source_declared_to_return_visits():
    [src] = sources()
    assert (src["source"], src["record_table"], src["label_zh"]) == ("complaints.complaint", "complaints_complaints",
                                                                     "投诉")
    assert callable(src["closed_between"]) and callable(src["reopen"])


def test_return_visits_sees_the_source_when_enabled(wuye):
    if "return_visits" not in wuye.order:
        pytest.skip("return_visits is not enabled in this instance")
    found = {item["source"]: (plugin, item) for plugin, items in wuye.call_each("wuye_return_visit_sources")
             for item in items or ()}
    plugin, item = found["complaints.complaint"]
    assert plugin == "complaints" and item["reopen"] is services.reopen
    assert item["closed_between"] is services.closed_between
