"""The activity trail: automatic create/update/delete/transition entries, comments, attachments,
timelines, per-staff reports, masking of sensitive values."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.activity import (
    acting_as,
    add_comment,
    attach,
    attachments,
    record_event,
    report_per_staff,
    timeline,
)
from core.db import utcnow
from core.errors import ValidationError
from core.models import Party, Role
from core.models.activity import Activity
from core.sequences import next_number
from core.workflow import apply
from tests.core.workflow_fixture_plugin import WfTicket, wf_fixture, wf_instance_fixture, wf_tables_fixture  # noqa: F401


@pytest.fixture
def env(wf):
    wf.a, wf.b = wf.make_estate("A"), wf.make_estate("B")
    wf.cs = wf.make_actor("cs_specialist", estates=[wf.a])
    wf.cs2 = wf.make_actor("cs_specialist", estates=[wf.a, wf.b])
    wf.tech = wf.make_actor("technician", estates=[wf.a])
    return wf


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(Activity))


def test_create_update_delete_are_recorded_with_the_actor(env):
    s = env.session
    with acting_as(s, env.cs):
        t = env.ticket(env.a, title="broken door")
        t.title = "broken front door"
        s.flush()
        s.delete(t)
        s.flush()
    created, updated, deleted = timeline(s, WfTicket, t.id)
    assert (created.action, created.actor_id, created.estate_id, created.record_id) == ("create", env.cs.id, env.a.id,
                                                                                          str(t.id))
    assert created.changes["title"] == [None, "broken door"] and created.changes["status"] == [None, "new"]
    assert updated.action == "update" and updated.changes == {"title": ["broken door", "broken front door"]}
    assert deleted.action == "delete" and deleted.changes["title"] == ["broken front door", None]
    assert created.at <= updated.at <= deleted.at


def test_without_an_actor_changes_are_attributed_to_the_system(env):
    t = env.ticket(env.a)
    [entry] = timeline(env.session, t)
    assert entry.action == "create" and entry.actor_id is None


def test_setting_a_value_to_itself_records_nothing(env):
    t = env.ticket(env.a)
    before = count(env.session)
    t.title = t.title
    env.session.flush()
    assert count(env.session) == before


def test_sensitive_values_are_masked_and_secrets_hidden(env):
    s = env.session
    with acting_as(s, env.cs):
        p = Party(name="王芳", id_number="320102199001011234", phone="13912345678")
        s.add(p)
        s.flush()
        p.phone = "13800001111"
        s.flush()
    created, updated = timeline(s, Party, p.id)
    assert created.changes["id_number"] == [None, "3201**********1234"]
    assert created.changes["phone"] == [None, "139****5678"]
    assert updated.changes == {"phone": ["139****5678", "138****1111"]}
    env.cs.password_hash = "$argon2id$v=19$m=65536,t=3,p=4$secret"
    s.flush()
    assert timeline(s, env.cs)[-1].changes == {"password_hash": ["", "***"]}
    assert "13912345678" not in str([a.changes for a in s.scalars(select(Activity))])


def test_model_level_sensitive_fields(env, monkeypatch):
    monkeypatch.setattr(WfTicket, "__sensitive_fields__", {"report": "phone"}, raising=False)
    t = env.ticket(env.a, report="call 13912345678", contact_phone="13700002222")
    changes = timeline(env.session, t)[0].changes
    assert changes["contact_phone"] == [None, "137****2222"]  # *_phone by name
    assert changes["report"] == [None, "call 139****5678"]


def test_a_transition_is_one_entry_with_all_its_changes(env):
    s = env.session
    t = env.ticket(env.a)
    with acting_as(s, env.tech):  # the session's actor does not matter: apply's actor does
        apply(s, t, "dispatch", env.cs, comment="urgent")
    entry = timeline(s, t)[-1]
    assert (entry.action, entry.detail, entry.note, entry.actor_id) == ("transition", "dispatch", "urgent", env.cs.id)
    assert entry.changes == {"status": ["new", "dispatched"], "number": ["", "WT-2026-000001"]}
    assert [e.action for e in timeline(s, t)] == ["create", "transition"]


def test_a_failed_transition_leaves_no_trace(env):
    t = env.ticket(env.a, title="veto")
    before = count(env.session)
    with pytest.raises(Exception, match="vetoed"):
        apply(env.session, t, "dispatch", env.cs)
    assert count(env.session) == before


def test_role_changes_of_staff_are_recorded(env):
    s = env.session
    supervisor = s.scalar(select(Role).where(Role.name == "cs_supervisor"))
    with acting_as(s, env.cs2):
        env.tech.roles.append(supervisor)
        s.flush()
    entry = timeline(s, env.tech)[-1]
    assert entry.action == "update" and entry.actor_id == env.cs2.id
    assert entry.changes["roles"] == [["Technician"], ["Customer-service supervisor", "Technician"]]


def test_comments_and_attachments_share_the_timeline(env):
    s = env.session
    t = env.ticket(env.a)
    note = add_comment(s, env.cs, t, "  owner will be home after 18:00 ")
    assert note.note == "owner will be home after 18:00"
    att = attach(s, env.tech, t, "C:\\photos\\leak.jpg", b"\xff\xd8jpeg", content_type="image/jpeg")
    assert (att.filename, att.size, att.record_table, att.record_id, att.estate_id) == (
        "leak.jpg", 6, "wftest_tickets", str(t.id), env.a.id)
    assert attachments(s, t)[0].data == b"\xff\xd8jpeg"
    with acting_as(s, env.cs):
        s.delete(att)
        s.flush()
    actions = [(e.action, e.actor_id, e.detail) for e in timeline(s, WfTicket, t.id)]
    assert actions == [("create", None, ""), ("comment", env.cs.id, ""), ("attachment", env.tech.id, "leak.jpg"),
                       ("attachment", env.cs.id, "leak.jpg")]
    assert timeline(s, t)[-1].note == "removed"
    with pytest.raises(ValidationError, match="comment"):
        add_comment(s, env.cs, t, "   ")
    with pytest.raises(ValidationError, match="name"):
        attach(s, env.cs, t, "", b"x")
    with pytest.raises(ValidationError, match="either the file's bytes or the path"):
        attach(s, env.cs, t, "plan.pdf")
    on_disk = attach(s, env.cs, t, "plan.pdf", stored_path="2026/05/plan.pdf", size=2048,
                     content_type="application/pdf")
    assert (on_disk.data, on_disk.stored_path, on_disk.size) == (None, "2026/05/plan.pdf", 2048)
    assert [a.filename for a in attachments(s, WfTicket, t.id)] == ["plan.pdf"]


def test_bookkeeping_tables_are_not_tracked(env):
    before = count(env.session)
    next_number(env.session, "XX", estate_id=env.a.id)
    env.session.flush()
    assert count(env.session) == before


def test_recording_can_be_switched_off_for_bulk_work(env):
    env.session.info["wuye_activity"] = False
    try:
        before = count(env.session)
        env.ticket(env.a)
        assert count(env.session) == before
    finally:
        env.session.info.pop("wuye_activity")


def test_acting_as_restores_the_previous_actor(env):
    s = env.session
    with acting_as(s, env.cs):
        with acting_as(s, env.tech):
            assert s.info["actor"] is env.tech
        assert s.info["actor"] is env.cs
    assert "actor" not in s.info


def test_record_event_refuses_unknown_actions(env):
    with pytest.raises(ValueError, match="unknown activity action 'poke'"):
        record_event(env.session, env.cs, "wftest_tickets", 1, "poke")


def test_report_per_staff(env):
    s = env.session
    start = utcnow() - dt.timedelta(seconds=1)
    with acting_as(s, env.cs):
        t1 = env.ticket(env.a, title="one")
        env.ticket(env.b, title="two")
    with acting_as(s, env.cs2):
        t1.title = "one!"
        s.flush()
    apply(s, t1, "dispatch", env.cs)
    add_comment(s, env.cs2, t1, "checked")
    end = utcnow() + dt.timedelta(seconds=1)
    rows = {r["username"]: r for r in report_per_staff(s, start, end)}
    assert rows[env.cs.username]["counts"] == {"create": 2, "transition": 1}
    assert rows[env.cs.username]["total"] == 3 and rows[env.cs.username]["staff_id"] == env.cs.id
    assert rows[env.cs2.username]["counts"] == {"update": 1, "comment": 1}
    assert list(rows)[0] == env.cs.username  # busiest first
    in_b = report_per_staff(s, start, end, estate_ids=[env.b.id])
    assert [(r["username"], r["counts"]) for r in in_b] == [(env.cs.username, {"create": 1})]
    assert report_per_staff(s, end, end + dt.timedelta(hours=1)) == []
