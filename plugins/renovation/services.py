"""Renovation business operations (装修管理, KF10/KF11). Each takes ``(session, actor, ...)``.

This module is the plugin's public API: applications and workers (``applications.py``), passes,
patrols and violations (``site.py``) and reports (``reports.py``) are re-exported here, beside the
workflow steps, extensions, acceptance checks and the deposit. Errors name the field and the fix;
nothing is changed when one is raised.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import activity
from core import workflow as wf
from core.db import utcnow
from core.errors import Conflict, ValidationError
from core.security.grants import require
from plugins.billing import services as billing
from plugins.renovation import settlement
from plugins.renovation.applications import (
    TRADES,
    active_application,
    add_worker,
    apply_for_renovation,
    get_application,
    update_application,
)
from plugins.renovation.common import attributed, ensure_estate
from plugins.renovation.models import (
    RenovationAcceptanceCheck,
    RenovationApplication,
    RenovationExtension,
    RenovationViolation,
)
from plugins.renovation.reports import deposits_held, units_under_renovation, violations_by_type_and_month
from plugins.renovation.site import (
    INSPECTION_KINDS,
    extend_passes,
    issue_pass,
    record_inspection,
    record_violation,
    return_pass,
    set_deduction,
    valid_passes,
    within_work_hours,
)

__all__ = [
    "ACCEPTANCE_CHECKS", "INSPECTION_KINDS", "TRADES", "active_application", "add_worker",
    "apply_for_renovation", "attach_drawing", "decide_extension", "deposits_held", "get_application", "hold_deposit",
    "issue_pass", "record_acceptance_check", "record_inspection", "record_violation", "request_extension",
    "return_pass", "set_deduction", "settle_deposit", "transition", "units_under_renovation",
    "update_application", "valid_passes", "violation_transition", "violations_by_type_and_month",
    "within_work_hours",
]

EXTENDABLE_STATES = ("permit_issued", "in_progress", "suspended", "rectification")
# Completion acceptance checklist (完工验收表, 001 L279).
ACCEPTANCE_CHECKS = ("structure", "pipes", "closed_water_test", "access_openings", "gas_position", "ac_units",
                     "downpipes", "flues", "water_heater_exhaust", "common_parts")


@attributed
def transition(session, actor, app: RenovationApplication, name: str, comment: str | None = None, **data):
    """Apply a step of ``renovation.application`` (``approve``, ``issue_permit``, ...) for ``actor``.

    A reviewer's ``comment`` is also kept as the step's opinion (初审/二审/审批意见).
    """
    ensure_estate(actor, app.estate_id)
    if comment and "opinion" not in data:
        data["opinion"] = comment
    return wf.apply(session, app, name, actor, comment=comment, **data)


@attributed
def violation_transition(session, actor, violation: RenovationViolation, name: str, comment: str | None = None,
                         **data):
    """Apply a step of ``renovation.violation``: ``start_rectifying``, ``escalate`` or ``verify``."""
    ensure_estate(actor, violation.estate_id)
    return wf.apply(session, violation, name, actor, comment=comment, **data)


@attributed
def attach_drawing(session, actor, app: RenovationApplication, filename: str, data: bytes, *,
                   content_type: str = "application/pdf"):
    """Attach a drawing (装修设计图纸) to the application; its name joins ``app.drawings``."""
    require(session, actor, "renovation.apply")
    ensure_estate(actor, app.estate_id)
    att = activity.attach(session, actor, app, filename, data, content_type=content_type)
    if att.filename not in app.drawings:
        app.drawings = [*app.drawings, att.filename]
    session.flush()
    return att


# --- the deposit -----------------------------------------------------------------------------------
@attributed
def hold_deposit(session, actor, app: RenovationApplication, *, amount_fen: int | None = None,
                 method: str = "cash"):
    """The cashier receives the deposit (装修保证金) into billing's ledger under the application's source."""
    require(session, actor, "renovation.confirm_payment")
    ensure_estate(actor, app.estate_id)
    if app.agreement_signed_at is None:
        raise Conflict(f"{app.number} has no signed agreement yet; the deposit is taken after signing",
                       field="status")
    held = billing.deposit_balance_fen(session, source=app.source)
    amount = app.deposit_required_fen - held if amount_fen is None else amount_fen
    if amount <= 0:
        raise ValidationError("nothing to hold: the required deposit is already held", field="amount_fen")
    return billing.hold_deposit(session, actor, unit=app.unit, amount_fen=amount, source=app.source,
                                method=method, reason=f"装修保证金 {app.number}")


@attributed
def settle_deposit(session, actor, app: RenovationApplication, *, approver, damage_fen: int = 0,
                   damage_reason: str = "", refund_fen: int | None = None, comment: str | None = None):
    """Settle the deposit: deduct violations and damage, refund the rest with ``approver``'s approval.

    A refund larger than the deposit, or deductions beyond it, raise ValidationError first.
    """
    ensure_estate(actor, app.estate_id)
    settlement.plan_settlement(session, app, damage_fen=damage_fen, damage_reason=damage_reason,
                               refund_fen=refund_fen)
    return wf.apply(session, app, "settle_deposit", actor, comment=comment, approver=approver,
                    damage_fen=damage_fen, damage_reason=damage_reason, refund_fen=refund_fen)


# --- extensions (延期) -------------------------------------------------------------------------------
@attributed
def request_extension(session, actor, app: RenovationApplication, *, requested_end: dt.date,
                      reason: str) -> RenovationExtension:
    """Record the applicant's request to move the planned end."""
    require(session, actor, "renovation.apply")
    ensure_estate(actor, app.estate_id)
    if app.status not in EXTENDABLE_STATES:
        raise Conflict(f"{app.number} is '{app.status}'; an extension is asked for while the permit runs",
                       field="status")
    if not isinstance(requested_end, dt.date) or requested_end <= app.planned_end:
        raise ValidationError(f"requested_end must be after the current planned end {app.planned_end}",
                              field="requested_end")
    if not reason.strip():
        raise ValidationError("give the reason for the extension", field="reason")
    pending = session.scalar(select(RenovationExtension).where(RenovationExtension.application_id == app.id,
                                                               RenovationExtension.status == "pending"))
    if pending is not None:
        raise Conflict(f"an extension to {pending.requested_end} is already waiting for a decision",
                       field="requested_end")
    ext = RenovationExtension(estate_id=app.estate_id, application_id=app.id, requested_end=requested_end,
                              previous_end=app.planned_end, reason=reason.strip(), requested_by_id=actor.id)
    session.add(ext)
    session.flush()
    return ext


@attributed
def decide_extension(session, actor, ext: RenovationExtension, *, approve: bool,
                     note: str = "") -> RenovationExtension:
    """Approve (the planned end and the worker passes move) or reject an extension request."""
    require(session, actor, "renovation.extend")
    ensure_estate(actor, ext.estate_id)
    if ext.status != "pending":
        raise Conflict(f"this extension was already {ext.status}", field="status")
    app = ext.application
    if approve and app.status not in EXTENDABLE_STATES:
        raise Conflict(f"{app.number} is '{app.status}'; it can no longer be extended", field="status")
    if not approve and not note.strip():
        raise ValidationError("say why the extension is refused", field="note")
    ext.status = "approved" if approve else "rejected"
    ext.approved_by_id = actor.id
    ext.decided_at = utcnow()
    ext.decision_note = note.strip()
    if approve:
        app.planned_end = ext.requested_end
        extend_passes(session, app)
    session.flush()
    return ext


# --- completion acceptance (完工验收) ------------------------------------------------------------------
@attributed
def record_acceptance_check(session, actor, app: RenovationApplication, *, kind: str, passed: bool,
                            checks: dict | None = None, rectification_items: str = "") -> RenovationAcceptanceCheck:
    """Engineering or customer service records its side of the acceptance for the current round."""
    require(session, actor, "renovation.accept")
    ensure_estate(actor, app.estate_id)
    if kind not in ("engineering", "cs"):
        raise ValidationError("kind must be 'engineering' or 'cs'", field="kind")
    if app.status != "acceptance":
        raise Conflict(f"{app.number} is '{app.status}'; start the acceptance first", field="status")
    checks = dict(checks or {})
    unknown = set(checks) - set(ACCEPTANCE_CHECKS)
    if unknown:
        raise ValidationError(f"unknown check(s) {', '.join(sorted(unknown))}; use {', '.join(ACCEPTANCE_CHECKS)}",
                              field="checks")
    if passed and not all(checks.values()):
        failed = ", ".join(k for k, v in checks.items() if not v)
        raise ValidationError(f"cannot pass with failed check(s): {failed}", field="passed")
    if not passed and not rectification_items.strip():
        raise ValidationError("list the items to rectify", field="rectification_items")
    existing = session.scalar(select(RenovationAcceptanceCheck).where(
        RenovationAcceptanceCheck.application_id == app.id, RenovationAcceptanceCheck.round == app.acceptance_round,
        RenovationAcceptanceCheck.kind == kind))
    if existing is not None:
        raise Conflict(f"the {kind} check of round {app.acceptance_round} is already recorded", field="kind")
    check = RenovationAcceptanceCheck(estate_id=app.estate_id, application_id=app.id, round=app.acceptance_round,
                                      kind=kind, passed=passed, checks=checks,
                                      rectification_items=rectification_items.strip(), checked_by_id=actor.id)
    session.add(check)
    session.flush()
    return check
