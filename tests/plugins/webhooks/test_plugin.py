"""Tests of the webhooks plugin: it boots, and its workflow takes a record from open to done."""

from __future__ import annotations

import datetime as dt

import pytest

from core import PermissionDenied, ValidationError, WorkflowError, allowed_transitions, apply
from core.testing import boot
from plugins.webhooks import services
from plugins.webhooks.demo import build_demo
from plugins.webhooks.jobs import jobs
from plugins.webhooks.models import WebhooksRecord


def test_the_plugin_boots_alone_and_registers_its_parts():
    wuye = boot(["webhooks"])
    assert wuye.registry.table_owner["webhooks_records"] == "webhooks"
    assert {"webhooks.view", "webhooks.manage"} <= set(wuye.registry.permissions)
    assert "webhooks.record" in wuye.registry.workflows
    assert "webhooks.remind_open" in wuye.registry.jobs


@pytest.fixture
def estate(make_estate):
    return make_estate()


@pytest.fixture
def supervisor(make_actor, estate):
    """A customer-service supervisor of the estate: webhooks.manage is granted to the role by default."""
    return make_actor("cs_supervisor", estates=[estate])


def test_a_record_opens_and_is_completed(session, estate, supervisor):
    record = services.create_record(session, supervisor, {"estate_id": estate.id, "title": "  First  "})
    assert (record.title, record.status, record.closed_at) == ("First", "open", None)
    assert [t.name for t in allowed_transitions(session, record, supervisor)] == ["complete", "cancel"]
    apply(session, record, "complete", supervisor)
    assert record.status == "done" and record.closed_at is not None
    assert services.open_records(session, estate.id) == []


def test_cancelling_needs_a_comment(session, estate, supervisor):
    record = services.create_record(session, supervisor, {"estate_id": estate.id, "title": "Second"})
    with pytest.raises(WorkflowError):
        apply(session, record, "cancel", supervisor)
    apply(session, record, "cancel", supervisor, comment="opened twice")
    assert record.status == "cancelled"


def test_bad_input_and_missing_permission_write_nothing(session, estate, supervisor, make_actor):
    guard = make_actor("guard", estates=[estate])
    with pytest.raises(ValidationError):
        services.create_record(session, supervisor, {"estate_id": estate.id, "title": ""})
    with pytest.raises(PermissionDenied):
        services.create_record(session, guard, {"estate_id": estate.id, "title": "Third"})
    assert session.query(WebhooksRecord).count() == 0


def test_the_job_counts_records_open_too_long(session, estate, supervisor):
    (job,) = jobs()
    record = services.create_record(session, supervisor, {"estate_id": estate.id, "title": "Old"})
    assert job.func(session, record.created_at + dt.timedelta(days=6)) == {"open_too_long": 0}
    assert job.func(session, record.created_at + dt.timedelta(days=8)) == {"open_too_long": 1}


def test_demo_data(seeded, estate):
    assert build_demo(seeded, estate) == {"records": 2}
    assert [r.status for r in seeded.query(WebhooksRecord).order_by(WebhooksRecord.id)] == ["done", "open"]
