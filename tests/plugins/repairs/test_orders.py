"""Repair orders: registering, the intake route, dispatch (assign, grab, round robin), completion
with a photo by the technician holding the order, paid repairs charged through billing, rework and
estate scoping."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core import PermissionDenied, ValidationError, WorkflowError, current_assignment
from core.intake import register_intake, route_intake
from core.models.assignment import DispatchMode, DispatchRule, Team, TeamMember
from plugins.billing import services as billing
from plugins.repairs import services
from plugins.repairs.models import RepairOrder
from plugins.repairs.statistics import statistics
from plugins.repairs.visits import closed_between, reopen_for_rework


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(RepairOrder))


def test_register_numbers_the_order_and_starts_received(rp):
    o = rp.order()
    assert o.number.startswith("RP-") and o.number.endswith("-000001")
    assert (o.status, o.estate_id, o.received_by_id, o.paid) == ("received", rp.a.id, rp.clerk.id, False)


def test_bad_input_names_the_field_and_writes_nothing(rp):
    before = count(rp.session)
    with pytest.raises(ValidationError) as e:
        rp.order(description="")
    assert "description" in e.value.errors
    with pytest.raises(ValidationError) as e:
        services.register_order(rp.session, rp.clerk, estate_id=rp.a.id, description="大堂灯不亮")
    assert "location" in e.value.errors
    with pytest.raises(ValidationError) as e:
        rp.order(estate_id=rp.b.id)  # the unit is of estate A
    assert "unit_id" in e.value.errors
    with pytest.raises(ValidationError) as e:
        rp.order(category_id=None, paid=True, unit_id=None, estate_id=rp.a.id, location="大堂")
    assert "paid" in e.value.errors
    assert count(rp.session) == before


def test_a_phone_report_is_routed_from_the_reception_desk(rp):
    intake = register_intake(rp.session, rp.clerk, unit_id=rp.units[0].id, party_id=rp.owner.id, channel="phone",
                             category="repair", summary="卫生间漏水", content="楼上渗水到卫生间天花板")
    o = route_intake(rp.session, intake, rp.clerk)
    assert isinstance(o, RepairOrder)
    assert (o.intake_id, o.unit_id, o.reporter_party_id, o.channel) == (intake.id, rp.units[0].id, rp.owner.id, "phone")
    assert o.description == "楼上渗水到卫生间天花板" and o.received_at == intake.received_at
    assert intake.routed_table == "repairs_orders" and intake.routed_id == o.id


def test_dispatch_offers_the_order_to_the_team_to_grab(rp):
    team = Team(estate_id=rp.a.id, name="水电班", members=[TeamMember(staff_id=rp.t1.id, position=1),
                                                        TeamMember(staff_id=rp.t2.id, position=2)])
    rp.session.add(team)
    rp.session.flush()
    rp.session.add(DispatchRule(estate_id=rp.a.id, category="repairs.plumbing", mode=DispatchMode.grab, team_id=team.id))
    o = rp.order()
    services.transition(rp.session, rp.clerk, o, "dispatch")
    held = current_assignment(rp.session, o)
    assert (held.team_id, held.assignee_id) == (team.id, None)
    with pytest.raises(WorkflowError):  # not yet grabbed: nobody may accept it
        services.transition(rp.session, rp.t2, o, "accept")
    services.grab_order(rp.session, rp.t2, o)
    services.transition(rp.session, rp.t2, o, "accept")
    assert o.status == "accepted" and current_assignment(rp.session, o).assignee_id == rp.t2.id


def test_round_robin_takes_turns(rp):
    team = Team(estate_id=rp.a.id, name="综合维修班", members=[TeamMember(staff_id=rp.t1.id, position=1),
                                                          TeamMember(staff_id=rp.t2.id, position=2)])
    rp.session.add(team)
    rp.session.flush()
    rp.session.add(DispatchRule(estate_id=rp.a.id, category="repairs.general", mode=DispatchMode.round_robin,
                                team_id=team.id))
    got = []
    for _ in range(3):
        o = rp.order(category_id=None)
        services.transition(rp.session, rp.clerk, o, "dispatch")
        got.append(current_assignment(rp.session, o).assignee_id)
    assert got == [rp.t1.id, rp.t2.id, rp.t1.id]


def test_completing_needs_a_photo(rp):
    o = rp.to_in_progress(rp.order())
    with pytest.raises(WorkflowError) as e:
        services.transition(rp.session, rp.t1, o, "complete", diagnosis="更换三通")
    assert "photo" in str(e.value)
    assert o.status == "in_progress" and o.completed_at is None
    rp.photo(o)
    services.transition(rp.session, rp.t1, o, "complete", diagnosis="更换三通")
    assert o.status == "completed" and o.diagnosis == "更换三通" and o.completed_at is not None


def test_a_technician_cannot_complete_another_technicians_order(rp):
    o = rp.to_in_progress(rp.order(), tech=rp.t1)
    rp.photo(o)
    with pytest.raises(WorkflowError) as e:
        services.transition(rp.session, rp.t2, o, "complete")
    assert "only he" in str(e.value)
    assert o.status == "in_progress"
    services.transition(rp.session, rp.sup, o, "complete")  # the supervisor may
    assert o.status == "completed"


def test_a_paid_repair_is_charged_only_after_the_owner_accepted_the_price(rp):
    o = rp.to_in_progress(rp.order(category_id=rp.paid_cat.id))
    assert o.paid and o.labour_fen == 5000  # the category's price-list labour
    services.set_price(rp.session, rp.sup, o, labour_fen=5000, material_fen=3850)
    rp.photo(o)
    services.transition(rp.session, rp.t1, o, "complete")
    with pytest.raises(WorkflowError) as e:
        services.transition(rp.session, rp.clerk, o, "confirm")
    assert "accepted the price" in str(e.value)
    assert o.status == "completed" and billing.charges_for(rp.session, source=o.source) == []
    services.accept_price(rp.session, rp.clerk, o)
    services.transition(rp.session, rp.clerk, o, "confirm")
    [line] = billing.charges_for(rp.session, source=o.source)
    assert (line.amount_fen, line.unit_id) == (8850, rp.units[0].id)  # 50.00 labour + 38.50 materials
    assert (line.fee_item.code, line.fee_item.category) == ("REPAIR_PAID", "repair")  # 维修费
    assert billing.outstanding_fen(rp.session, source=o.source) == 8850
    assert o.charge_posted and o.satisfaction == "satisfied"


def test_quote_path_for_work_outside_the_price_list(rp):
    o = rp.order(on_price_list=False)
    services.assign_technician(rp.session, rp.sup, o, rp.t1)
    services.transition(rp.session, rp.clerk, o, "dispatch")
    with pytest.raises(WorkflowError):
        services.transition(rp.session, rp.t1, o, "accept")  # not on the price list
    services.transition(rp.session, rp.sup, o, "assess")
    with pytest.raises(WorkflowError):
        services.transition(rp.session, rp.sup, o, "send_quote")  # no price yet
    services.set_price(rp.session, rp.sup, o, labour_fen=12000, material_fen=0)
    services.transition(rp.session, rp.sup, o, "send_quote")
    services.transition(rp.session, rp.clerk, o, "accept_quote")
    assert o.status == "accepted" and o.quote_accepted_at is not None
    with pytest.raises(ValidationError) as e:
        services.set_price(rp.session, rp.sup, o, labour_fen=1)
    assert "labour_fen" in e.value.errors


def test_rework_and_the_return_visit_source(rp):
    import datetime as dt

    o = rp.to_in_progress(rp.order())
    rp.photo(o)
    services.transition(rp.session, rp.t1, o, "complete")
    services.transition(rp.session, rp.clerk, o, "confirm")
    services.transition(rp.session, rp.clerk, o, "close")
    since, until = o.closed_at - dt.timedelta(minutes=1), o.closed_at + dt.timedelta(minutes=1)
    [row] = closed_between(rp.session, since, until)
    assert (row["record_id"], row["unit_id"], row["party_id"], row["handled_by_id"]) == (
        o.id, rp.units[0].id, rp.owner.id, rp.t1.id)
    assert closed_between(rp.session, until, until + dt.timedelta(hours=1)) == []
    reopen_for_rework(rp.session, o.id, None, "回访不满意：仍有渗水")
    assert (o.status, o.rework_count, o.satisfaction, o.closed_at) == ("reopened", 1, "unsatisfied", None)
    services.transition(rp.session, rp.t1, o, "start")
    assert o.status == "in_progress"


def test_staff_of_another_estate_cannot_see_or_change_the_orders(rp):
    o = rp.order()
    with pytest.raises(PermissionDenied):
        services.register_order(rp.session, rp.clerk_b, unit_id=rp.units[1].id, description="门锁坏")
    with pytest.raises(PermissionDenied):
        services.transition(rp.session, rp.clerk_b, o, "dispatch")
    with pytest.raises(PermissionDenied):
        services.assign_technician(rp.session, rp.clerk_b, o, rp.tech_b)
    assert o.status == "received" and current_assignment(rp.session, o) is None
    assert statistics(rp.session, rp.clerk_b, since=o.received_at, until=o.received_at.replace(year=2100)) == {
        "technicians": [], "categories": []}


def test_statistics_per_technician_and_category(rp):
    o = rp.to_in_progress(rp.order())
    rp.photo(o)
    services.transition(rp.session, rp.t1, o, "complete")
    rp.order(category_id=None)
    stats = statistics(rp.session, rp.sup, since=o.received_at.replace(year=2000),
                       until=o.received_at.replace(year=2100))
    cats = {r["label"]: (r["count"], r["on_time"]) for r in stats["categories"]}
    assert cats == {"水管": (1, 1), "—": (1, 1)}
    techs = {r["label"]: r["count"] for r in stats["technicians"]}
    assert techs[str(rp.t1)] == 1 and techs["—"] == 1


def test_the_return_visits_plugin_finds_the_repairs_source(wuye):
    if "return_visits" not in wuye.order:
        pytest.skip("return_visits is not enabled in this instance")
    found = [s for group in wuye.hook.wuye_return_visit_sources() for s in group]
    [source] = [s for s in found if s["source"] == "repairs.order"]
    assert source["record_table"] == "repairs_orders" and source["closed_between"] is closed_between


def test_a_warranty_repair_is_routed_to_the_developer(rp):
    plain = rp.order()
    with pytest.raises(WorkflowError) as e:
        services.transition(rp.session, rp.clerk, plain, "route_to_developer", comment="开发商保修")
    assert "warranty" in str(e.value) and plain.status == "received"
    o = rp.order(warranty=True)
    services.transition(rp.session, rp.clerk, o, "route_to_developer", comment="交房一年内，转开发商维修")
    assert o.status == "to_developer" and current_assignment(rp.session, o) is None
