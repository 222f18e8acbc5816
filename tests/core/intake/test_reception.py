"""Reception records (来电来访登记): registering, routing to a plugin's handler, answering at the desk."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.errors import Conflict, PermissionDenied, ValidationError
from core.intake import answer_intake, register_intake, route_intake
from core.models.activity import Activity
from core.models.intake import Intake, IntakeStatus
from core.testing import boot
from tests.core.intake.conftest import T0
from tests.core.plugin_factory import PluginTree
from tests.core.workflow_fixture_plugin import WfTicket, wf_tables_fixture  # noqa: F401

# A test plugin taking over repairs through the hook wuye_intake_handlers: a repair call becomes a ticket.
REPAIRS_HOOKS = """
from core.intake import IntakeHandler


def _ticket(session, intake, actor):
    from tests.core.workflow_fixture_plugin.wftest.models import WfTicket

    return WfTicket(estate_id=intake.estate_id, title=intake.summary, contact_phone=intake.caller_phone)


@hookimpl
def wuye_intake_handlers():
    return [IntakeHandler("repair", "Route to repairs", "转派到报修", _ticket, permission="core.intake.route")]
"""


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(Intake))


def test_a_call_about_a_unit_is_registered_in_the_units_estate_and_numbered(world):
    s = world.session
    intake = register_intake(s, world.clerk_a, unit_id=world.units_a[0].id, caller_name="王先生",
                             caller_phone="13912345678", channel="phone", category="inquiry",
                             summary="物业费怎么交", received_at=T0)
    assert (intake.estate_id, intake.number, intake.status) == (world.a.id, "JD-2026-000001", IntakeStatus.new)
    assert intake.received_by_id == world.clerk_a.id and intake.received_at == T0
    second = register_intake(s, world.clerk_a, estate_id=world.a.id, caller_phone="13900000000",
                             category="praise", summary="保安很负责", now=T0)
    assert second.number == "JD-2026-000002" and second.received_at == T0  # received_at defaults to now
    trail = s.scalars(select(Activity).where(Activity.record_table == "core_intakes",
                                             Activity.record_id == str(intake.id))).all()
    assert [(t.action, t.actor_id) for t in trail] == [("create", world.clerk_a.id)]
    assert trail[0].changes["caller_phone"][1] == "139****5678"  # masked in the trail


def test_a_walk_in_stranger_with_only_a_phone_and_a_known_owner(world):
    s = world.session
    stranger = register_intake(s, world.clerk_a, estate_id=world.a.id, caller_phone="021-5555 1234",
                               channel="walk_in", category="help", summary="借梯子", now=T0)
    assert (stranger.party_id, stranger.caller_name, stranger.caller_phone) == (None, "", "021-5555 1234")
    owner = world.party("李四", "13811112222")
    known = register_intake(s, world.clerk_a, unit_id=world.units_a[1].id, party_id=owner.id,
                            category="repair", summary="水管漏水", now=T0)
    assert (known.caller_name, known.caller_phone) == ("李四", "13811112222")  # filled from the register


@pytest.mark.parametrize("data, field, words", [
    ({"summary": "x"}, "category", "required"),
    ({"category": "inquiry"}, "summary", "required"),
    ({"category": "gossip", "summary": "x"}, "category", "must be one of"),
    ({"category": "inquiry", "summary": "x", "channel": "fax"}, "channel", "must be one of"),
    ({"category": "inquiry", "summary": "x", "caller_phone": "call me"}, "caller_phone", "digits"),
    ({"category": "inquiry", "summary": "x", "caller_phone": ""}, "caller_phone", "caller's phone"),
    ({"category": "inquiry", "summary": "x", "received_at": "2026-07-01T10:00:00"}, "received_at", "time"),
    ({"category": "inquiry", "summary": "x", "received_at": "2026-07-02T10:00:00+08:00"}, "received_at", "future"),
    ({"category": "inquiry", "summary": "x", "party_id": 999999}, "party_id", "no party"),
])
def test_bad_input_names_the_field_and_writes_nothing(world, data, field, words):
    base = {"estate_id": world.a.id, "caller_phone": "13912345678"}
    with pytest.raises(ValidationError) as exc:
        register_intake(world.session, world.clerk_a, now=T0, **{**base, **data})
    assert field in exc.value.errors, exc.value.errors
    assert words in str(exc.value.errors[field]).lower() or words in exc.value.message.lower()
    assert count(world.session) == 0


def test_no_unit_and_no_estate_or_a_unit_of_another_estate_is_refused(world):
    s = world.session
    with pytest.raises(ValidationError) as exc:
        register_intake(s, world.clerk_a, caller_phone="13912345678", category="inquiry", summary="x", now=T0)
    assert "give the unit" in str(exc.value.errors["estate_id"][0].en)
    with pytest.raises(ValidationError) as exc:
        register_intake(s, world.clerk_a, estate_id=world.a.id, unit_id=world.units_b[0].id,
                        caller_phone="13912345678", category="inquiry", summary="x", now=T0)
    assert "another estate" in exc.value.errors["estate_id"][0].en
    assert count(s) == 0


def test_staff_of_one_estate_cannot_register_for_another(world):
    with pytest.raises(PermissionDenied):
        register_intake(world.session, world.clerk_a, unit_id=world.units_b[0].id, caller_phone="13912345678",
                        category="inquiry", summary="x", now=T0)
    assert count(world.session) == 0


@pytest.fixture
def repairs_instance(tmp_path, wf_tables):  # noqa: F811
    tree = PluginTree(tmp_path)
    tree.add("intakerep", hooks=REPAIRS_HOOKS)
    return boot(["intakerep"], search=tree.search)


def test_a_repair_call_is_routed_to_the_plugin_that_handles_repairs(world, repairs_instance):
    s = world.session
    s.info["wuye"] = repairs_instance  # the instance with a plugin implementing wuye_intake_handlers
    intake = register_intake(s, world.clerk_a, unit_id=world.units_a[0].id, caller_phone="13912345678",
                             category="repair", summary="厨房水管漏水", now=T0)
    ticket = route_intake(s, intake, world.clerk_a)
    assert isinstance(ticket, WfTicket) and ticket.title == "厨房水管漏水" and ticket.estate_id == world.a.id
    assert (intake.status, intake.routed_table, intake.routed_id) == (IntakeStatus.routed, "wftest_tickets", ticket.id)
    with pytest.raises(Conflict, match="already routed"):
        route_intake(s, intake, world.clerk_a)
    with pytest.raises(ValidationError, match="go to Route to repairs"):  # the plugin follows it up, not the desk
        answer_intake(s, register_intake(s, world.clerk_a, estate_id=world.a.id, caller_phone="13912345678",
                                         category="repair", summary="灯不亮", now=T0), world.clerk_a, "好的")
    with pytest.raises(PermissionDenied):  # staff of estate B cannot route estate A's calls
        route_intake(s, register_intake(s, world.clerk_a, estate_id=world.a.id, caller_phone="13912345678",
                                        category="repair", summary="门坏了", now=T0), world.clerk_b)


@pytest.fixture(scope="module")
def core_only():
    """An instance with no plugin: nobody handles repairs, complaints or help requests."""
    return boot([])


def test_routing_with_no_handler_enabled_says_which_plugin_and_changes_nothing(world, core_only):
    s = world.session
    s.info["wuye"] = core_only
    intake = register_intake(s, world.clerk_a, estate_id=world.a.id, caller_phone="13912345678",
                             category="complaint", summary="噪音", now=T0)
    with pytest.raises(ValidationError) as exc:
        route_intake(s, intake, world.clerk_a)
    assert exc.value.field == "category" and "complaints plugin" in exc.value.message
    s.refresh(intake)
    assert (intake.status, intake.routed_table, intake.routed_id) == (IntakeStatus.new, "", None)
    inquiry = register_intake(s, world.clerk_a, estate_id=world.a.id, caller_phone="13912345678",
                              category="inquiry", summary="停车费多少", now=T0)
    with pytest.raises(ValidationError, match="answered here at the front desk"):
        route_intake(s, inquiry, world.clerk_a)


def test_an_inquiry_is_answered_at_the_desk(world, core_only):
    s = world.session
    s.info["wuye"] = core_only  # no repairs plugin: the desk answers a repair call too (below)
    intake = register_intake(s, world.clerk_a, estate_id=world.a.id, caller_phone="13912345678",
                             category="inquiry", summary="停车费多少", now=T0)
    with pytest.raises(ValidationError) as exc:
        answer_intake(s, intake, world.clerk_a, "   ")
    assert exc.value.field == "reply" and intake.status == IntakeStatus.new
    answer_intake(s, intake, world.clerk_a, "每月 300 元", now=T0 + dt.timedelta(minutes=3))
    assert (intake.status, intake.reply, intake.replied_by_id) == (IntakeStatus.answered, "每月 300 元", world.clerk_a.id)
    assert intake.replied_at == T0 + dt.timedelta(minutes=3)
    with pytest.raises(Conflict, match="already answered"):
        answer_intake(s, intake, world.clerk_a, "again")
    # with no repairs plugin enabled, the desk may answer a repair call itself
    repair = register_intake(s, world.clerk_a, estate_id=world.a.id, caller_phone="13912345678",
                             category="repair", summary="灯不亮", now=T0)
    assert answer_intake(s, repair, world.clerk_a, "已告知自行更换灯泡").status == IntakeStatus.answered


def test_two_plugins_handling_one_category_is_reported(tmp_path, world):
    from core.errors import PluginError
    from core.intake.handlers import check_handlers, intake_handlers

    tree = PluginTree(tmp_path)
    tree.add("intakerep", hooks=REPAIRS_HOOKS)
    tree.add("intakerep2", hooks=REPAIRS_HOOKS)
    # caught at startup, naming both plugins and the fix
    with pytest.raises(PluginError, match="intake category 'repair' is handled by both plugin 'intakerep' and "
                                          "plugin 'intakerep2'; disable one of them"):
        boot(["intakerep", "intakerep2"], search=tree.search)
    instance = boot(["intakerep"], search=tree.search)
    problems: list[str] = []
    check_handlers(instance, problems)
    assert problems == []
    world.session.info["wuye"] = instance
    assert list(intake_handlers(world.session)) == ["repair"]


def test_a_wrong_number_is_closed_with_its_reason(world):
    from core.intake import close_intake

    s = world.session
    intake = register_intake(s, world.clerk_a, estate_id=world.a.id, caller_phone="13912345678",
                             category="other", summary="打错电话", now=T0)
    with pytest.raises(ValidationError) as exc:
        close_intake(s, intake, world.clerk_a, "")
    assert exc.value.field == "reason" and intake.status == IntakeStatus.new
    with pytest.raises(PermissionDenied):
        close_intake(s, intake, world.clerk_b, "not theirs")
    close_intake(s, intake, world.clerk_a, "打错电话", now=T0)
    assert (intake.status, intake.reply, intake.replied_at) == (IntakeStatus.closed, "打错电话", T0)
    with pytest.raises(Conflict, match="already closed"):
        close_intake(s, intake, world.clerk_a, "again")
