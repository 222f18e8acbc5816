"""Queueing notifications: audiences, languages, templates, skipped recipients, clear errors."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.errors import ValidationError
from core.models.notification import DeliveryStatus, Notification, NotificationTemplate
from core.notifications import Audience, send_notification
from tests.core.notifications.conftest import NOW


def count(session) -> int:
    return session.scalar(select(func.count(Notification.id)))


def test_in_app_message_is_delivered_at_once_in_each_staff_members_language(world):
    s, sup_a, sup_b = world.session, world.staff["sup_a"], world.staff["sup_b"]
    rows = send_notification(s, "core.message", Audience(staff_ids=(sup_a.id, sup_b.id)),
                             context={"subject": "消防演练", "body": "周五下午三点消防演练。"})
    by_staff = {r.staff_id: r for r in rows}
    assert [r.channel for r in rows] == ["inapp", "inapp"]
    zh, en = by_staff[sup_a.id], by_staff[sup_b.id]
    assert (zh.status, zh.language, zh.subject) == (DeliveryStatus.delivered, "zh_CN", "消防演练")
    assert zh.body == "客服主管甲，您好：\n周五下午三点消防演练。"
    assert en.language == "en" and en.body.startswith("Dear Supervisor B,")
    assert zh.sent_at is not None and zh.next_attempt_at is None


def test_unknown_event_is_refused_and_nothing_is_queued(world):
    before = count(world.session)
    with pytest.raises(ValidationError) as err:
        send_notification(world.session, "core.no_such_event", Audience(staff_ids=(world.staff["sup_a"].id,)))
    assert "unknown notification event 'core.no_such_event'" in err.value.message
    assert "core.message" in err.value.message  # names the known ones
    assert count(world.session) == before


def test_a_missing_template_variable_names_it_and_queues_nothing(world, plugin):
    before = count(world.session)
    with pytest.raises(ValidationError) as err:
        send_notification(world.session, "test_ntf.water_cut", Audience(estate_ids=(world.a.id,)),
                          context={"building": "1栋"})  # "when" is missing
    assert "'when' is undefined" in err.value.message and "test_ntf.water_cut" in err.value.message
    assert count(world.session) == before


def test_unknown_channel_is_refused(world):
    with pytest.raises(ValidationError) as err:
        send_notification(world.session, "core.message", Audience(staff_ids=(world.staff["sup_a"].id,)),
                          context={"subject": "x", "body": "y"}, channels=("fax",))
    assert "unknown notification channel 'fax'" in err.value.message


def test_audience_by_role_and_estate(world):
    s = world.session
    rows = send_notification(s, "core.message", Audience(roles=("cs_supervisor",), estate_id=world.a.id),
                             context={"subject": "s", "body": "b"})
    assert {r.staff_id for r in rows} == {world.staff["sup_a"].id}
    assert all(r.estate_id == world.a.id for r in rows)
    everyone = send_notification(s, "core.message", Audience(roles=("cs_supervisor", "general_manager")),
                                 context={"subject": "s", "body": "b"})
    assert {r.staff_id for r in everyone} >= {world.staff["sup_a"].id, world.staff["sup_b"].id, world.staff["gm"].id}
    # the general manager sees every estate: reached for estate A's supervisors-and-managers call too
    gm_too = send_notification(s, "core.message", Audience(roles=("general_manager",), estate_id=world.a.id),
                               context={"subject": "s", "body": "b"})
    assert world.staff["gm"].id in {r.staff_id for r in gm_too}


def test_audience_by_unit_building_estate_and_party_reaches_current_owners_and_tenants(world, plugin):
    s, p = world.session, world.parties
    ctx = {"building": "1栋", "when": "明天9点"}

    def reached(audience):
        rows = send_notification(s, "test_ntf.water_cut", audience, context=ctx, channels=("sms",))
        return {r.party_id for r in rows}

    # current owner and tenant only: not the former owner, not the household member
    assert reached(Audience(estate_ids=(world.a.id,))) == {p["owner_a1"].id, p["tenant_a2"].id}
    assert reached(Audience(building_ids=(world.units_b[0].building_id,))) == {p["owner_b1"].id}
    assert reached(Audience(unit_ids=(world.units_a[1].id,))) == {p["tenant_a2"].id}
    assert reached(Audience(party_ids=(p["former_a3"].id,), unit_ids=(world.units_a[0].id,))) == \
        {p["former_a3"].id, p["owner_a1"].id}


def test_audience_by_query_for_example_units_in_arrears(world, plugin):
    from core.models import UnitRelation

    s, p = world.session, world.parties
    in_arrears = [world.units_a[1].id, world.units_b[0].id]  # what a billing plugin's query would find

    def arrears(session):
        return session.scalars(select(UnitRelation.party_id).where(UnitRelation.unit_id.in_(in_arrears),
                                                                   UnitRelation.end_on.is_(None)))

    rows = send_notification(s, "test_ntf.water_cut", Audience(query=arrears, party_ids=(p["tenant_a2"].id,)),
                             context={"building": "2栋", "when": "今天"}, channels=("sms",))
    assert sorted((r.party_id, r.address, r.subject) for r in rows) == sorted([
        (p["tenant_a2"].id, "13800000002", "2栋停水通知"), (p["owner_b1"].id, "13800000005", "2栋停水通知")])


def test_recipients_without_an_address_are_logged_as_skipped_with_the_reason(world, plugin):
    s = world.session
    rows = send_notification(s, "test_ntf.water_cut", Audience(unit_ids=(world.units_a[0].id,)),
                             context={"building": "1栋", "when": "明天"}, channels=("inapp", "email", "wechat"))
    by_channel = {r.channel: r for r in rows}
    assert by_channel["inapp"].status == DeliveryStatus.skipped
    assert "no in-app inbox" in by_channel["inapp"].last_error and "张三" in by_channel["inapp"].last_error
    assert by_channel["email"].status == DeliveryStatus.queued and by_channel["email"].address == "zhang@example.com"
    assert by_channel["wechat"].address == "13800000001"
    spec = world.staff["spec_a"]
    mail = send_notification(s, "core.message", Audience(staff_ids=(spec.id,)), context={"subject": "s", "body": "b"},
                             channels=("email",))
    assert mail[0].status == DeliveryStatus.skipped and "no e-mail on file" in mail[0].last_error


def test_the_companys_template_wins_over_the_default_per_language_and_channel(world, plugin):
    s = world.session
    s.add_all([NotificationTemplate(event="test_ntf.water_cut", language="zh_CN", channel="",
                                    subject="【停水】{{ building }}", body="{{ recipient }}：{{ when }}停水，请储水。"),
               NotificationTemplate(event="test_ntf.water_cut", language="zh_CN", channel="sms",
                                    subject="短信", body="【物业】{{ building }}{{ when }}停水"),
               NotificationTemplate(event="test_ntf.water_cut", language="en", channel="", active=False,
                                    subject="inactive", body="inactive")])
    s.flush()
    sup_a, sup_b = world.staff["sup_a"], world.staff["sup_b"]
    rows = send_notification(s, "test_ntf.water_cut", Audience(staff_ids=(sup_a.id, sup_b.id)),
                             context={"building": "3栋", "when": "周二"})
    got = {(r.staff_id, r.channel): (r.subject, r.body) for r in rows}
    assert got[(sup_a.id, "inapp")] == ("【停水】3栋", "客服主管甲：周二停水，请储水。")
    assert got[(sup_a.id, "sms")] == ("短信", "【物业】3栋周二停水")
    # English has only an inactive template: the event's default applies
    assert got[(sup_b.id, "inapp")][0] == "Water cut in 3栋"


def test_the_record_links_the_deliveries_and_gives_their_estate(world):
    unit = world.units_b[0]
    world.session.add(NotificationTemplate(event="core.message", language="en", subject="About {{ record }}",
                                           body="{{ body }}"))
    rows = send_notification(world.session, "core.message", Audience(staff_ids=(world.staff["sup_b"].id,)),
                             context={"subject": "s", "body": "b"}, record=unit, now=NOW)
    assert (rows[0].record_table, rows[0].record_id, rows[0].estate_id) == ("core_units", unit.id, world.b.id)
    assert rows[0].subject == f"About {unit}" and rows[0].created_at == NOW


def test_a_plugin_event_and_channel_through_the_hooks(world, wuye, plugin):
    """``wuye_notification_events`` and ``wuye_notification_channels`` of a test plugin: its event is
    queued on its own channel, which the delivery job calls (and retries when it raises)."""
    from core.notifications.delivery import deliver_due
    from core.notifications.registry import channels, events
    from core.notifications.settings import merged

    assert "test_ntf.water_cut" in events(wuye) and "test_ntf_pager" in channels(wuye)
    contributed = dict(wuye.call_each("wuye_notification_events"))
    assert [e.name for e in contributed["test_ntf"]] == ["test_ntf.water_cut"]
    assert [c.name for c in dict(wuye.call_each("wuye_notification_channels"))["test_ntf"]] == ["test_ntf_pager"]
    [row] = send_notification(world.session, "test_ntf.water_cut", Audience(party_ids=(world.parties["owner_b1"].id,)),
                              context={"building": "1栋", "when": "明早"}, channels=("test_ntf_pager",), now=NOW)
    plugin.fail = True
    assert deliver_due(world.session, NOW, settings=merged({}))["retrying"] == 1
    assert "pager network down" in row.last_error
    plugin.fail = False
    later = row.next_attempt_at
    assert deliver_due(world.session, later, settings=merged({}))["sent"] == 1
    assert plugin.sent == [(f"pager:party:{world.parties['owner_b1'].id}", "1栋停水通知", "尊敬的赵六：1栋将于明早停水。")]
    assert (row.status, row.attempts) == (DeliveryStatus.sent, 2)


def test_a_duplicate_event_is_a_startup_problem(wuye, plugin):
    from core.hookspecs import hookimpl
    from core.notifications import NotificationEvent
    from core.notifications.registry import check

    class Again:
        @hookimpl
        def wuye_notification_events(self):
            return [NotificationEvent("core.message", "again"), NotificationEvent("elsewhere.x", "x")]

    impl = Again()
    wuye.pm.register(impl, name="test_again")
    try:
        problems: list[str] = []
        check(wuye, problems)
    finally:
        wuye.pm.unregister(impl)
    assert "notification event 'core.message' is declared by both 'core' and 'test_again'" in problems
    assert "plugin 'test_again': notification event 'elsewhere.x' must start with 'test_again.'" in problems
    problems = []
    check(wuye, problems)
    assert problems == []


def test_staff_without_a_language_read_the_configured_default(world, wuye, monkeypatch):
    monkeypatch.setattr(wuye.config, "notifications", {"default_language": "en"})
    rows = send_notification(world.session, "core.message", Audience(staff_ids=(world.staff["sup_a"].id,)),
                             context={"subject": "Drill", "body": "Friday"})
    assert (rows[0].language, rows[0].body) == ("en", "Dear 客服主管甲,\nFriday")
    monkeypatch.setattr(wuye.config, "notifications", {})
    monkeypatch.setattr(wuye.config, "locale", "zh_CN")
    again = send_notification(world.session, "core.message", Audience(staff_ids=(world.staff["sup_a"].id,)),
                              context={"subject": "演练", "body": "周五"})
    assert again[0].language == "zh_CN"


def test_bare_phone_numbers_are_texted_once_and_skipped_where_an_account_is_needed(world, plugin):
    s, p = world.session, world.parties
    ctx = {"building": "1栋", "when": "明天"}
    # a walk-in caller's number, the same number again, and an owner's own phone (told as the owner)
    audience = Audience(party_ids=(p["tenant_a2"].id,), phones=("137 1111 2222", "13711112222", "13800000002"))
    rows = send_notification(s, "test_ntf.water_cut", audience, context=ctx, channels=("sms", "inapp"))
    sms = sorted((r.party_id or 0, r.address, r.status) for r in rows if r.channel == "sms")
    assert sms == [(0, "137 1111 2222", DeliveryStatus.queued), (p["tenant_a2"].id, "13800000002", DeliveryStatus.queued)]
    assert {r.status for r in rows if r.channel == "inapp"} == {DeliveryStatus.skipped}
    before = count(s)
    with pytest.raises(ValidationError) as exc:
        send_notification(s, "test_ntf.water_cut", Audience(phones=("12",)), context=ctx, channels=("sms",))
    assert "audience" in exc.value.errors and count(s) == before  # not a number: nothing queued
