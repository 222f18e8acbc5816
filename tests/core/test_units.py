"""Unit status and relations go through core.services.units, which fires wuye_unit_event."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.errors import Conflict, ValidationError
from core.hookspecs import hookimpl
from core.models import Party, RelationKind, Unit, UnitRelation, UnitStatus
from core.services import units as unit_services


class Recorder:
    def __init__(self):
        self.events = []

    @hookimpl
    def wuye_unit_event(self, unit, event, data):
        self.events.append((unit.id, event, data))


@pytest.fixture
def recorder(wuye):
    rec = Recorder()
    wuye.pm.register(rec, name="recorder")
    yield rec
    wuye.pm.unregister(rec)


@pytest.fixture
def unit(session, make_estate):
    estate = make_estate(units=1, status=UnitStatus.not_delivered)
    return session.scalars(select(Unit).where(Unit.estate_id == estate.id)).one()


def test_status_change_fires_the_unit_event(session, unit, recorder):
    unit_services.change_unit_status(session, unit, "delivered", reason="收楼")
    unit_services.change_unit_status(session, unit, UnitStatus.renovating)
    assert unit.status == UnitStatus.renovating
    assert [(e, d["from"], d["to"]) for _, e, d in recorder.events] == [
        ("status_changed", "not_delivered", "delivered"), ("status_changed", "delivered", "renovating")]
    assert recorder.events[0][2]["reason"] == "收楼"


def test_disallowed_and_unknown_statuses_change_nothing(session, unit, recorder):
    with pytest.raises(Conflict, match="cannot go from 'not_delivered' to 'moved_out'"):
        unit_services.change_unit_status(session, unit, "moved_out")
    with pytest.raises(ValidationError) as exc:
        unit_services.change_unit_status(session, unit, "flying")
    assert exc.value.field == "status"
    session.refresh(unit)
    assert unit.status == UnitStatus.not_delivered and recorder.events == []


def test_ownership_history_co_owners_and_transfer(session, unit, recorder):
    a, b, c = (Party(name=n) for n in ("甲", "乙", "丙"))
    session.add_all([a, b, c])
    session.flush()
    unit_services.add_relation(session, unit, a, "owner", start_on=dt.date(2024, 1, 1))
    unit_services.add_relation(session, unit, b, RelationKind.owner, start_on=dt.date(2024, 1, 1), share="1/2")
    assert {p.name for p in unit_services.owners_of(session, unit, dt.date(2025, 1, 1))} == {"甲", "乙"}
    unit_services.transfer_ownership(session, unit, [c], dt.date(2026, 3, 1))
    assert [p.name for p in unit_services.owners_of(session, unit, dt.date(2026, 3, 1))] == ["丙"]
    assert {p.name for p in unit_services.owners_of(session, unit, dt.date(2026, 2, 28))} == {"甲", "乙"}
    history = session.scalars(select(UnitRelation).where(UnitRelation.unit_id == unit.id)).all()
    assert len(history) == 3  # nothing deleted: the old owners' rows are ended, not removed
    assert sum(1 for _, e, _ in recorder.events if e == "owner_changed") == 2 + 2 + 1


def test_one_owner_with_several_units(session, make_estate):
    estate = make_estate(units=3)
    owner = Party(name="多套业主")
    session.add(owner)
    session.flush()
    for u in estate.buildings[0].units:
        unit_services.add_relation(session, u, owner, "owner", start_on=dt.date(2025, 5, 1))
    assert len(session.scalars(select(UnitRelation).where(UnitRelation.party_id == owner.id)).all()) == 3


def test_relation_dates_are_validated(session, unit):
    p = Party(name="租户")
    session.add(p)
    session.flush()
    with pytest.raises(ValidationError) as exc:
        unit_services.add_relation(session, unit, p, "tenant", start_on=dt.date(2026, 5, 1), end_on=dt.date(2026, 4, 1))
    assert exc.value.field == "end_on"
    rel = unit_services.add_relation(session, unit, p, "tenant", start_on=dt.date(2026, 5, 1))
    unit_services.end_relation(session, rel, dt.date(2026, 8, 31))
    with pytest.raises(Conflict):
        unit_services.end_relation(session, rel, dt.date(2026, 9, 30))
    assert rel.end_on == dt.date(2026, 8, 31)


def test_unit_label(session, unit):
    assert unit.label == "1-101"


def test_the_unit_service_is_the_one_source_of_the_delivery_date(session, unit):
    """Becoming delivered sets delivered_on (the business date given, else the estate's today);
    becoming notified sets notified_on; a later change keeps the date fees started from."""
    unit.delivered_on = None
    unit_services.change_unit_status(session, unit, "notified", on=dt.date(2026, 3, 2))
    assert (unit.notified_on, unit.delivered_on) == (dt.date(2026, 3, 2), None)
    unit_services.change_unit_status(session, unit, "delivered", on=dt.date(2026, 3, 20))
    assert unit.delivered_on == dt.date(2026, 3, 20)
    unit_services.change_unit_status(session, unit, "occupied", on=dt.date(2026, 5, 1))
    assert unit.delivered_on == dt.date(2026, 3, 20)


def test_delivery_without_a_date_takes_the_estates_today(session, unit):
    from core.clock import estate_today

    unit.delivered_on = None
    unit_services.change_unit_status(session, unit, "delivered")
    assert unit.delivered_on == estate_today(session, unit.estate)
