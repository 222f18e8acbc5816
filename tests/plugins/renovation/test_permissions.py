"""Every transition and every operation is refused to an actor without its permission (or outside
the estate), and the refusal changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import PermissionDenied
from core.security.grants import has_permission
from core.workflow import get_workflow, history
from plugins.renovation import services
from plugins.renovation.models import RenovationExtension, RenovationInspection, RenovationViolation
from plugins.renovation.permissions import PERMISSIONS
from plugins.renovation.workflows import APPLICATION_TRANSITIONS

TRANSITIONS = [t.name for t in APPLICATION_TRANSITIONS]


def _prepare(reno, name: str):
    """An application in a state where ``name`` may be applied, with its data (comment, approver)."""
    app = reno.apply()
    data: dict = {}
    on_path = {"receive": "submitted", "pass_cs_review": "cs_review", "reject": "cs_review",
               "pass_engineering_review": "engineering_review", "request_revision": "engineering_review",
               "approve": "manager_approval", "sign_agreement": "approved", "confirm_payment": "agreement_signed",
               "issue_permit": "fees_paid", "start": "permit_issued", "report_completion": "in_progress",
               "suspend": "in_progress", "begin_acceptance": "completion_reported", "accept": "acceptance",
               "require_rectification": "acceptance", "settle_deposit": "accepted", "close": "deposit_settled",
               "withdraw": "submitted", "resubmit": "engineering_review", "resume": "in_progress",
               "report_rectified": "acceptance"}
    reno.drive(app, on_path[name])
    if name == "confirm_payment":
        reno.pay(app)
    if name == "accept":
        reno.checks(app)
    if name == "resubmit":
        reno.step(app, "request_revision", "engineer", comment="补充图纸")
    if name == "resume":
        reno.step(app, "suspend", "cs_supervisor", comment="整改")
    if name == "report_rectified":
        reno.step(app, "require_rectification", "engineer", comment="整改")
    if name in ("reject", "request_revision", "suspend", "require_rectification", "withdraw"):
        data["comment"] = "因故"
    if name == "settle_deposit":
        data["approver"] = reno.approver
    return app, data


@pytest.mark.parametrize("name", TRANSITIONS)
def test_transition_refused_without_its_permission_and_allowed_with_it(reno, name):
    s = reno.session
    app, data = _prepare(reno, name)
    permission = get_workflow(s, "renovation.application").transition(name).permission
    lacking = [r for r in reno.actors if not has_permission(s, reno.actors[r], permission)]
    holding = [r for r in reno.actors if has_permission(s, reno.actors[r], permission)]
    assert lacking and holding, f"{permission}: every role or no role holds it"
    before, steps = app.status, len(history(s, app))
    for role in lacking:
        with pytest.raises(PermissionDenied, match=permission):
            reno.step(app, name, role, **data)
        assert app.status == before and len(history(s, app)) == steps
    reno.step(app, name, holding[0], **data)
    assert app.status != before
    assert len(history(s, app)) == steps + 1


def test_default_roles_follow_the_manual(reno):
    s, a = reno.session, reno.actors
    assert has_permission(s, a["cs_specialist"], "renovation.cs_review")
    assert not has_permission(s, a["cs_specialist"], "renovation.approve")
    assert has_permission(s, a["engineering_supervisor"], "renovation.engineering_review")
    assert has_permission(s, a["office_manager"], "renovation.approve")
    assert has_permission(s, a["cashier"], "renovation.confirm_payment")
    assert not has_permission(s, a["cashier"], "renovation.issue_permit")
    assert has_permission(s, a["guard"], "renovation.inspect")
    assert not has_permission(s, a["guard"], "renovation.suspend")
    assert has_permission(s, a["security_manager"], "renovation.suspend")
    assert {p.name for p in PERMISSIONS} >= {
        "renovation.apply", "renovation.cs_review", "renovation.engineering_review", "renovation.approve",
        "renovation.sign_agreement", "renovation.confirm_payment", "renovation.issue_permit", "renovation.start",
        "renovation.report_completion", "renovation.accept", "renovation.settle_deposit", "renovation.close",
        "renovation.withdraw", "renovation.reject", "renovation.suspend", "renovation.resume", "renovation.extend",
        "renovation.inspect", "renovation.record_violation"}


def test_operations_outside_the_workflow_need_their_permission(reno):
    s, a = reno.session, reno.actors
    with pytest.raises(PermissionDenied, match="renovation.apply"):
        reno.apply(actor="guard")
    app = reno.drive(reno.apply(), "in_progress")
    with pytest.raises(PermissionDenied, match="renovation.inspect"):
        services.record_inspection(s, a["cashier"], app, kind="cs")
    with pytest.raises(PermissionDenied, match="renovation.record_violation"):
        services.record_violation(s, a["cashier"], app, code="P01")
    ext = services.request_extension(s, a["cs_specialist"], app, requested_end=app.planned_end + dt.timedelta(days=9),
                                     reason="材料延迟")
    with pytest.raises(PermissionDenied, match="renovation.extend"):
        services.decide_extension(s, a["engineer"], ext, approve=True)
    assert ext.status == "pending"
    with pytest.raises(PermissionDenied, match="renovation.confirm_payment"):
        services.hold_deposit(s, a["engineer"], app, amount_fen=100)
    with pytest.raises(PermissionDenied, match="renovation.accept"):
        services.record_acceptance_check(s, a["guard"], app, kind="cs", passed=True)
    with pytest.raises(PermissionDenied, match="renovation.passes"):
        services.issue_pass(s, a["engineer"], app.workers[0])
    assert reno.count(RenovationInspection) == 0 and reno.count(RenovationViolation) == 0
    assert reno.count(RenovationExtension) == 1


def test_violation_steps_need_their_permission(reno):
    s, a = reno.session, reno.actors
    app = reno.drive(reno.apply(), "in_progress")
    v = services.record_violation(s, a["guard"], app, code="T11", description="垃圾堆放楼道")
    with pytest.raises(PermissionDenied, match="renovation.record_violation"):
        services.violation_transition(s, a["cashier"], v, "start_rectifying")
    with pytest.raises(PermissionDenied, match="renovation.inspect"):
        services.violation_transition(s, a["cashier"], v, "verify")
    assert v.status == "open"
    services.violation_transition(s, a["guard"], v, "verify")
    assert v.status == "verified"


def test_staff_of_another_estate_can_do_nothing(reno, make_estate, make_actor):
    other = make_estate("XX", units=1)
    stranger = make_actor("cs_specialist", estates=[other])
    app = reno.apply()
    with pytest.raises(PermissionDenied):
        services.apply_for_renovation(reno.session, stranger, unit=reno.units[1], applicant=reno.owner,
                                      planned_start=reno.today, planned_end=reno.today, scope=["flooring"],
                                      self_renovation=True, worker_guarantee_ref="x")
    with pytest.raises(PermissionDenied):
        services.transition(reno.session, stranger, app, "receive")
    assert app.status == "submitted"
