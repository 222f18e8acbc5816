"""Bad input gets a clear error naming the field, and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from marshmallow import ValidationError as MmValidationError

from core import utcnow
from core.errors import Conflict, PermissionDenied, ValidationError, WorkflowError
from core.models import UnitStatus
from core.sequences import peek
from core.workflow import history
from plugins.billing import services as billing
from plugins.renovation import services
from plugins.renovation.models import (
    RenovationApplication,
    RenovationSettlement,
    RenovationViolation,
    RenovationWorker,
    RenovationWorkerPass,
)
from plugins.renovation.schemas import ApplicationSchema, ViolationSchema


def nothing_written(reno) -> bool:
    return (reno.count(RenovationApplication), reno.count(RenovationWorker)) == (0, 0) and \
        peek(reno.session, "RN", estate_id=reno.estate.id, year=reno.today.year) == 0


def test_active_renovation_on_the_unit_is_a_conflict_naming_it(reno):
    first = reno.apply()
    with pytest.raises(Conflict, match=first.number) as err:
        reno.apply()
    assert err.value.field == "unit_id"
    assert reno.count(RenovationApplication) == 1
    # still blocked half-way through the works
    reno.drive(first, "in_progress")
    with pytest.raises(Conflict, match=first.number):
        reno.apply()


def test_end_before_start_names_planned_end(reno):
    with pytest.raises(ValidationError) as err:
        reno.apply(planned_start=reno.today + dt.timedelta(days=10), planned_end=reno.today + dt.timedelta(days=9))
    assert "planned_end" in err.value.errors and "before planned_start" in err.value.message
    assert nothing_written(reno)


@pytest.mark.parametrize("kw, field", [
    ({"scope": []}, "scope"),
    ({"scope": ["demolish_everything"]}, "scope"),
    ({"contractor_licence_no": ""}, "contractor_licence_no"),
    ({"self_renovation": True}, "worker_guarantee_ref"),
    ({"undertakings": ["U99"]}, "undertakings"),
    ({"workers": [{"name": "赵电工", "id_number": "320102", "trade": "electrician"}]}, "workers.skill_certificate_no"),
    ({"workers": [{"name": "", "id_number": "320102"}]}, "workers.name"),
    ({"workers": [{"name": "A", "id_number": "1"}, {"name": "B", "id_number": "1"}]}, "workers"),
    ({"budget": 5}, "budget"),
])
def test_bad_application_fields(reno, kw, field):
    with pytest.raises(ValidationError) as err:
        reno.apply(**kw)
    assert field in err.value.errors or err.value.field == field
    assert nothing_written(reno)


def test_applicant_must_be_owner_or_consenting_occupant(reno, session):
    from core.models import Party

    stranger = Party(name="路人甲")
    session.add(stranger)
    session.flush()
    with pytest.raises(ValidationError) as err:
        reno.apply(applicant=stranger)
    assert err.value.field == "applicant_id"
    with pytest.raises(ValidationError) as err:  # the tenant of unit 2, without consent
        reno.apply(reno.units[1], applicant=reno.tenant)
    assert "consent_document" in err.value.errors
    with pytest.raises(ValidationError) as err:  # consent by someone who is not an owner
        reno.apply(reno.units[1], applicant=reno.tenant, consenting_owner=stranger, consent_document="同意书")
    assert err.value.field == "consenting_owner_id"
    assert nothing_written(reno)


def test_ownership_is_checked_on_the_application_date(reno):
    with pytest.raises(ValidationError) as err:
        reno.apply(applied_on=dt.date(2023, 6, 1))  # before the owner's relation began
    assert err.value.field == "applicant_id"


def test_unit_not_handed_over(reno):
    unit = reno.units[2]
    unit.status = UnitStatus.not_delivered
    reno.session.flush()
    with pytest.raises(ValidationError) as err:
        reno.apply(unit)
    assert err.value.field == "unit_id" and nothing_written(reno)


def test_permit_before_payment_is_refused_and_says_what_is_missing(reno):
    s = reno.session
    app = reno.drive(reno.apply(), "agreement_signed")
    with pytest.raises(WorkflowError) as err:
        reno.step(app, "confirm_payment", "cashier")
    assert "320.00 yuan" in err.value.message and "deposit is short by 2000.00" in err.value.message
    with pytest.raises(WorkflowError):  # the permit cannot skip the payment step
        reno.step(app, "issue_permit", "cs_specialist")
    reno.pay(app, deposit=False)
    with pytest.raises(WorkflowError) as err:
        reno.step(app, "confirm_payment", "cashier")
    assert "unpaid" not in err.value.message and "deposit is short by 2000.00" in err.value.message
    services.hold_deposit(s, reno.actors["cashier"], app, amount_fen=150000)
    with pytest.raises(WorkflowError, match="short by 500.00"):
        reno.step(app, "confirm_payment", "cashier")
    assert app.status == "agreement_signed" and app.permit_no is None
    assert reno.count(RenovationWorkerPass) == 0
    services.hold_deposit(s, reno.actors["cashier"], app)  # the remaining 500 yuan
    reno.step(app, "confirm_payment", "cashier")
    assert app.status == "fees_paid"


def test_acceptance_with_an_open_violation_is_refused(reno):
    app = reno.drive(reno.apply(), "in_progress")
    v = services.record_violation(reno.session, reno.actors["cs_specialist"], app, code="T04",
                                  description="午休时间电钻施工")
    reno.step(app, "report_completion", "cs_specialist")
    reno.step(app, "begin_acceptance", "engineer")
    reno.checks(app)
    steps = len(history(reno.session, app))
    with pytest.raises(WorkflowError, match=v.number):
        reno.step(app, "accept", "engineer")
    assert app.status == "acceptance" and len(history(reno.session, app)) == steps
    assert reno.units[0].status == UnitStatus.renovating


def _accepted_with_violation(reno, deduction):
    app = reno.drive(reno.apply(), "in_progress")
    v = services.record_violation(reno.session, reno.actors["cs_specialist"], app, code="T11",
                                  deduction_fen=deduction)
    services.violation_transition(reno.session, reno.actors["cs_specialist"], v, "verify")
    return reno.drive(app, "accepted")


def test_refund_larger_than_the_deposit_is_refused(reno):
    app = reno.drive(reno.apply(), "accepted")
    with pytest.raises(ValidationError) as err:
        reno.settle(app, refund_fen=200001)
    assert err.value.field == "refund_fen" and "larger than the deposit" in err.value.message
    with pytest.raises(ValidationError) as err:  # less than the balance with no deduction: must be all of it
        reno.settle(app, refund_fen=100)
    assert err.value.field == "refund_fen"
    assert app.status == "accepted" and reno.count(RenovationSettlement) == 0
    assert billing.deposit_balance_fen(reno.session, source=app.source) == 200000
    reno.settle(app, refund_fen=200000)
    assert app.status == "deposit_settled"


def test_deductions_beyond_the_deposit_are_refused(reno):
    app = _accepted_with_violation(reno, 150000)
    with pytest.raises(ValidationError) as err:
        reno.settle(app, damage_fen=60000, damage_reason="消防栓损坏")
    assert err.value.field == "damage_fen"
    with pytest.raises(ValidationError) as err:
        reno.settle(app, damage_fen=1000)  # a damage deduction needs its reason
    assert err.value.field == "damage_reason"
    assert billing.deposit_balance_fen(reno.session, source=app.source) == 200000 and app.status == "accepted"
    reno.settle(app, damage_fen=50000, damage_reason="消防栓损坏")
    assert billing.deposit_balance_fen(reno.session, source=app.source) == 0


def test_settlement_needs_a_second_person_who_may_approve_refunds(reno):
    app = reno.drive(reno.apply(), "accepted")
    settler = reno.actors["cs_supervisor"]
    with pytest.raises(WorkflowError, match="approver"):
        services.transition(reno.session, settler, app, "settle_deposit")
    with pytest.raises(WorkflowError, match="second person"):
        services.settle_deposit(reno.session, reno.actors["cashier"], app, approver=reno.actors["cashier"])
    with pytest.raises(WorkflowError, match="billing.approve_refund"):
        services.settle_deposit(reno.session, settler, app, approver=reno.actors["engineer"])
    assert app.status == "accepted" and billing.deposit_balance_fen(reno.session, source=app.source) == 200000


def test_violation_input(reno):
    s = reno.session
    app = reno.apply()
    with pytest.raises(Conflict):  # no violations before the works
        services.record_violation(s, reno.actors["cs_specialist"], app, code="P01")
    reno.drive(app, "in_progress")
    with pytest.raises(ValidationError) as err:
        services.record_violation(s, reno.actors["cs_specialist"], app, code="P15")
    assert err.value.field == "code"
    with pytest.raises(ValidationError) as err:
        services.record_violation(s, reno.actors["cs_specialist"], app, code="P01",
                                  deadline=reno.today - dt.timedelta(days=1))
    assert err.value.field == "deadline"
    with pytest.raises(ValidationError) as err:
        services.record_violation(s, reno.actors["cs_specialist"], app, code="P01", deduction_fen=-5)
    assert err.value.field == "deduction_fen"
    assert reno.count(RenovationViolation) == 0


def test_inspection_input(reno):
    s = reno.session
    app = reno.drive(reno.apply(), "in_progress")
    with pytest.raises(ValidationError):
        services.record_inspection(s, reno.actors["cs_specialist"], app, kind="neighbour")
    with pytest.raises(ValidationError):
        services.record_inspection(s, reno.actors["cs_specialist"], app, kind="cs", findings=["X1"])
    with pytest.raises(ValidationError):
        services.record_inspection(s, reno.actors["cs_specialist"], app, kind="cs",
                                   at=utcnow() + dt.timedelta(hours=2))
    with pytest.raises(PermissionDenied):  # a CS specialist cannot log the manager's patrol
        services.record_inspection(s, reno.actors["cs_specialist"], app, kind="manager")


def test_schema_rejects_what_the_services_reject():
    base = {"unit_id": 1, "applicant_id": 2, "scope": ["flooring"], "planned_start": "2026-05-10",
            "planned_end": "2026-05-01", "contractor_name": "某公司"}
    with pytest.raises(MmValidationError) as err:
        ApplicationSchema().load(base)
    assert "planned_end" in err.value.messages
    with pytest.raises(MmValidationError) as err:
        ApplicationSchema().load({**base, "planned_end": "2026-06-01", "scope": ["moat"], "colour": "red"})
    assert set(err.value.messages) == {"scope", "colour"}
    assert ApplicationSchema().load({**base, "planned_end": "2026-06-01"})["planned_end"] == dt.date(2026, 6, 1)
    with pytest.raises(MmValidationError) as err:
        ViolationSchema().load({"application_id": 1, "code": "P03", "deduction_fen": -1})
    assert "deduction_fen" in err.value.messages
