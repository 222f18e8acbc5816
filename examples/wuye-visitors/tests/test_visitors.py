"""Tests of the example plugin, using the fixtures Wuye ships (pytest plugin ``wuye``)."""

import pytest
from sqlalchemy import inspect

from core import Conflict, PermissionDenied, ValidationError
from core.testing import boot
from wuye_visitors import services
from wuye_visitors.models import Visit


@pytest.fixture
def visitors_tables(engine):
    # The shared test schema holds the in-tree plugins' tables; add ours (idempotent), before the
    # test's session opens its transaction.
    Visit.__table__.create(engine, checkfirst=True)
    return engine


@pytest.fixture
def visitors_grants(visitors_tables, seeded):
    # Seed the grants of an instance with this plugin enabled (the shared one has only in-tree plugins).
    from core.seed import seed_roles

    seed_roles(seeded, boot(["visitors"], use_entry_points=True).registry)


def test_plugin_boots_alone_through_its_entry_point():
    wuye = boot(["visitors"], use_entry_points=True)
    assert wuye.order == ["visitors"]
    assert wuye.manifests["visitors"].source.startswith("entry point")
    assert wuye.registry.table_owner["visitors_visits"] == "visitors"
    assert "visitors.register" in wuye.registry.permissions


def test_guard_registers_a_visit_and_its_departure(visitors_grants, session, make_estate, make_actor):
    assert "visitors_visits" in inspect(session.connection()).get_table_names()
    estate = make_estate()
    unit = estate.buildings[0].units[0]
    guard = make_actor("guard", estates=[estate])
    visit = services.register_visit(session, guard, unit=unit, visitor_name="  张三 ")
    assert visit.visitor_name == "张三" and visit.left_at is None
    assert services.inside_now(session, estate.id) == [visit]
    services.register_departure(session, guard, visit)
    assert services.inside_now(session, estate.id) == []
    with pytest.raises(Conflict):
        services.register_departure(session, guard, visit)


def test_bad_input_and_missing_permission_write_nothing(visitors_grants, session, make_estate, make_actor):
    estate = make_estate()
    unit = estate.buildings[0].units[0]
    guard = make_actor("guard", estates=[estate])
    cleaner = make_actor("cleaner", estates=[estate])
    with pytest.raises(ValidationError) as err:
        services.register_visit(session, guard, unit=unit, visitor_name=" ")
    assert err.value.field == "visitor_name"
    with pytest.raises(PermissionDenied):
        services.register_visit(session, cleaner, unit=unit, visitor_name="李四")
    assert session.query(Visit).count() == 0
