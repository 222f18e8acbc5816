"""The complaint's workflow (``plugins/complaints/workflows.py``): the steps and what they store,
escalation to the manager or the company on classification, and the rule that the person complained
about never handles the complaint (transitions and assignment)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core import PermissionDenied, ValidationError, WorkflowError, apply, current_assignment
from core.models.notification import Notification
from plugins.complaints import services


def notified(session, event: str, complaint) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.event == event,
                                                           Notification.record_id == complaint.id)))


def test_the_happy_path_stores_each_step(session, register, walk, owner):
    c = register()
    walk(c, "acknowledge", "investigate", "reply", "verify", "close")
    assert c.status == "closed" and c.valid is True and c.category == "repairs" and c.department == "engineering"
    assert (c.investigation, c.reply, c.corrective_action) == ("灯管老化", "已更换灯管", "每周巡检楼道灯")
    assert (c.verification, c.satisfaction) == ("复查灯已亮", "satisfied")
    assert c.replied_at is not None and c.closed_at is not None
    # the complainant on file is told the reply (in-app and SMS to the owner)
    told = notified(session, "complaints.replied", c)
    assert told and {n.party_id for n in told} == {owner.id}


def test_the_reply_needs_the_investigation_and_the_reply(session, register, walk, supervisor):
    c = walk(register(), "acknowledge", "investigate")
    with pytest.raises(WorkflowError) as err:
        apply(session, c, "reply", supervisor, investigation="查明原因", reply=" ")
    assert "reply" in str(err.value)
    assert c.status == "investigating" and c.reply == ""


def test_classification_needs_a_category_and_a_department(session, register, supervisor):
    c = register()
    with pytest.raises(WorkflowError) as err:
        apply(session, c, "acknowledge", supervisor, category="repairs", department="")
    assert "department" in str(err.value)
    assert c.status == "received" and c.valid is None


@pytest.mark.parametrize(("severity", "level", "roles"), [
    ("major", "manager", {"cs_center_manager", "office_manager"}),
    ("serious", "company", {"cs_center_manager", "office_manager", "general_manager", "quality_dept"}),
])
def test_major_and_serious_complaints_are_reported_at_once(session, register, supervisor, staff, estate,
                                                            severity, level, roles):
    people = {role: staff(role, estates=[estate]) for role in
              ("cs_center_manager", "office_manager", "general_manager", "quality_dept")}
    c = register()
    apply(session, c, "acknowledge", supervisor, category="service_attitude", department="security",
          severity=severity)
    assert c.escalated_to == level
    told = {n.staff_id for n in notified(session, "complaints.escalated", c)}
    assert told == {people[r].id for r in roles}


def test_an_ordinary_complaint_tells_nobody_at_classification(session, register, walk):
    c = walk(register(), "acknowledge")
    assert c.escalated_to == "" and notified(session, "complaints.escalated", c) == []


def test_not_valid_closes_with_the_reason(session, register, walk):
    c = walk(register(), "close_invalid")
    assert c.status == "closed_invalid" and c.valid is False and c.invalid_reason == "非物业责任"


def test_reopen_sends_it_back_to_investigation(session, register, walk):
    c = walk(register(), "acknowledge", "investigate", "reply", "verify", "close", "reopen")
    assert c.status == "investigating" and c.closed_at is None


def test_a_clerk_may_not_verify(session, register, walk, clerk):
    c = walk(register(), "acknowledge", "investigate", "reply")
    with pytest.raises(PermissionDenied):
        apply(session, c, "verify", clerk, verification="ok", satisfaction="satisfied")


# --- 回避: the person complained about never handles the complaint ----------------------------------

@pytest.fixture
def about_butler(register, butler):
    return register(summary="管家态度差", category="service_attitude", subject_staff_id=butler.id)


def test_the_person_complained_about_may_take_no_step(session, about_butler, walk, staff, estate):
    boss = staff("cs_supervisor", estates=[estate])
    with pytest.raises(WorkflowError) as err:
        apply(session, about_butler, "acknowledge", about_butler.subject_staff,
              category="service_attitude", department="customer_service")
    assert "handled by someone else" in str(err.value)
    assert about_butler.status == "received"
    with pytest.raises(WorkflowError):
        apply(session, about_butler, "close_invalid", about_butler.subject_staff, comment="无理投诉")
    assert about_butler.status == "received" and about_butler.valid is None
    walk(about_butler, "acknowledge", "investigate", actor=boss)
    assert about_butler.status == "investigating"


def test_a_supervisor_complained_about_cannot_classify_it_either(session, register, supervisor, staff, estate):
    c = register(summary="主管推诿")
    with pytest.raises(WorkflowError):
        apply(session, c, "acknowledge", supervisor, category="service_attitude", department="customer_service",
              subject_staff_id=supervisor.id)
    assert c.status == "received" and c.subject_staff_id is None
    other = staff("cs_supervisor", estates=[estate])
    apply(session, c, "acknowledge", other, category="service_attitude", department="customer_service",
          subject_staff_id=supervisor.id)
    with pytest.raises(WorkflowError):
        apply(session, c, "investigate", supervisor)
    assert c.status == "acknowledged"


def test_the_rule_holds_for_transitions_the_guards_do_not_see(session, about_butler):
    """``wuye_before_transition`` vetoes too (a transition another plugin adds has no guard of ours)."""
    from plugins.complaints.workflows import COMPLAINT, guard_transition

    with pytest.raises(WorkflowError):
        guard_transition(about_butler, COMPLAINT.transitions[0], about_butler.subject_staff)
    assert guard_transition(about_butler, COMPLAINT.transitions[0], None) is None


def test_assigning_it_to_the_person_complained_about_is_refused(session, about_butler, supervisor, butler, clerk):
    with pytest.raises(ValidationError) as err:
        services.assign_complaint(session, supervisor, about_butler, butler)
    assert "assignee" in err.value.errors
    assert current_assignment(session, about_butler) is None
    row = services.assign_complaint(session, supervisor, about_butler, clerk)
    assert row.assignee_id == clerk.id and current_assignment(session, about_butler).assignee_id == clerk.id


def test_core_assignment_refuses_the_person_complained_about_by_every_path(session, about_butler, supervisor, butler,
                                                                          clerk):
    # through the hook wuye_check_assignee: core's own assign (the admin's 指派 form, the API) and a
    # round robin that would come to him both refuse or skip him
    from core import assign, dispatch
    from core.models.assignment import DispatchMode, DispatchRule, Team, TeamMember

    with pytest.raises(ValidationError) as err:
        assign(session, about_butler, assignee=butler, actor=supervisor)
    assert "回避" in str(err.value.errors["assignee"][0]) and current_assignment(session, about_butler) is None
    team = Team(estate_id=about_butler.estate_id, name="客服组")
    session.add(team)
    session.flush()
    session.add_all([TeamMember(team_id=team.id, staff_id=butler.id, position=0),
                     TeamMember(team_id=team.id, staff_id=clerk.id, position=1)])
    session.add(DispatchRule(estate_id=about_butler.estate_id, category="complaints", mode=DispatchMode.round_robin,
                             team_id=team.id))
    session.flush()
    row = dispatch(session, about_butler, "complaints", supervisor)
    assert row.assignee_id == clerk.id  # his turn came first; he is skipped
