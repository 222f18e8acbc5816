"""Notifications on the web: my messages (admin page and API), the inbox, the templates and the
delivery log screens and API, estate scoping, retry."""

from __future__ import annotations

import re

import pytest

from core.models.notification import DeliveryStatus, Notification
from core.notifications import Audience, send_notification
from core.services.inbox import inbox_for
from tests.core.notifications.conftest import NOW

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def login(app, user):
    client = app.test_client()
    page = client.get("/login")
    token = CSRF_RE.search(page.text).group(1)
    r = client.post("/login", data={"username": user.username, "password": "password123", "csrf_token": token,
                                    "next": ""})
    assert r.status_code == 302, r.text[:300]
    return client


def csrf(client, url="/admin/notifications/") -> str:
    return CSRF_RE.search(client.get(url).text).group(1)


def message(world, who, subject="消防演练", *, estate=None):
    return send_notification(world.session, "core.message", Audience(staff_ids=(world.staff[who].id,)),
                             context={"subject": subject, "body": "周五下午三点。"}, estate_id=estate, now=NOW)[0]


def test_my_messages_api_lists_only_mine_and_marks_read(world, api_client):
    mine, other = message(world, "sup_a"), message(world, "sup_b", "Other")
    world.session.commit()
    client = api_client(world.staff["sup_a"].username)
    body = client.get("/api/v1/notifications/mine").get_json()
    assert body["unread"] == 1 and [i["id"] for i in body["items"]] == [mine.id]
    assert body["items"][0]["subject"] == "消防演练" and body["items"][0]["read_at"] is None
    r = client.post(f"/api/v1/notifications/{other.id}/read")
    assert r.status_code == 404, r.get_data(as_text=True)  # not hers
    done = client.post(f"/api/v1/notifications/{mine.id}/read")
    assert done.status_code == 200 and done.get_json()["read_at"] is not None
    assert client.get("/api/v1/notifications/mine?unread=1").get_json() == {"unread": 0, "items": []}
    bad = client.get("/api/v1/notifications/mine?limit=0")
    assert bad.status_code == 422 and "limit" in bad.get_data(as_text=True)
    world.session.expire_all()
    assert world.session.get(Notification, other.id).read_at is None


def test_unread_messages_are_to_dos_in_the_inbox_until_read(world, app):
    row = message(world, "sup_a", "停水通知")
    world.session.commit()
    box = inbox_for(world.session, world.staff["sup_a"], NOW.date(), now=NOW)
    assert box.counts["notification"] == (1, False)
    [item] = [i for i in box.items if i.kind == "notification"]
    assert (str(item.title), item.url) == ("停水通知", f"/admin/notifications/?id={row.id}")
    client = login(app, world.staff["sup_a"])
    inbox = client.get("/admin/inbox/", headers={"Accept-Language": "zh-CN"})
    assert "未读消息" in inbox.text and f"/admin/notifications/?id={row.id}" in inbox.text
    page = client.get(f"/admin/notifications/?id={row.id}", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200 and "停水通知" in page.text and "未读消息 0 条" in page.text
    world.session.expire_all()
    assert "notification" not in inbox_for(world.session, world.staff["sup_a"], NOW.date(), now=NOW).counts


def test_mark_all_read_on_my_messages_page(world, app):
    message(world, "sup_a", "一"), message(world, "sup_a", "二"), message(world, "sup_b", "three")
    world.session.commit()
    client = login(app, world.staff["sup_a"])
    page = client.get("/admin/notifications/", headers={"Accept-Language": "zh-CN"})
    assert "未读消息 2 条" in page.text and "全部标为已读" in page.text and "three" not in page.text
    r = client.post("/admin/notifications/read", data={"csrf_token": csrf(client)})
    assert r.status_code == 302
    assert "未读消息 0 条" in client.get("/admin/notifications/", headers={"Accept-Language": "zh-CN"}).text
    # the API with the same session cookie agrees (a safe GET needs no CSRF header)
    assert client.get("/api/v1/notifications/mine").get_json()["unread"] == 0
    assert app.test_client().get("/api/v1/notifications/mine").status_code == 401  # not signed in


def _log_rows(world):
    a = send_notification(world.session, "core.message", Audience(staff_ids=(world.staff["sup_a"].id,)),
                          context={"subject": "A 区通知", "body": "b"}, estate_id=world.a.id, channels=("email",),
                          now=NOW)[0]
    b = send_notification(world.session, "core.message", Audience(staff_ids=(world.staff["sup_b"].id,)),
                          context={"subject": "B notice", "body": "b"}, estate_id=world.b.id, channels=("email",),
                          now=NOW)[0]
    a.status = b.status = DeliveryStatus.failed
    a.attempts = b.attempts = 5
    world.session.commit()
    return a, b


def test_delivery_log_is_scoped_to_the_staff_members_estates(world, app, api_client):
    a, b = _log_rows(world)
    client = login(app, world.staff["manager_a"])
    listing = client.get("/admin/core_notifications/", headers={"Accept-Language": "zh-CN"})
    assert listing.status_code == 200 and "A 区通知" in listing.text and "B notice" not in listing.text
    assert client.get(f"/admin/core_notifications/details/?id={a.id}").status_code == 200
    assert client.get(f"/admin/core_notifications/details/?id={b.id}").status_code in (302, 404)
    api = api_client(world.staff["manager_a"].username)
    ids = [r["id"] for r in api.get("/api/v1/notification-log").get_json()["items"]]
    assert a.id in ids and b.id not in ids
    assert api.get(f"/api/v1/notification-log/{b.id}").status_code == 404
    # a customer-service specialist may not read the log at all
    assert api_client(world.staff["spec_a"].username).get("/api/v1/notification-log").status_code == 403


def test_retry_now_queues_a_failed_delivery_of_ones_own_estate_only(world, app):
    a, b = _log_rows(world)
    client = login(app, world.staff["manager_a"])
    details = client.get(f"/admin/core_notifications/details/?id={a.id}", headers={"Accept-Language": "zh-CN"})
    assert "立即重发" in details.text
    token = csrf(client)
    assert client.post(f"/admin/notifications/retry/{a.id}", data={"csrf_token": token}).status_code == 302
    client.post(f"/admin/notifications/retry/{b.id}", data={"csrf_token": token})
    world.session.expire_all()
    assert world.session.get(Notification, a.id).status == DeliveryStatus.queued
    assert world.session.get(Notification, b.id).status == DeliveryStatus.failed  # estate B: untouched
    # without the permission: refused
    spec = login(app, world.staff["spec_a"])
    a_row = world.session.get(Notification, a.id)
    a_row.status = DeliveryStatus.failed
    world.session.commit()
    assert spec.post(f"/admin/notifications/retry/{a.id}", data={"csrf_token": csrf(spec)}).status_code == 403
    world.session.expire_all()
    assert world.session.get(Notification, a.id).status == DeliveryStatus.failed


@pytest.mark.parametrize("payload, field, words", [
    ({"event": "core.nope", "language": "zh_CN", "subject": "x", "body": "y"}, "event", "unknown notification event"),
    ({"event": "core.message", "language": "zh_CN", "subject": "{{ oops", "body": "y"}, "subject", "not a valid"),
    ({"event": "core.message", "language": "fr", "subject": "x", "body": "y"}, "language", ""),
])
def test_bad_templates_are_refused_naming_the_field(world, api_client, payload, field, words):
    client = api_client(world.staff["manager_a"].username)
    r = client.post("/api/v1/notification-templates", json=payload)
    assert r.status_code == 422, r.get_data(as_text=True)
    body = r.get_data(as_text=True)
    assert field in body and words in body
    assert client.get("/api/v1/notification-templates").get_json()["items"] == []


def test_a_manager_writes_a_template_and_it_is_used(world, api_client):
    client = api_client(world.staff["manager_a"].username)
    r = client.post("/api/v1/notification-templates", json={
        "event": "core.message", "language": "zh_CN", "subject": "【物业】{{ subject }}", "body": "{{ body }}"})
    assert r.status_code == 201, r.get_data(as_text=True)
    assert r.get_json()["updated_by_id"] == world.staff["manager_a"].id
    again = client.post("/api/v1/notification-templates", json={
        "event": "core.message", "language": "zh_CN", "subject": "x", "body": "y"})
    assert again.status_code == 409
    assert api_client(world.staff["spec_a"].username).post("/api/v1/notification-templates", json={
        "event": "core.message", "language": "en", "subject": "x", "body": "y"}).status_code == 403
    row = message(world, "sup_a", "停电")
    assert row.subject == "【物业】停电"


def test_template_screen_previews_the_events_default_wording(world, app):
    from core.models.notification import NotificationTemplate

    t = NotificationTemplate(event="core.message", language="zh_CN", subject="s", body="b")
    world.session.add(t)
    world.session.commit()
    client = login(app, world.staff["manager_a"])
    page = client.get(f"/admin/core_notification_templates/details/?id={t.id}", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    assert "事件默认文本" in page.text and "您好" in page.text


def test_the_staff_form_keeps_e_mail_and_mobile_for_the_channels(world, app):
    sup = world.staff["sup_a"]
    client = login(app, world.staff["gm"])
    page = client.get(f"/admin/core_staff/edit/?id={sup.id}", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200 and "电子邮箱(通知)" in page.text and "手机(短信)" in page.text
    form = {"csrf_token": CSRF_RE.search(page.text).group(1), "username": sup.username, "full_name": sup.full_name,
            "employee_no": "", "active": "y", "locale": "", "roles": ["cs_supervisor"], "estates": [world.a.code],
            "password": ""}
    bad = client.post(f"/admin/core_staff/edit/?id={sup.id}", data={**form, "email": "not-an-address", "mobile": ""})
    assert "name@example.com" in bad.text
    world.session.expire_all()
    assert world.session.get(type(sup), sup.id).email == "sup.a@example.com"  # unchanged
    ok = client.post(f"/admin/core_staff/edit/?id={sup.id}", data={**form, "email": "new@example.com",
                                                                    "mobile": "13911112222"})
    assert ok.status_code == 302, ok.text[:500]
    world.session.expire_all()
    user = world.session.get(type(sup), sup.id)
    assert (user.email, user.mobile) == ("new@example.com", "13911112222")


def test_retry_through_the_api(world, api_client):
    a, b = _log_rows(world)
    manager = api_client(world.staff["manager_a"].username)
    r = manager.post(f"/api/v1/notification-log/{a.id}/retry")
    assert r.status_code == 200 and r.get_json()["status"] == "queued" and r.get_json()["attempts"] == 0
    assert manager.post(f"/api/v1/notification-log/{b.id}/retry").status_code == 404  # estate B
    again = manager.post(f"/api/v1/notification-log/{a.id}/retry")  # queued already: allowed, still queued
    assert again.status_code == 200
    assert api_client(world.staff["spec_a"].username).post(f"/api/v1/notification-log/{a.id}/retry").status_code == 403
    world.session.expire_all()
    assert world.session.get(Notification, b.id).status == DeliveryStatus.failed
    sent = world.session.get(Notification, a.id)
    sent.status = DeliveryStatus.sent
    world.session.commit()
    refused = manager.post(f"/api/v1/notification-log/{a.id}/retry")
    assert refused.status_code == 422 and "only failed or queued" in refused.get_data(as_text=True)


def test_the_events_page_lists_every_event_with_its_default_wording(world, app, plugin):
    from core.models.notification import NotificationTemplate

    world.session.add(NotificationTemplate(event="core.message", language="zh_CN", subject="s", body="b"))
    world.session.commit()
    client = login(app, world.staff["manager_a"])
    page = client.get("/admin/notification-events/", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    assert 'data-event="test_ntf.water_cut"' in page.text and "停水通知" in page.text and "{{ building }}" in page.text
    assert 'data-event="core.message"' in page.text and "已有公司模板" in page.text
    assert "通知事件" in client.get("/admin/", headers={"Accept-Language": "zh-CN"}).text  # in the settings menu
    assert login(app, world.staff["spec_a"]).get("/admin/notification-events/").status_code == 403
