"""The archive over HTTP: opening a confidential part without approval is refused (403) and the
refusal is logged; after the office manager approves the request through the workflow transition,
the same call opens it; another estate's staff get 404."""

from __future__ import annotations

from sqlalchemy import select

from core.models.audit import AccessLog
from plugins.archive.models import AccessOutcome, ArchiveAccessEvent


def _events(factory, archive_id):
    s = factory()
    try:
        return [(e.section, e.outcome, e.actor_id) for e in s.scalars(
            select(ArchiveAccessEvent).where(ArchiveAccessEvent.archive_id == archive_id).order_by(ArchiveAccessEvent.id))]
    finally:
        s.close()


def test_archive_access_without_approval_is_refused_and_logged(api_client, factory, archive, specialist, manager):
    client = api_client(specialist.username)
    refused = client.get(f"/api/v1/archive/archives/{archive.id}/open?section=identity&reason=核对")
    assert refused.status_code == 403, refused.text
    body = refused.get_json()
    assert body["logged"] is True and "approval" in body["sections"][0]["message_en"]
    assert "440301" not in refused.text
    assert _events(factory, archive.id) == [("identity", AccessOutcome.refused, specialist.id)]
    s = factory()
    assert s.scalars(select(AccessLog.action).where(AccessLog.record_table == "archive_archives",
                                                    AccessLog.record_id == str(archive.id))).all() == ["refused"]
    s.close()
    # the manager sees the refusal in the access log
    log = api_client(manager.username).get(f"/api/v1/archive/access-events?archive_id={archive.id}")
    assert log.status_code == 200, log.text
    assert [(i["section"], i["outcome"]) for i in log.get_json()["items"]] == [("identity", "refused")]
    assert client.get("/api/v1/archive/access-events").status_code == 403  # not for specialists

    asked = client.post("/api/v1/archive/access-requests", json={"archive_id": archive.id, "section": "identity",
                                                                  "reason": "办理车位需核对身份"})
    assert asked.status_code == 201, asked.text
    req = asked.get_json()
    own = client.post(f"/api/v1/archive/access-requests/{req['id']}/transitions/approve", json={})
    assert own.status_code == 403, own.text  # a specialist cannot decide
    approved = api_client(manager.username).post(
        f"/api/v1/archive/access-requests/{req['id']}/transitions/approve", json={})
    assert approved.status_code == 200, approved.text
    opened = client.get(f"/api/v1/archive/archives/{archive.id}/open?section=identity")
    assert opened.status_code == 200, opened.text
    assert "440301198001010000" in opened.text
    assert _events(factory, archive.id)[-1] == ("identity", AccessOutcome.granted, specialist.id)


def test_opening_the_whole_archive_and_completeness(api_client, archive, specialist):
    client = api_client(specialist.username)
    opened = client.get(f"/api/v1/archive/archives/{archive.id}/open")
    assert opened.status_code == 200, opened.text
    sections = {s["key"]: s for s in opened.get_json()["sections"]}
    assert sections["index"]["granted"] and sections["index"]["rows"][0][0] == archive.number
    assert sections["identity"]["granted"] is False and "rows" not in sections["identity"]
    done = client.get(f"/api/v1/archive/archives/{archive.id}/completeness").get_json()
    assert done["complete"] is False and "owner_covenant" in done["missing"] and "household_form" not in done["missing"]
    listed = client.get("/api/v1/archive/incomplete").get_json()["items"]
    assert [i["number"] for i in listed] == [archive.number]


def test_another_estates_staff_get_nothing(api_client, archive, stranger):
    client = api_client(stranger.username)
    assert client.get(f"/api/v1/archive/archives/{archive.id}/open").status_code == 404
    assert client.get("/api/v1/archive/archives").get_json()["items"] == []
    assert client.get("/api/v1/archive/incomplete").get_json()["items"] == []


def test_bad_input_is_refused_with_the_field_named(api_client, archive, clerk, units, owners):
    client = api_client(clerk.username)
    bad = client.post("/api/v1/archive/documents", json={"archive_id": archive.id, "doc_type": "diary"})
    assert bad.status_code == 422 and "doc_type" in bad.get_json()["error"]["errors"]
    made = client.post("/api/v1/archive/archives", json={"unit_id": units[1].id, "party_id": owners[1].id})
    assert made.status_code == 201, made.text
    assert made.get_json()["number"].startswith("DA-")
    wrong = client.post("/api/v1/archive/archives", json={"unit_id": units[2].id, "party_id": owners[1].id})
    assert wrong.status_code == 422 and "party_id" in wrong.get_json()["error"]["errors"]
