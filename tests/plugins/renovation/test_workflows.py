"""The branches off the happy path: revision loop, rejection, violation with a deduction, acceptance
rectification, suspension and withdrawal; billing's ledger is checked at each step."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import Conflict, PermissionDenied, WorkflowError
from core.models import UnitStatus
from core.workflow import history
from plugins.billing import services as billing
from plugins.renovation import services
from plugins.renovation.models import RenovationSettlement, RenovationViolation


def balance(reno, app) -> int:
    return billing.deposit_balance_fen(reno.session, source=app.source)


def outstanding(reno, app) -> int:
    return billing.outstanding_fen(reno.session, source=app.source)


def test_revision_loop_back_to_initial_review(reno):
    app = reno.drive(reno.apply(), "engineering_review")
    reno.step(app, "request_revision", "engineer", comment="补充卫生间防水做法")
    assert app.status == "revision_requested" and app.engineering_opinion == "补充卫生间防水做法"
    new_end = app.planned_end + dt.timedelta(days=10)
    services.update_application(reno.session, reno.actors["cs_specialist"], app,
                                scope=["wall_finish", "waterproofing", "bathroom"], planned_end=new_end)
    reno.step(app, "resubmit", "cs_specialist")
    assert app.status == "cs_review" and app.planned_end == new_end and "waterproofing" in app.scope
    reno.step(app, "pass_cs_review", "cs_specialist")
    reno.step(app, "pass_engineering_review", "engineer", comment="防水方案可行")
    assert app.status == "manager_approval"
    assert [h.to_state for h in history(reno.session, app)] == [
        "cs_review", "engineering_review", "revision_requested", "cs_review", "engineering_review",
        "manager_approval"]
    with pytest.raises(Conflict):  # the plan is frozen once it is back under review
        services.update_application(reno.session, reno.actors["cs_specialist"], app, scope_notes="late change")


def test_request_revision_needs_a_comment(reno):
    app = reno.drive(reno.apply(), "engineering_review")
    with pytest.raises(WorkflowError, match="comment"):
        reno.step(app, "request_revision", "engineer")
    assert app.status == "engineering_review"


def test_rejection_is_final_and_charges_nothing(reno):
    app = reno.drive(reno.apply(), "manager_approval")
    reno.step(app, "reject", "office_manager", comment="涉及承重墙拆除,不予批准")
    assert app.status == "rejected" and app.is_final
    assert (outstanding(reno, app), balance(reno, app)) == (0, 0)
    with pytest.raises(WorkflowError):
        reno.step(app, "approve", "office_manager")
    # a rejected application no longer blocks the unit
    assert reno.apply().status == "submitted"


def test_violation_with_deduction_suspends_blocks_acceptance_and_is_deducted(reno):
    s = reno.session
    app = reno.drive(reno.apply(), "in_progress")
    assert balance(reno, app) == 200000
    insp = services.record_inspection(s, reno.actors["engineer"], app, kind="engineering", findings=["P03"],
                                      notes="拆除承重墙一处")
    # an engineer may record a violation but not stop the works: nothing is written
    with pytest.raises(PermissionDenied, match="renovation.suspend"):
        services.record_violation(s, reno.actors["engineer"], app, code="P03", deduction_fen=50000, suspend=True)
    assert app.status == "in_progress" and reno.count(RenovationViolation) == 0
    v = services.record_violation(s, reno.actors["chief_engineer"], app, code="P03", description="拆除承重墙",
                                  inspection=insp, deduction_fen=50000, suspend=True)
    assert v.number == f"RV-{reno.today.year}-000001" and v.status == "open" and v.suspended_works
    assert app.status == "suspended"
    assert services.valid_passes(s, reno.estate) == []  # no entry while the works are stopped
    with pytest.raises(WorkflowError, match=v.number):
        reno.step(app, "resume", "cs_supervisor")
    services.violation_transition(s, reno.actors["engineer"], v, "start_rectifying")
    reno.step(app, "resume", "cs_supervisor")
    assert app.status == "in_progress" and len(services.valid_passes(s, reno.estate)) == 2
    reno.step(app, "report_completion", "cs_specialist")
    reno.step(app, "begin_acceptance", "engineer")
    reno.checks(app)
    with pytest.raises(WorkflowError, match=v.number):
        reno.step(app, "accept", "engineer")
    assert app.status == "acceptance" and reno.units[0].status == UnitStatus.renovating
    services.violation_transition(s, reno.actors["engineer"], v, "verify", note="已恢复墙体并经设计单位确认")
    assert v.status == "verified" and v.verified_by_id == reno.actors["engineer"].id
    reno.step(app, "accept", "engineer")
    reno.settle(app, damage_fen=20000, damage_reason="电梯轿厢划伤")
    assert app.status == "deposit_settled" and balance(reno, app) == 0
    st = s.query(RenovationSettlement).filter_by(application_id=app.id).one()
    assert (st.deposit_fen, st.violation_deductions_fen, st.damage_fen, st.refund_fen) == (200000, 50000, 20000,
                                                                                           130000)
    report = services.violations_by_type_and_month(s, reno.estate)
    assert [(r["code"], r["count"], r["deduction_fen"]) for r in report] == [("P03", 1, 50000)]


def test_escalated_violation_still_blocks_acceptance(reno):
    s = reno.session
    app = reno.drive(reno.apply(), "in_progress")
    v = services.record_violation(s, reno.actors["cs_specialist"], app, code="P12", description="封包燃气管")
    services.violation_transition(s, reno.actors["cs_specialist"], v, "escalate", comment="拒不整改,报燃气公司",
                                  escalated_to="燃气公司")
    assert v.status == "escalated" and v.escalated_to == "燃气公司"
    reno.step(app, "report_completion", "cs_specialist")
    reno.step(app, "begin_acceptance", "engineer")
    reno.checks(app)
    with pytest.raises(WorkflowError, match="still open"):
        reno.step(app, "accept", "engineer")


def test_failed_acceptance_loops_through_rectification(reno):
    app = reno.drive(reno.apply(), "acceptance")
    reno.checks(app, passed=False)
    with pytest.raises(WorkflowError, match="engineering"):
        reno.step(app, "accept", "engineer")
    reno.step(app, "require_rectification", "engineer", comment="雨水管被包封,需留检修口")
    reno.step(app, "report_rectified", "cs_specialist")
    assert app.status == "acceptance" and app.acceptance_round == 2
    reno.checks(app)
    reno.step(app, "accept", "engineer")
    assert app.status == "accepted" and reno.units[0].status == UnitStatus.occupied


def test_withdrawal_before_payment(reno):
    app = reno.drive(reno.apply(), "approved")
    reno.step(app, "withdraw", "cs_specialist", comment="业主决定暂缓装修")
    assert app.status == "withdrawn" and (outstanding(reno, app), balance(reno, app)) == (0, 0)


def test_withdrawal_with_the_deposit_held_refunds_it_with_a_second_persons_approval(reno):
    s = reno.session
    app = reno.drive(reno.apply(), "permit_issued")
    assert balance(reno, app) == 200000 and len(services.valid_passes(s, reno.estate)) == 2
    with pytest.raises(WorkflowError, match="approver"):
        reno.step(app, "withdraw", "cs_specialist", comment="房屋出售")
    assert app.status == "permit_issued" and balance(reno, app) == 200000
    reno.step(app, "withdraw", "cs_specialist", comment="房屋出售", approver=reno.approver)
    assert app.status == "withdrawn" and balance(reno, app) == 0
    assert services.valid_passes(s, reno.estate) == []
    assert reno.units[0].status == UnitStatus.occupied  # works never started


def test_withdrawal_is_impossible_once_works_started(reno):
    app = reno.drive(reno.apply(), "in_progress")
    with pytest.raises(WorkflowError):
        reno.step(app, "withdraw", "cs_specialist", comment="too late", approver=reno.approver)
    assert app.status == "in_progress"


def test_suspension_without_a_violation_and_resume(reno):
    app = reno.drive(reno.apply(), "in_progress")
    reno.step(app, "suspend", "security_manager", comment="超时施工噪音扰民")
    assert app.status == "suspended"
    reno.step(app, "resume", "office_manager")
    assert app.status == "in_progress"
