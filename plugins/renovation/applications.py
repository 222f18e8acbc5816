"""Renovation applications (装修申请审批表) and their workers: receiving, correcting, drawings,
listing workers; the review guards on the plan.

Public through ``plugins.renovation.services``. Errors name the field and the fix; nothing is
changed when one is raised.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import (
    Conflict,
    NotFound,
    Text,
    ValidationError,
    add_attachment,
    attributed,
    authorize,
    current_relations,
    estate_today,
    next_number,
    owners_of,
    settings_of,
    utcnow,
)
from core.models import Party, RelationKind, Unit, UnitStatus
from plugins.billing import services as billing
from plugins.renovation.fees import PASS_FEE
from plugins.renovation.models import FINAL_STATES, RenovationApplication, RenovationWorker
from plugins.renovation.rules import scope_items, undertakings
from plugins.renovation.settings import DEFAULTS
from plugins.renovation.site import worker_source

# Trades (工种); the licensed ones need a skill certificate (技能考核合格证明, 001 L199).
TRADES = ("general", "electrician", "plumber", "gas_fitter", "carpenter", "tiler", "painter", "welder", "other")
LICENSED_TRADES = ("electrician", "plumber", "gas_fitter", "welder")
# Units not yet handed over cannot be renovated by their owner.
NOT_HANDED_OVER = (UnitStatus.not_delivered, UnitStatus.notified)
EDITABLE_STATES = ("submitted", "revision_requested")
# Workers may be added until the works are accepted.
WORKER_STATES = ("submitted", "cs_review", "engineering_review", "revision_requested", "manager_approval",
                 "approved", "agreement_signed", "fees_paid", "permit_issued", "in_progress", "suspended",
                 "rectification")


def get_application(session, number_or_id, *, estate_id: int | None = None) -> RenovationApplication:
    """By id, or by number within an estate (numbers run per estate)."""
    if isinstance(number_or_id, int):
        app = session.get(RenovationApplication, number_or_id)
    else:
        if estate_id is None:
            raise ValidationError(Text("give the estate with an application number", "按申请编号查找时请同时选择小区"),
                                  field="estate_id")
        app = session.scalar(select(RenovationApplication).where(RenovationApplication.estate_id == estate_id,
                                                                 RenovationApplication.number == number_or_id))
    if app is None:
        raise NotFound(Text(f"no renovation application {number_or_id}", f"没有装修申请 {number_or_id}"))
    return app


def active_application(session, unit: Unit) -> RenovationApplication | None:
    """The unit's application that is not closed, withdrawn or rejected, if any."""
    return session.scalar(select(RenovationApplication).where(RenovationApplication.unit_id == unit.id,
                                                              RenovationApplication.status.not_in(FINAL_STATES)))


# --- validation shared by create and update -------------------------------------------------------
def _check_plan(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    start, end = data.get("planned_start"), data.get("planned_end")
    if not isinstance(start, dt.date):
        errors["planned_start"] = [Text("give the planned start date", "请填写计划开工日期")]
    if not isinstance(end, dt.date):
        errors["planned_end"] = [Text("give the planned end date", "请填写计划完工日期")]
    elif isinstance(start, dt.date) and end < start:
        errors["planned_end"] = [Text(f"planned_end {end} is before planned_start {start}; give an end on or after it",
                                        f"计划完工日期 {end} 早于计划开工日期 {start}")]
    known = {i["code"] for i in scope_items()}
    scope = list(data.get("scope") or [])
    if not scope:
        errors["scope"] = [Text("tick at least one scope item (wall_changes, waterproofing, electrical, ...)",
                                  "请至少勾选一项装修项目")]
    elif set(scope) - known:
        errors["scope"] = [Text(f"unknown scope item(s) {', '.join(sorted(set(scope) - known))}; "
                                f"use {', '.join(sorted(known))}",
                                f"未知装修项目 {'、'.join(sorted(set(scope) - known))}")]
    known_u = {u["code"] for u in undertakings()}
    if set(data.get("undertakings") or []) - known_u:
        errors["undertakings"] = [Text(f"unknown undertaking code(s); use {', '.join(sorted(known_u))}",
                                         "未知的承诺事项")]
    if data.get("self_renovation"):
        if not (data.get("worker_guarantee_ref") or "").strip():
            errors["worker_guarantee_ref"] = [Text("self-renovation needs the workers' identity-guarantee letter "
                                                   "(身份担保证明书) reference",
                                                   "自行装修须填写施工人员身份担保证明书编号")]
    else:
        for key, label, label_zh in (("contractor_name", "the contractor's name", "装修企业名称"),
                                     ("contractor_licence_no", "the contractor's business-licence number",
                                      "装修企业营业执照号"),
                                     ("contractor_qualification_no", "the decoration-qualification certificate number",
                                      "装修资质证书号")):
            if not (data.get(key) or "").strip():
                errors[key] = [Text(f"give {label}, or mark the application as self-renovation",
                                    f"请填写{label_zh}，或勾选“自行装修”")]
    if errors:
        raise ValidationError(errors)
    return data


def _check_applicant(session, unit: Unit, applied_on: dt.date, applicant: Party, consenting_owner: Party | None,
                     consent_document: str) -> str:
    """'owner' or 'occupant'; an occupant needs the written consent of an owner on that day."""
    owners = owners_of(session, unit, applied_on)
    if applicant.id in {o.id for o in owners}:
        return "owner"
    occupants = {r.party_id for kind in (RelationKind.tenant, RelationKind.household_member, RelationKind.agent)
                 for r in current_relations(session, unit, kind, applied_on)}
    if applicant.id not in occupants:
        raise ValidationError(Text(f"{applicant.name} is neither an owner nor an occupant of {unit.label} on "
                                   f"{applied_on}", f"{applicant.name} 在 {applied_on} 不是房屋 {unit.label} 的业主或使用人"),
                              field="applicant_id")
    if consenting_owner is None or not consent_document.strip():
        raise ValidationError({"consent_document": [
            Text("an occupant needs the owner's written consent: give consent_document (reference) and the "
                 "consenting_owner_id", "使用人申请装修须有业主书面同意：请填写业主同意书并选择同意的业主")]})
    if consenting_owner.id not in {o.id for o in owners}:
        raise ValidationError(Text(f"{consenting_owner.name} is not an owner of {unit.label} on {applied_on}",
                                   f"{consenting_owner.name} 在 {applied_on} 不是房屋 {unit.label} 的业主"),
                              field="consenting_owner_id")
    return "occupant"


_PLAN_FIELDS = ("self_renovation", "contractor_name", "contractor_licence_no", "contractor_qualification_no",
                "contractor_site_manager", "contractor_phone", "worker_guarantee_ref", "scope", "scope_notes",
                "undertakings", "drawings", "planned_start", "planned_end")


@attributed
def apply_for_renovation(session, actor, *, unit: Unit, applicant: Party, planned_start: dt.date,
                         planned_end: dt.date, scope: list[str], applied_on: dt.date | None = None,
                         consenting_owner: Party | None = None, consent_document: str = "",
                         contractor_party: Party | None = None, workers: list[dict] = (), **plan) -> RenovationApplication:
    """Receive an application (装修申请审批表). ``plan`` holds contractor data, drawings, undertakings."""
    authorize(session, actor, "renovation.apply", unit)
    unknown = set(plan) - set(_PLAN_FIELDS)
    if unknown:
        raise ValidationError(Text(f"unknown field(s) {', '.join(sorted(unknown))}", f"未知字段 {'、'.join(sorted(unknown))}"), field=sorted(unknown)[0])
    data = _check_plan({**plan, "planned_start": planned_start, "planned_end": planned_end, "scope": scope})
    applied_on = applied_on or estate_today(session, unit.estate)
    # Lock the unit row so two clerks cannot open two applications for it at once.
    session.scalar(select(Unit.id).where(Unit.id == unit.id).with_for_update())
    existing = active_application(session, unit)
    if existing is not None:
        raise Conflict(Text(f"{unit.label} already has an active renovation {existing.number} ({existing.status}); "
                            "close or withdraw it first",
                            f"房屋 {unit.label} 已有进行中的装修申请 {existing.number}，请先结案或撤回"), field="unit_id")
    if UnitStatus(unit.status) in NOT_HANDED_OVER:
        raise ValidationError(Text(f"{unit.label} has not been handed over yet ({unit.status})",
                                   f"房屋 {unit.label} 尚未交付，不能申请装修"), field="unit_id")
    kind = _check_applicant(session, unit, applied_on, applicant, consenting_owner, consent_document)
    worker_rows = [_check_worker(w) for w in workers]
    ids = [w["id_number"] for w in worker_rows]
    if len(ids) != len(set(ids)):
        raise ValidationError(Text("the same ID number is listed twice", "同一身份证号重复登记"), field="workers")
    with session.begin_nested():
        app = RenovationApplication(
            estate_id=unit.estate_id, unit_id=unit.id, applied_on=applied_on, applicant_id=applicant.id,
            applicant_kind=kind, consenting_owner_id=consenting_owner.id if kind == "occupant" else None,
            consent_document=consent_document.strip() if kind == "occupant" else "",
            contractor_party_id=contractor_party.id if contractor_party else None,
            original_end=planned_end, created_by_id=actor.id,
            number=next_number(session, "RN", estate_id=unit.estate_id, year=applied_on.year),
            **{k: data[k] for k in _PLAN_FIELDS if k in data})
        app.scope = list(scope)
        app.undertakings = list(plan.get("undertakings") or [])
        app.drawings = list(plan.get("drawings") or [])
        session.add(app)
        session.flush()
        for w in worker_rows:
            session.add(RenovationWorker(estate_id=app.estate_id, application_id=app.id, **w))
        session.flush()
    session.refresh(app, ["workers"])
    return app


@attributed
def update_application(session, actor, app: RenovationApplication, **changes) -> RenovationApplication:
    """Correct the plan while it is with the applicant (submitted, or sent back for revision)."""
    authorize(session, actor, "renovation.apply", app)
    if app.status not in EDITABLE_STATES:
        raise Conflict(Text(f"{app.number} is '{app.status}'; the plan can be changed only while submitted or sent "
                       "back for revision", f"装修申请 {app.number} 当前状态不能修改方案（只有已提交或退回修改时可以修改）"), field="status")
    unknown = set(changes) - set(_PLAN_FIELDS)
    if unknown:
        raise ValidationError(Text(f"unknown or read-only field(s) {', '.join(sorted(unknown))}", f"未知或只读字段 {'、'.join(sorted(unknown))}"), field=sorted(unknown)[0])
    merged = {k: getattr(app, k) for k in _PLAN_FIELDS} | changes
    _check_plan(merged)
    for k, v in changes.items():
        setattr(app, k, list(v) if isinstance(v, (list, tuple)) else v)
    if "planned_end" in changes:
        app.original_end = changes["planned_end"]
    app.updated_at = utcnow()
    session.flush()
    return app


@attributed
def attach_drawing(session, actor, app: RenovationApplication, filename: str, data: bytes, *,
                   content_type: str = "application/pdf"):
    """Attach a drawing (装修设计图纸) to the application; its name joins ``app.drawings``.

    ``content_type`` is accepted for older callers and not trusted: the type is read from the file."""
    # checked by content and size, kept in the attachment storage with the application's other files
    att = add_attachment(session, actor, app, filename, data, kind="drawing", permission="renovation.apply")
    if att.filename not in app.drawings:
        app.drawings = [*app.drawings, att.filename]
    session.flush()
    return att


# --- guards of the review --------------------------------------------------------------------
def guard_plan_valid(session, app, actor, **data):
    """Guard of ``resubmit``: the corrected plan holds together."""
    if app.planned_end < app.planned_start:
        return Text(f"planned_end {app.planned_end} is before planned_start {app.planned_start}; "
                    "correct the dates before resubmitting",
                    f"计划完工日期 {app.planned_end} 早于计划开工日期 {app.planned_start}，请更正后再提交")
    if not app.scope:
        return Text("scope is empty: tick at least one scope item before resubmitting", "请至少勾选一项装修项目后再提交")
    return None


def guard_has_workers(session, app, actor, **data):
    """Guard of ``sign_agreement``: the pass fees are charged per listed worker."""
    if not app.workers:
        return Text("no workers are listed: add each worker (name, ID number, trade) before signing the agreement; "
                    "worker passes are charged per worker",
                    "尚未登记施工人员：请先逐一登记（姓名、身份证号、工种）再签订协议，出入证按人收费")
    return None


# --- workers ---------------------------------------------------------------------------------------
def _check_worker(w: dict) -> dict:
    errors = {}
    name, id_number = (w.get("name") or "").strip(), (w.get("id_number") or "").strip()
    trade = w.get("trade") or "general"
    if not name:
        errors["name"] = [Text("give the worker's name", "请填写施工人员姓名")]
    if not id_number:
        errors["id_number"] = [Text("give the worker's ID number: passes are issued against it",
                                      "请填写施工人员身份证号（凭此办理出入证）")]
    if trade not in TRADES:
        errors["trade"] = [Text(f"unknown trade {trade!r}; use {', '.join(TRADES)}", f"未知工种 {trade!r}")]
    elif trade in LICENSED_TRADES and not (w.get("skill_certificate_no") or "").strip():
        errors["skill_certificate_no"] = [Text(f"a {trade} needs a skill certificate (技能考核合格证明) number",
                                                 "该工种须填写技能考核合格证明编号")]
    unknown = set(w) - {"name", "id_number", "phone", "trade", "skill_certificate_no"}
    if unknown:
        errors[sorted(unknown)[0]] = [Text("unknown field", "未知字段")]
    if errors:
        raise ValidationError({f"workers.{k}" if not k.startswith("workers") else k: v for k, v in errors.items()})
    return {"name": name, "id_number": id_number, "phone": (w.get("phone") or "").strip(), "trade": trade,
            "skill_certificate_no": (w.get("skill_certificate_no") or "").strip()}


@attributed
def add_worker(session, actor, app: RenovationApplication, **worker) -> RenovationWorker:
    """Add a worker; after signing, their pass fee is charged on its own (source renovation:worker:<id>)."""
    authorize(session, actor, "renovation.apply", app)
    if app.status not in WORKER_STATES:
        raise Conflict(Text(f"{app.number} is '{app.status}'; workers can no longer be added", f"装修申请 {app.number} 当前状态不能再增加施工人员"), field="status")
    data = _check_worker(worker)
    if any(w.id_number == data["id_number"] for w in app.workers):
        raise Conflict(Text(f"a worker with ID {data['id_number']} is already listed on {app.number}", f"身份证号为 {data['id_number']} 的施工人员已在装修申请 {app.number} 中登记"), field="id_number")
    with session.begin_nested():
        w = RenovationWorker(estate_id=app.estate_id, application_id=app.id, **data)
        session.add(w)
        session.flush()
        fee = settings_of(session, "renovation", DEFAULTS)["pass_fee_fen"]
        if app.agreement_signed_at is not None and fee:
            # The application's pass charge was fixed at signing; this worker's fee is charged on its own.
            billing.post_charge(session, actor, unit=app.unit, fee_item_code=PASS_FEE, amount_fen=fee,
                                source=worker_source(w), description=f"装修人员出入证 {w.name} {app.number}")
    session.refresh(app, ["workers"])
    return w
