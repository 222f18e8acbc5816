"""Guards and effects of the renovation workflows (see ``workflows.py``).

A guard is ``guard(session, record, actor, **data) -> None | message``; the message says what is
missing and how to fix it. An effect is ``effect(session, record, actor, **data)`` and runs after
the engine has set the new state, in the same transaction. Money moves only through
``plugins.billing.services``; unit status only through ``core.services.units``.
"""

from __future__ import annotations

from sqlalchemy import select

from core.db import utcnow
from core.errors import ValidationError, WorkflowError
from core.models import StaffUser, UnitStatus
from core.security.grants import has_permission
from core.sequences import next_number
from core.services.units import ALLOWED_STATUS_CHANGES, change_unit_status
from plugins.billing import services as billing
from plugins.renovation import settlement, site, withdrawal
from plugins.renovation.common import local_today, yuan
from plugins.renovation.models import RenovationAcceptanceCheck, RenovationViolation
from plugins.renovation.settings import settings_of

# Fee items this plugin contributes to billing (wuye_billing_fee_items).
WASTE_FEE = "RENO_WASTE"
PASS_FEE = "RENO_PASS"


# --- small effect factories -------------------------------------------------------------------
def store_opinion(field: str):
    """Effect: keep the reviewer's ``opinion`` (初审/二审/审批意见) on the application."""

    def effect(session, record, actor, opinion: str | None = None, **data):
        if opinion:
            setattr(record, field, opinion)

    effect.__name__ = f"store_{field}"
    return effect


def stamp(field: str):
    """Effect: set ``field`` to now."""

    def effect(session, record, actor, **data):
        setattr(record, field, utcnow())

    effect.__name__ = f"stamp_{field}"
    return effect


# --- review ----------------------------------------------------------------------------------
def guard_plan_valid(session, app, actor, **data):
    if app.planned_end < app.planned_start:
        return (f"planned_end {app.planned_end} is before planned_start {app.planned_start}; "
                "correct the dates before resubmitting")
    if not app.scope:
        return "scope is empty: tick at least one scope item before resubmitting"
    return None


def guard_has_workers(session, app, actor, **data):
    if not app.workers:
        return ("no workers are listed: add each worker (name, ID number, trade) before signing the agreement; "
                "worker passes are charged per worker")
    return None


def post_fees(session, app, actor, **data):
    """Signing the agreement posts the waste-removal and pass fees and fixes the deposit expected."""
    cfg = settings_of(session)
    app.deposit_required_fen = cfg["deposit_fen"]
    app.agreement_signed_at = utcnow()
    waste = cfg["waste_fee_fen"]
    passes = cfg["pass_fee_fen"] * len(app.workers)
    if waste > 0:
        billing.post_charge(session, actor, unit=app.unit, fee_item_code=WASTE_FEE, amount_fen=waste,
                            source=app.source, description=f"装修垃圾清运费 {app.number}")
    if passes > 0:
        billing.post_charge(session, actor, unit=app.unit, fee_item_code=PASS_FEE, amount_fen=passes,
                            source=app.source,
                            description=f"装修人员出入证 {len(app.workers)} × {yuan(cfg['pass_fee_fen'])} {app.number}")
    app.waste_fee_fen = waste
    app.pass_fee_fen = passes


def payment_problems(session, app) -> list[str]:
    """What is still missing before the permit: unpaid charges and the deposit shortfall."""
    missing = []
    unpaid = billing.outstanding_fen(session, source=app.source)
    if unpaid:
        missing.append(f"charges of {yuan(unpaid)} yuan for {app.number} are still unpaid")
    held = billing.deposit_balance_fen(session, source=app.source)
    if held < app.deposit_required_fen:
        missing.append(f"the deposit is short by {yuan(app.deposit_required_fen - held)} yuan "
                       f"(held {yuan(held)} of {yuan(app.deposit_required_fen)})")
    return missing


def guard_paid(session, app, actor, **data):
    missing = payment_problems(session, app)
    if missing:
        return "not paid: " + "; ".join(missing) + "; collect them at the cashier first"
    return None


def issue_permit(session, app, actor, **data):
    """施工许可证: numbered RP-<year>-<n>; worker passes are issued with it, one per worker."""
    year = local_today(app.estate).year
    app.permit_no = next_number(session, "RP", estate_id=app.estate_id, year=year)
    app.permit_issued_at = utcnow()
    site.issue_passes_for_listed_workers(session, actor, app)


# --- works -----------------------------------------------------------------------------------
def mark_unit_renovating(session, app, actor, **data):
    unit = app.unit
    app.started_at = utcnow()
    app.previous_unit_status = UnitStatus(unit.status).value
    change_unit_status(session, unit, UnitStatus.renovating, actor=actor, reason=f"renovation {app.number}")


# When the status before works cannot follow "renovating" directly, the nearest one that can.
_RETURN_FALLBACK = {UnitStatus.deemed_delivered: UnitStatus.delivered, UnitStatus.moved_out: UnitStatus.vacant}


def restore_unit_status(session, app, actor, **data):
    """Acceptance (and closure) returns the unit to the status it had before works started."""
    unit = app.unit
    if UnitStatus(unit.status) != UnitStatus.renovating or not app.previous_unit_status:
        return
    previous = UnitStatus(app.previous_unit_status)
    if previous == UnitStatus.renovating:
        return  # it was already marked renovating by someone else; leave it to them
    if previous not in ALLOWED_STATUS_CHANGES[UnitStatus.renovating]:
        previous = _RETURN_FALLBACK.get(previous, UnitStatus.delivered)
    change_unit_status(session, unit, previous, actor=actor, reason=f"renovation {app.number} accepted")


def _violations(session, app, states) -> list[RenovationViolation]:
    stmt = (select(RenovationViolation).where(RenovationViolation.application_id == app.id,
                                              RenovationViolation.status.in_(states))
            .order_by(RenovationViolation.id))
    return list(session.scalars(stmt))


def guard_no_suspending_violation(session, app, actor, **data):
    blocking = [v for v in _violations(session, app, ("open", "escalated")) if v.suspended_works]
    if blocking:
        numbers = ", ".join(v.number for v in blocking)
        return f"works were stopped for violation(s) {numbers}: start their rectification before resuming"
    return None


def next_acceptance_round(session, app, actor, **data):
    app.acceptance_round = (app.acceptance_round or 0) + 1


def guard_no_open_violations(session, app, actor, **data):
    open_ = _violations(session, app, ("open", "rectifying", "escalated"))
    if open_:
        numbers = ", ".join(v.number for v in open_)
        return f"violation(s) {numbers} are still open: verify their rectification before acceptance"
    return None


def guard_both_checks_passed(session, app, actor, **data):
    checks = session.scalars(select(RenovationAcceptanceCheck).where(
        RenovationAcceptanceCheck.application_id == app.id,
        RenovationAcceptanceCheck.round == app.acceptance_round)).all()
    passed = {c.kind for c in checks if c.passed}
    missing = [label for kind, label in (("engineering", "engineering"), ("cs", "customer service"))
               if kind not in passed]
    if missing:
        return (f"acceptance needs a passed check by {' and '.join(missing)} in this round "
                "(record_acceptance_check); failed items go to rectification")
    return None


# --- money at the end ------------------------------------------------------------------------
def resolve_staff(session, value) -> StaffUser | None:
    """``approver`` as given: a StaffUser (Python callers), an id or a username (the JSON API)."""
    if value is None or isinstance(value, StaffUser):
        return value
    user = None
    if isinstance(value, int) and not isinstance(value, bool):
        user = session.get(StaffUser, value)
    elif isinstance(value, str) and value.strip():
        user = session.scalar(select(StaffUser).where(StaffUser.username == value.strip()))
    if user is None:
        raise ValidationError(f"approver {value!r} is not a staff member; give a staff id or username",
                              field="approver")
    return user


def guard_refund_approver(session, app, actor, approver=None, **data):
    # Without data (buttons list allowed transitions) the guard passes; the effect then insists.
    approver = resolve_staff(session, approver)
    if approver is None:
        return None
    if actor is not None and approver.id == actor.id:
        return "the refund approver must be a second person, not the one settling the deposit"
    if not has_permission(session, approver, "billing.approve_refund"):
        return f"{approver.username} does not hold billing.approve_refund and cannot approve the refund"
    return None


def _require_approver(approver, what: str) -> None:
    if approver is None:
        raise WorkflowError(f"{what} needs approver=<a second staff member holding billing.approve_refund>",
                            field="approver")


_SETTLEMENT_DATA = ("damage_fen", "damage_reason", "refund_fen")


def guard_settlement_plan(session, app, actor, damage_fen: int = 0, damage_reason: str = "",
                          refund_fen: int | None = None, **data):
    """Deductions must fit in the deposit; a refund larger than it is a ValidationError (nothing changes)."""
    try:
        settlement.plan_settlement(session, app, damage_fen=damage_fen, damage_reason=damage_reason,
                                   refund_fen=refund_fen)
    except ValidationError as exc:
        given = damage_fen or damage_reason or refund_fen is not None
        if given:
            raise
        return exc.message
    return None


def settle_deposit(session, app, actor, approver=None, damage_fen: int = 0, damage_reason: str = "",
                   refund_fen: int | None = None, **data):
    approver = resolve_staff(session, approver)
    _require_approver(approver, "settling the deposit")
    settlement.execute(session, actor, app, approver=approver, damage_fen=damage_fen,
                       damage_reason=damage_reason, refund_fen=refund_fen)


def guard_withdraw_refund(session, app, actor, approver=None, **data):
    approver = resolve_staff(session, approver)
    if approver is not None and billing.deposit_balance_fen(session, source=app.source):
        return guard_refund_approver(session, app, actor, approver=approver)
    return None


def guard_withdraw_charges(session, app, actor, approver=None, **data):
    """A partly paid charge blocks the withdrawal (see ``withdrawal.py``)."""
    return withdrawal.partly_paid_message(app, withdrawal.charges_on_withdrawal(session, app))


def reverse_charges_on_withdrawal(session, app, actor, approver=None, **data):
    """The charges the application posted and nobody paid are reversed (see ``withdrawal.py``)."""
    withdrawal.reverse_unpaid_charges(session, actor, app)


def refund_on_withdrawal(session, app, actor, approver=None, **data):
    held = billing.deposit_balance_fen(session, source=app.source)
    if held:
        approver = resolve_staff(session, approver)
        _require_approver(approver, f"withdrawing with a deposit of {yuan(held)} yuan held (it is refunded)")
        billing.refund_deposit(session, actor, source=app.source, amount_fen=None, approved_by=approver)


def cancel_open_passes(session, app, actor, **data):
    site.cancel_passes(session, actor, app)


# --- violations ------------------------------------------------------------------------------
def store_escalation(session, violation, actor, escalated_to: str = "", **data):
    if escalated_to:
        violation.escalated_to = escalated_to


def stamp_verified(session, violation, actor, note: str = "", **data):
    violation.verified_at = utcnow()
    violation.verified_by_id = actor.id if actor is not None else None
    if note:
        violation.rectification_note = note
