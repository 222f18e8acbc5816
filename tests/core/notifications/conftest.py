"""A small world for notification tests: two estates, residents of their units, staff of each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from core.models import Party, Unit, UnitRelation
from core.models.party import RelationKind

NOW = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai, a Monday


@dataclass
class World:
    session: object
    a: object
    b: object
    units_a: list
    units_b: list
    parties: dict = field(default_factory=dict)
    staff: dict = field(default_factory=dict)


def _party(session, name, phone="", email=""):
    p = Party(name=name, phone=phone, email=email)
    session.add(p)
    session.flush()
    return p


def _relate(session, party, unit, kind, start=dt.date(2020, 1, 1), end=None):
    session.add(UnitRelation(party_id=party.id, unit_id=unit.id, kind=kind, start_on=start, end_on=end))
    session.flush()


@pytest.fixture
def world(seeded, make_estate, make_actor):
    s = seeded
    a, b = make_estate("NA", units=3), make_estate("NB", units=2)
    units_a = list(s.scalars(select(Unit).where(Unit.estate_id == a.id).order_by(Unit.id)))
    units_b = list(s.scalars(select(Unit).where(Unit.estate_id == b.id).order_by(Unit.id)))
    w = World(s, a, b, units_a, units_b)
    w.parties["owner_a1"] = _party(s, "张三", phone="13800000001", email="zhang@example.com")
    w.parties["tenant_a2"] = _party(s, "李四", phone="13800000002")
    w.parties["former_a3"] = _party(s, "王五", phone="13800000003")
    w.parties["member_a1"] = _party(s, "张小三", phone="13800000004")
    w.parties["owner_b1"] = _party(s, "赵六", phone="13800000005")
    _relate(s, w.parties["owner_a1"], units_a[0], RelationKind.owner)
    _relate(s, w.parties["member_a1"], units_a[0], RelationKind.household_member)
    _relate(s, w.parties["tenant_a2"], units_a[1], RelationKind.tenant)
    _relate(s, w.parties["former_a3"], units_a[2], RelationKind.owner, end=dt.date(2025, 12, 31))
    _relate(s, w.parties["owner_b1"], units_b[0], RelationKind.owner)
    sup_a = make_actor("cs_supervisor", estates=[a])
    sup_a.email, sup_a.mobile, sup_a.full_name = "sup.a@example.com", "13900000001", "客服主管甲"
    sup_b = make_actor("cs_supervisor", estates=[b])
    sup_b.email, sup_b.full_name, sup_b.locale = "sup.b@example.com", "Supervisor B", "en"
    w.staff.update(sup_a=sup_a, sup_b=sup_b, gm=make_actor("general_manager"),
                   spec_a=make_actor("cs_specialist", estates=[a]), manager_a=make_actor("office_manager", estates=[a]),
                   manager_b=make_actor("office_manager", estates=[b]))
    s.flush()
    return w


@pytest.fixture
def plugin(wuye):
    """A test plugin ``test_ntf`` declaring one event and one channel through the notification hooks."""
    from core.hookspecs import hookimpl
    from core.notifications import Channel, NotificationEvent

    class PagerChannel(Channel):
        name, label, label_zh = "test_ntf_pager", "Pager", "寻呼机"

        def __init__(self):
            self.sent, self.fail = [], False

        def address_of(self, recipient):
            return f"pager:{recipient.kind}:{recipient.id}"

        def send(self, delivery, settings):
            if self.fail:
                raise ConnectionError("pager network down")
            self.sent.append((delivery.address, delivery.subject, delivery.body))

    pager = PagerChannel()
    event = NotificationEvent(
        "test_ntf.water_cut", "Water cut", "停水通知",
        templates={"zh_CN": ("{{ building }}停水通知", "尊敬的{{ recipient }}：{{ building }}将于{{ when }}停水。"),
                   "en": ("Water cut in {{ building }}", "Dear {{ recipient }}, water is cut in {{ building }} at {{ when }}.")},
        channels=("inapp", "sms"))

    class TestNtf:
        @hookimpl
        def wuye_notification_events(self):
            return [event]

        @hookimpl
        def wuye_notification_channels(self):
            return [pager]

    impl = TestNtf()
    wuye.pm.register(impl, name="test_ntf")
    try:
        yield pager
    finally:
        wuye.pm.unregister(impl)
