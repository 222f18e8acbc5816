"""The delivery job: a real local SMTP server (aiosmtpd), the log gateway, retries with backoff."""

from __future__ import annotations

import datetime as dt
import logging
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from core.models.notification import DeliveryStatus
from core.notifications import Audience, send_notification
from core.notifications.delivery import deliver_due, retry
from core.notifications.settings import merged
from tests.core.notifications.conftest import NOW


class Collector:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def smtp_settings(port: int, **extra) -> dict:
    return merged({"smtp": {"host": "127.0.0.1", "port": port, "from_address": "wuye@example.com", "timeout": 5},
                   **extra})


def test_an_escalation_e_mail_reaches_the_smtp_server_in_chinese(world, plugin, smtp_server):
    controller, handler = smtp_server
    sup = world.staff["sup_a"]
    [row] = send_notification(world.session, "test_ntf.water_cut", Audience(staff_ids=(sup.id,)),
                              context={"building": "5栋", "when": "3月3日"}, channels=("email",), now=NOW)
    assert row.status == DeliveryStatus.queued and handler.messages == []  # queuing sends nothing
    settings = smtp_settings(controller.port)
    settings["smtp"]["from_address"] = "物业服务中心 <wuye@example.com>"  # a Chinese display name
    summary = deliver_due(world.session, NOW, settings=settings)
    assert summary == {"sent": 1, "failed": 0, "retrying": 0}
    [(sender, to, msg)] = handler.messages
    assert sender == "wuye@example.com" and to == ["sup.a@example.com"]
    assert msg["From"].addresses[0].display_name == "物业服务中心"
    assert msg["Subject"] == "5栋停水通知"
    assert msg.get_content().strip() == "尊敬的客服主管甲：5栋将于3月3日停水。"
    assert (row.status, row.attempts, row.sent_at, row.last_error) == (DeliveryStatus.sent, 1, NOW, "")
    # sent once: the next run finds nothing due
    assert deliver_due(world.session, NOW + dt.timedelta(minutes=5), settings=smtp_settings(controller.port))["sent"] == 0


def test_smtp_server_down_backs_off_then_fails_after_max_attempts(world):
    sup = world.staff["sup_a"]
    [row] = send_notification(world.session, "core.message", Audience(staff_ids=(sup.id,)),
                              context={"subject": "s", "body": "b"}, channels=("email",), now=NOW)
    settings = smtp_settings(free_port(), max_attempts=3, backoff_seconds=60)  # nobody listens there
    assert deliver_due(world.session, NOW, settings=settings) == {"sent": 0, "failed": 0, "retrying": 1}
    assert row.attempts == 1 and row.status == DeliveryStatus.queued
    assert row.next_attempt_at == NOW + dt.timedelta(seconds=60) and "Connection" in row.last_error
    # not due before its time
    assert deliver_due(world.session, NOW + dt.timedelta(seconds=30), settings=settings)["retrying"] == 0
    second = NOW + dt.timedelta(seconds=60)
    deliver_due(world.session, second, settings=settings)
    assert row.attempts == 2 and row.next_attempt_at == second + dt.timedelta(seconds=120)  # doubled
    third = second + dt.timedelta(seconds=120)
    assert deliver_due(world.session, third, settings=settings) == {"sent": 0, "failed": 1, "retrying": 0}
    assert (row.status, row.attempts, row.next_attempt_at) == (DeliveryStatus.failed, 3, None)
    # retried by hand once the server is back: queued again with fresh attempts
    retry(world.session, row, third)
    assert (row.status, row.attempts, row.next_attempt_at) == (DeliveryStatus.queued, 0, third)


def test_no_mail_server_configured_is_a_failed_attempt_saying_what_to_set(world):
    [row] = send_notification(world.session, "core.message", Audience(staff_ids=(world.staff["sup_a"].id,)),
                              context={"subject": "s", "body": "b"}, channels=("email",), now=NOW)
    deliver_due(world.session, NOW, settings=merged({}))
    assert "[notifications.smtp] host" in row.last_error and row.attempts == 1


def test_sms_through_the_log_gateway_is_sent_and_logged(world, plugin, caplog):
    caplog.set_level(logging.INFO, logger="wuye.notifications")
    rows = send_notification(world.session, "test_ntf.water_cut", Audience(unit_ids=(world.units_a[0].id,)),
                             context={"building": "1栋", "when": "明天"}, channels=("sms",), now=NOW)
    summary = deliver_due(world.session, NOW, settings=merged({}))
    assert summary["sent"] == 1 and rows[0].status == DeliveryStatus.sent
    logged = [r.getMessage() for r in caplog.records if r.name == "wuye.notifications"]
    assert any("sms to 13800000001" in m and "1栋停水通知" in m for m in logged)


def test_an_unknown_gateway_fails_the_attempt_naming_the_setting(world, plugin):
    rows = send_notification(world.session, "test_ntf.water_cut", Audience(unit_ids=(world.units_a[0].id,)),
                             context={"building": "1栋", "when": "明天"}, channels=("wechat",), now=NOW)
    deliver_due(world.session, NOW, settings=merged({"wechat": {"gateway": "tencent"}}))
    assert "unknown gateway 'tencent' in [notifications.wechat]" in rows[0].last_error


def test_the_job_is_registered_and_reads_the_instances_settings(world, wuye, smtp_server, monkeypatch):
    controller, handler = smtp_server
    job = wuye.registry.jobs["core.deliver_notifications"]
    assert job.schedule == "every 1 minutes"
    monkeypatch.setattr(wuye.config, "notifications",
                        {"smtp": {"host": "127.0.0.1", "port": controller.port, "from_address": "office@example.com"}})
    send_notification(world.session, "core.message", Audience(staff_ids=(world.staff["sup_b"].id,)),
                      context={"subject": "Drill", "body": "Friday 3pm"}, channels=("email",), now=NOW)
    assert job.func(world.session, NOW)["sent"] == 1
    [(sender, to, msg)] = handler.messages
    assert sender == "office@example.com" and msg["Subject"] == "Drill" and "Dear Supervisor B," in msg.get_content()


def test_a_batch_is_at_most_batch_size_rows_oldest_first(world):
    p = world.parties
    rows = send_notification(world.session, "core.message", Audience(party_ids=(p["owner_a1"].id, p["tenant_a2"].id,
                                                                                 p["owner_b1"].id)),
                             context={"subject": "s", "body": "b"}, channels=("sms",), now=NOW)
    rows[2].next_attempt_at = NOW - dt.timedelta(minutes=1)  # due longest: sent in the first batch
    settings = merged({"batch_size": 2})
    assert deliver_due(world.session, NOW, settings=settings)["sent"] == 2
    assert [r.status for r in rows] == [DeliveryStatus.sent, DeliveryStatus.queued, DeliveryStatus.sent]
    assert deliver_due(world.session, NOW, settings=settings)["sent"] == 1
    assert {r.status for r in rows} == {DeliveryStatus.sent}


def test_smtp_login_with_the_password_from_the_environment(world, monkeypatch):
    from aiosmtpd.smtp import AuthResult, LoginPassword

    seen = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        def text(value):
            return value.decode() if isinstance(value, bytes) else value

        ok = isinstance(auth_data, LoginPassword) and (text(auth_data.login), text(auth_data.password)) == \
            ("wuye", "s3cret")
        seen.append(ok)
        return AuthResult(success=ok, handled=False)  # a refusal answers 535

    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
                            auth_require_tls=False, auth_exclude_mechanism=["LOGIN"])  # PLAIN only
    controller.start()
    try:
        [row] = send_notification(world.session, "core.message", Audience(staff_ids=(world.staff["sup_a"].id,)),
                                  context={"subject": "s", "body": "b"}, channels=("email",), now=NOW)
        wrong = merged({"smtp": {"host": "127.0.0.1", "port": controller.port, "username": "wuye",
                                 "password": "guess"}})
        deliver_due(world.session, NOW, settings=wrong)
        assert row.status == DeliveryStatus.queued and "Authentication" in row.last_error and handler.messages == []
        monkeypatch.setenv("WUYE_SMTP_PASSWORD", "s3cret")  # wins over the file's password
        right = merged({"smtp": {"host": "127.0.0.1", "port": controller.port, "username": "wuye",
                                 "password": "guess"}})
        deliver_due(world.session, row.next_attempt_at, settings=right)
    finally:
        controller.stop()
    assert row.status == DeliveryStatus.sent and len(handler.messages) == 1 and seen == [False, True]
