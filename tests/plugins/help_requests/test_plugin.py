"""The help_requests plugin alone (core only): it boots, its settings are checked at startup, and the
company's reply limit moves the reply deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.assignment.escalation import escalate_overdue
from core.errors import PluginError
from core.models import Building, Estate, Role, StaffUser, Unit
from core.seed import seed_all
from core.testing import boot
from plugins.help_requests import services
from tests.plugins.help_requests.conftest import T0


@pytest.fixture(scope="module")
def alone():
    return boot(enabled=["help_requests"], plugin_settings={"help_requests": {"reply_minutes": 10}})


@pytest.fixture
def alone_session(alone, engine):
    """A rolled-back session on the test database that belongs to the help_requests-only instance."""
    conn = engine.connect()
    trans = conn.begin()
    s = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False, info={"wuye": alone})
    try:
        yield s
    finally:
        s.close()
        trans.rollback()
        conn.close()


def test_boots_with_core_only(alone):
    assert alone.order == ["help_requests"] and alone.manifests["help_requests"].depends == []
    assert set(alone.registry.workflows) == {"help_requests.request"}
    assert {p for p in alone.registry.permissions if p.startswith("help_requests.")} == {
        "help_requests.view", "help_requests.register", "help_requests.handle", "help_requests.answers"}
    assert alone.registry.tables_of("help_requests") == ["help_requests_answers", "help_requests_requests"]
    assert alone.settings("help_requests") == {"reply_minutes": 10, "written_reply_days": 2}


@pytest.mark.parametrize("value", [0, 1441, "30"])
def test_a_bad_reply_limit_stops_startup_naming_the_key(value):
    with pytest.raises(PluginError) as err:
        boot(enabled=["help_requests"], plugin_settings={"help_requests": {"reply_minutes": value}})
    assert "[plugins.help_requests] 'reply_minutes'" in "\n".join(err.value.problems)


def test_the_companys_reply_limit_sets_the_deadline_and_the_escalation(alone_session):
    s = alone_session
    seed_all(s, s.info["wuye"])
    estate = Estate(code="HL", name="Alone")
    s.add(estate)
    s.flush()
    building = Building(estate_id=estate.id, code="1")
    s.add(building)
    s.flush()
    unit = Unit(estate_id=estate.id, building_id=building.id, room_no="101")
    s.add(unit)
    clerk = StaffUser(username="hl_clerk", roles=[s.scalar(select(Role).where(Role.name == "cs_specialist"))],
                      estates=[estate])
    s.add(clerk)
    s.flush()
    request = services.register_request(s, clerk, {"unit_id": unit.id, "category": "elderly",
                                                   "caller_phone": "13900000000"}, now=T0)
    assert request.reply_due_at == T0 + dt.timedelta(minutes=10)
    assert escalate_overdue(s, T0 + dt.timedelta(minutes=9))["escalated"] == 0
    assert escalate_overdue(s, T0 + dt.timedelta(minutes=10))["items"][0]["escalate_to"] == "cs_supervisor"
