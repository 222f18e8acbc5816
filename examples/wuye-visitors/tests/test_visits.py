"""Visitor register operations (``wuye_visitors/visits.py``)."""

from __future__ import annotations

import datetime as dt

import pytest

from core import Conflict, PermissionDenied, ValidationError, business_date
from wuye_visitors import services
from wuye_visitors.models import Visit
from wuye_visitors.visits import dashboard_cards


def test_guard_registers_a_visit_and_its_departure(session, estate, unit, guard):
    visit = services.register_visit(session, guard, {"unit_id": unit.id, "visitor_name": "  张三 "})
    assert visit.visitor_name == "张三" and visit.status == "inside" and visit.left_at is None
    assert visit.estate_id == estate.id and visit.registered_by_id == guard.id
    assert services.inside_now(session, estate.id) == [visit]
    services.register_departure(session, guard, visit)
    assert visit.status == "left" and visit.left_at is not None
    assert services.inside_now(session, estate.id) == []
    with pytest.raises(Conflict):
        services.register_departure(session, guard, visit)


def test_bad_input_and_missing_permission_write_nothing(session, unit, make_actor, estate, guard):
    cleaner = make_actor("cleaner", estates=[estate])
    with pytest.raises(ValidationError) as err:
        services.register_visit(session, guard, {"unit_id": unit.id, "visitor_name": " "})
    assert err.value.field == "visitor_name"
    with pytest.raises(ValidationError) as err:
        services.register_visit(session, guard, {"unit_id": unit.id})
    assert err.value.field == "visitor_name"
    with pytest.raises(PermissionDenied):
        services.register_visit(session, cleaner, {"unit_id": unit.id, "visitor_name": "李四"})
    assert session.query(Visit).count() == 0


def test_a_guard_of_another_estate_cannot_register_here(session, make_estate, make_actor, unit):
    elsewhere = make_actor("guard", estates=[make_estate("XX")])
    with pytest.raises(PermissionDenied):
        services.register_visit(session, elsewhere, {"unit_id": unit.id, "visitor_name": "李四"})


def test_numbers_follow_the_business_date_year(session, unit, guard):
    with business_date(session, dt.date(2031, 2, 1)):
        first = services.register_visit(session, guard, {"unit_id": unit.id, "visitor_name": "王五"})
        second = services.register_visit(session, guard, {"unit_id": unit.id, "visitor_name": "赵六"})
    assert (first.number, second.number) == ("VS-2031-000001", "VS-2031-000002")


def test_visits_on_counts_the_estates_local_day(session, estate, unit, guard):
    early = services.register_visit(session, guard, {"unit_id": unit.id, "visitor_name": "早"})
    late = services.register_visit(session, guard, {"unit_id": unit.id, "visitor_name": "晚"})
    # 2031-03-01 in Shanghai runs from 2031-02-28 16:00 to 2031-03-01 16:00 UTC
    early.arrived_at = dt.datetime(2031, 2, 28, 16, 30, tzinfo=dt.UTC)
    late.arrived_at = dt.datetime(2031, 3, 1, 16, 30, tzinfo=dt.UTC)
    session.flush()
    with business_date(session, dt.date(2031, 3, 1)):
        assert services.visits_on(session, estate) == [early]
    assert services.visits_on(session, estate, dt.date(2031, 3, 2)) == [late]


def test_update_corrects_the_visitor_but_not_the_unit(session, estate, unit, guard):
    visit = services.register_visit(session, guard, {"unit_id": unit.id, "visitor_name": "孙七"})
    services.update_visit(session, guard, visit, {"visitor_phone": " 13912345678 ", "purpose": "送货"})
    assert (visit.visitor_phone, visit.purpose) == ("13912345678", "送货")
    other = estate.buildings[0].units[1]
    with pytest.raises(ValidationError) as err:
        services.update_visit(session, guard, visit, {"unit_id": other.id})
    assert err.value.field == "unit_id"


def test_dashboard_card_counts_visitors_inside(session, unit, guard, make_actor, estate):
    services.register_visit(session, guard, {"unit_id": unit.id, "visitor_name": "周八"})
    (card,) = dashboard_cards(guard)
    assert (card.title_zh, card.value, card.level) == ("在访访客", 1, "warning")
    assert dashboard_cards(make_actor("cleaner", estates=[estate])) == []
