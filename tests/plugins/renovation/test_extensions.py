"""Extensions (装修延期): a request moves the planned end and the worker passes only when approved."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import Conflict, ValidationError
from plugins.renovation import services


def test_extension_moves_the_end_and_the_passes(reno):
    s = reno.session
    app = reno.drive(reno.apply(), "in_progress")
    old_end = app.planned_end
    after_old_end = dt.datetime.combine(old_end + dt.timedelta(days=3), dt.time(4, 0), tzinfo=dt.UTC)
    assert services.valid_passes(s, reno.estate, on=after_old_end) == []
    with pytest.raises(ValidationError) as bad:
        services.request_extension(s, reno.actors["cs_specialist"], app, requested_end=old_end, reason="工期紧")
    assert bad.value.field == "requested_end"
    ext = services.request_extension(s, reno.actors["cs_specialist"], app, requested_end=old_end + dt.timedelta(days=20),
                                     reason="主材延迟到货")
    assert ext.status == "pending" and app.planned_end == old_end
    with pytest.raises(Conflict):  # one pending request at a time
        services.request_extension(s, reno.actors["cs_specialist"], app, requested_end=old_end + dt.timedelta(days=30),
                                   reason="again")
    services.decide_extension(s, reno.actors["office_manager"], ext, approve=True)
    assert ext.status == "approved" and ext.approved_by_id == reno.actors["office_manager"].id
    assert app.planned_end == old_end + dt.timedelta(days=20) and app.original_end == old_end
    assert len(services.valid_passes(s, reno.estate, on=after_old_end)) == 2
    with pytest.raises(Conflict):
        services.decide_extension(s, reno.actors["office_manager"], ext, approve=False, note="twice")


def test_rejected_extension_changes_nothing(reno):
    s = reno.session
    app = reno.drive(reno.apply(), "permit_issued")
    end = app.planned_end
    ext = services.request_extension(s, reno.actors["cs_specialist"], app, requested_end=end + dt.timedelta(days=5),
                                     reason="想慢慢装")
    with pytest.raises(ValidationError):
        services.decide_extension(s, reno.actors["office_manager"], ext, approve=False)
    services.decide_extension(s, reno.actors["office_manager"], ext, approve=False, note="无正当理由")
    assert ext.status == "rejected" and app.planned_end == end
