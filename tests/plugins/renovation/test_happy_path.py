"""The whole happy path of an application, checking billing's ledger and the unit at each step."""

from __future__ import annotations

import datetime as dt

from core import activity
from core.models import UnitStatus
from core.workflow import history
from plugins.billing import services as billing
from plugins.renovation import services
from plugins.renovation.models import RenovationSettlement, RenovationWorkerPass


def ledger(reno, app):
    return (billing.outstanding_fen(reno.session, source=app.source),
            billing.deposit_balance_fen(reno.session, source=app.source))


def test_happy_path_from_application_to_closure(reno):
    s = reno.session
    unit = reno.units[0]
    assert unit.status == UnitStatus.occupied
    app = reno.apply(unit, drawings=["平面图.pdf", "水电图.pdf"], undertakings=["U01"])
    year = reno.today.year
    assert app.number == f"RN-{year}-000001"
    assert app.status == "submitted" and app.applicant_kind == "owner"
    assert [w.name for w in app.workers] == ["孙立", "钱峰"]
    assert app.drawings == ["平面图.pdf", "水电图.pdf"]
    created = [e for e in activity.timeline(s, app) if e.action == "create"]
    assert [e.actor_id for e in created] == [reno.actors["cs_specialist"].id]  # attributable
    att = services.attach_drawing(s, reno.actors["cs_specialist"], app, "电路图.pdf", b"%PDF-1.4 ...")
    assert app.drawings[-1] == "电路图.pdf" and [a.id for a in activity.attachments(s, app)] == [att.id]

    reno.step(app, "receive", "cs_specialist")
    reno.step(app, "pass_cs_review", "cs_specialist", comment="资料齐全")
    assert app.cs_opinion == "资料齐全"
    reno.step(app, "pass_engineering_review", "engineer", comment="不涉及承重结构")
    reno.step(app, "approve", "office_manager")
    assert app.status == "approved" and app.engineering_opinion == "不涉及承重结构"
    assert ledger(reno, app) == (0, 0)  # nothing charged before the agreement

    reno.step(app, "sign_agreement", "cs_specialist")
    # waste fee 300 yuan + 2 workers × 10 yuan posted; 2,000 yuan deposit expected
    assert app.deposit_required_fen == 200000
    assert (app.waste_fee_fen, app.pass_fee_fen) == (30000, 2000)
    assert ledger(reno, app) == (32000, 0)
    charged = {line.fee_item.code: line.amount_fen for line in billing.charges_for(s, source=app.source)}
    assert charged == {"RENO_WASTE": 30000, "RENO_PASS": 2000}

    reno.pay(app, deposit=False)
    assert ledger(reno, app) == (0, 0)
    services.hold_deposit(s, reno.actors["cashier"], app)
    assert ledger(reno, app) == (0, 200000)

    reno.step(app, "confirm_payment", "cashier")
    reno.step(app, "issue_permit", "cs_specialist")
    assert app.permit_no == f"ZX-{year}-000001"
    passes = s.query(RenovationWorkerPass).filter_by(application_id=app.id).order_by(RenovationWorkerPass.id).all()
    assert [p.id_number for p in passes] == [w.id_number for w in app.workers]
    assert all(p.expires_on == app.planned_end and p.status == "issued" for p in passes)

    reno.step(app, "start", "cs_specialist")
    assert unit.status == UnitStatus.renovating and app.previous_unit_status == "occupied"
    assert [r["number"] for r in services.units_under_renovation(s, reno.estate)] == [app.number]
    assert services.deposits_held(s, reno.estate) == {
        "rows": [{"number": app.number, "unit": unit.label, "status": "in_progress", "deposit_fen": 200000,
                  "required_fen": 200000}], "total_fen": 200000}

    reno.step(app, "report_completion", "cs_specialist")
    reno.step(app, "begin_acceptance", "engineer")
    assert app.acceptance_round == 1
    reno.checks(app)
    reno.step(app, "accept", "engineer")
    assert unit.status == UnitStatus.occupied  # back to what it was before the works
    assert services.units_under_renovation(s, reno.estate) == []

    reno.settle(app)
    assert app.status == "deposit_settled"
    assert ledger(reno, app) == (0, 0)  # refunded in full: no violations, no damage
    settlement = s.query(RenovationSettlement).filter_by(application_id=app.id).one()
    assert (settlement.deposit_fen, settlement.refund_fen, settlement.violation_deductions_fen) == (200000, 200000, 0)
    assert settlement.approved_by_id == reno.approver.id
    assert services.deposits_held(s, reno.estate)["total_fen"] == 0

    reno.step(app, "close", "cs_supervisor")
    assert app.status == "closed" and app.closed_at is not None
    assert {p.status for p in passes} == {"cancelled"}  # passes not handed back are cancelled
    steps = [h.transition for h in history(s, app)]
    assert steps == ["receive", "pass_cs_review", "pass_engineering_review", "approve", "sign_agreement",
                     "confirm_payment", "issue_permit", "start", "report_completion", "begin_acceptance", "accept",
                     "settle_deposit", "close"]


def test_a_closed_renovation_frees_the_unit_for_a_new_application(reno):
    first = reno.drive(reno.apply(), "closed")
    second = reno.apply(planned_start=reno.today + dt.timedelta(days=90),
                        planned_end=reno.today + dt.timedelta(days=120))
    assert second.number != first.number and second.status == "submitted"


def test_occupant_applies_with_the_owners_written_consent(reno):
    app = reno.apply(reno.units[1], applicant=reno.tenant, consenting_owner=reno.owner,
                     consent_document="业主同意装修书 2026-031")
    assert app.applicant_kind == "occupant"
    assert app.consenting_owner_id == reno.owner.id and app.consent_document == "业主同意装修书 2026-031"


def test_self_renovation_needs_the_workers_guarantee_letter(reno):
    app = reno.apply(self_renovation=True, worker_guarantee_ref="身份担保书 A-17")
    assert app.self_renovation and app.contractor_name == ""
    reno.drive(app, "in_progress")
    assert reno.units[0].status == UnitStatus.renovating


def test_waste_fee_and_pass_fee_follow_the_config(reno, wuye):
    settings = wuye.settings("renovation")
    app = reno.drive(reno.apply(), "agreement_signed")
    assert app.waste_fee_fen == settings["waste_fee_fen"]
    assert app.pass_fee_fen == settings["pass_fee_fen"] * 2
    assert app.deposit_required_fen == settings["deposit_fen"]
