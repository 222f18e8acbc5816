"""The renovation site: worker passes (临时出入证), patrols (装修巡查) and violations (违章).

Every public function takes ``(session, actor, ...)``, checks the actor's permission and estate,
raises a ``core.errors`` error naming the field and the fix, and changes nothing on error.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import (
    Conflict,
    NotFound,
    PermissionDenied,
    Text,
    ValidationError,
    apply,
    attributed,
    authorize,
    calendar_for,
    estate_today,
    fen_to_yuan,
    has_permission,
    next_number,
    settings_of,
    utcnow,
    zone_of,
)
from core.models import Estate
from plugins.billing import services as billing
from plugins.renovation.models import (
    WORKS_STATES,
    RenovationApplication,
    RenovationInspection,
    RenovationViolation,
    RenovationWorker,
    RenovationWorkerPass,
)
from plugins.renovation.rules import finding_codes, rule_code
from plugins.renovation.settings import DEFAULTS, work_hours_for
from plugins.renovation.timelimits import local_day, permitted_day, rectification_deadline

INSPECTION_KINDS = ("cs", "engineering", "security", "manager")
# Roles whose patrols count as the manager's (KF02 §2 j: ≥ 2 a day per renovating household).
MANAGER_ROLES = {"general_manager", "office_manager", "assistant_manager", "duty_manager", "cs_center_manager"}
# Patrols and violations happen while the works are on (including a suspension).
SITE_STATES = (*WORKS_STATES, "suspended")


def worker_source(worker: RenovationWorker) -> str:
    """Billing source of the pass fee of a worker added after the agreement was signed."""
    return f"renovation:worker:{worker.id}"


# --- worker passes ---------------------------------------------------------------------------
def active_pass(session, worker: RenovationWorker) -> RenovationWorkerPass | None:
    return session.scalar(select(RenovationWorkerPass).where(RenovationWorkerPass.worker_id == worker.id,
                                                             RenovationWorkerPass.status == "issued"))


def _issue(session, actor, app: RenovationApplication, worker: RenovationWorker) -> RenovationWorkerPass:
    year = estate_today(session, app.estate).year
    p = RenovationWorkerPass(estate_id=app.estate_id, application_id=app.id, worker_id=worker.id,
                             number=next_number(session, "RW", estate_id=app.estate_id, year=year),
                             id_number=worker.id_number, expires_on=app.planned_end,
                             issued_by_id=actor.id if actor is not None else None)
    session.add(p)
    session.flush()
    return p


def issue_passes_for_listed_workers(session, actor, app: RenovationApplication) -> list[RenovationWorkerPass]:
    """With the permit: a pass for every listed worker who has none (their fee was charged at signing)."""
    return [_issue(session, actor, app, w) for w in app.workers
            if active_pass(session, w) is None and billing.outstanding_fen(session, source=worker_source(w)) == 0]


@attributed
def issue_pass(session, actor, worker: RenovationWorker) -> RenovationWorkerPass:
    """Issue one worker's pass against their ID (one person, one pass)."""
    app = worker.application
    authorize(session, actor, "renovation.passes", app)
    if app.status not in WORKS_STATES:
        raise Conflict(Text(f"passes are issued only with the permit; {app.number} is '{app.status}'", f"须办理装修许可证后才能发放出入证；装修申请 {app.number} 当前状态不能办理"), field="status")
    existing = active_pass(session, worker)
    if existing is not None:
        raise Conflict(Text(f"{worker.name} already holds pass {existing.number}; return it first", f"{worker.name} 已持有出入证 {existing.number}，请先交回"), field="worker_id")
    unpaid = billing.outstanding_fen(session, source=worker_source(worker))
    if unpaid:
        raise Conflict(Text(f"the pass fee of {fen_to_yuan(unpaid)} yuan for {worker.name} is unpaid; collect it first", f"{worker.name} 的出入证工本费 ¥{fen_to_yuan(unpaid):,} 未缴，请先收取"),
                       field="worker_id")
    return _issue(session, actor, app, worker)


@attributed
def return_pass(session, actor, pass_: RenovationWorkerPass) -> RenovationWorkerPass:
    """The worker hands the pass back (end of works, or leaving the crew)."""
    authorize(session, actor, "renovation.passes", pass_)
    if pass_.status != "issued":
        raise Conflict(Text(f"pass {pass_.number} is already {pass_.status}", f"出入证 {pass_.number} 已处理，不能重复操作"), field="status")
    pass_.status = "returned"
    pass_.returned_at = utcnow()
    pass_.returned_by_id = actor.id
    session.flush()
    return pass_


def cancel_passes(session, actor, app: RenovationApplication) -> int:
    """Cancel the passes not handed back when the application closes or is withdrawn."""
    passes = session.scalars(select(RenovationWorkerPass).where(RenovationWorkerPass.application_id == app.id,
                                                                RenovationWorkerPass.status == "issued")).all()
    for p in passes:
        p.status = "cancelled"
        p.returned_at = utcnow()
        p.returned_by_id = actor.id if actor is not None else None
    session.flush()
    return len(passes)


def cancel_open_passes(session, app, actor, **data):
    """Effect of ``close`` and ``withdraw``: the passes not handed back are cancelled."""
    cancel_passes(session, actor, app)


def extend_passes(session, app: RenovationApplication) -> None:
    """Passes expire at the planned end; an approved extension moves them with it."""
    for p in session.scalars(select(RenovationWorkerPass).where(RenovationWorkerPass.application_id == app.id,
                                                                RenovationWorkerPass.status == "issued")):
        p.expires_on = app.planned_end
    session.flush()


def valid_passes(session, estate: Estate | int, on: dt.datetime | None = None) -> list[RenovationWorkerPass]:
    """Passes the gate should honour at ``on`` (default now): issued, not expired, works not suspended."""
    estate = estate if isinstance(estate, Estate) else session.get(Estate, estate)
    on = on or utcnow()
    day = estate_today(session, estate, now=on)
    stmt = (select(RenovationWorkerPass).join(RenovationApplication)
            .where(RenovationWorkerPass.estate_id == estate.id, RenovationWorkerPass.status == "issued",
                   RenovationWorkerPass.issued_at <= on, RenovationWorkerPass.expires_on >= day,
                   RenovationApplication.status.in_(WORKS_STATES))
            .order_by(RenovationWorkerPass.number))
    return list(session.scalars(stmt))


# --- patrols ---------------------------------------------------------------------------------
def within_work_hours(settings: dict, estate: Estate, at: dt.datetime) -> bool:
    """True when ``at`` (local to the estate) falls in the permitted renovation hours."""
    t = at.astimezone(zone_of(estate)).time()
    return any(start <= t < end for start, end in work_hours_for(settings, estate.code))


def technical_findings(settings: dict, estate: Estate, at: dt.datetime, *, load_w=None,
                       closed_water_test_hours=None, slab_drilling=None, works_observed=None,
                       fire_extinguisher=None, calendar=None) -> list[dict]:
    """Findings that follow from the visit's measurements under the technical rules (001 L103, L279).

    With the estate's business ``calendar`` (``core.calendar_for``), works on a day the ``work_days``
    setting forbids (by default a public holiday) are outside the permitted hours too (T04)."""
    found = []
    if load_w is not None and load_w > settings["max_load_w"]:
        found.append({"code": rule_code("electrical_load"),
                      "note": f"load {load_w} W above the permitted {settings['max_load_w']} W"})
    if closed_water_test_hours is not None and closed_water_test_hours < settings["closed_water_test_hours"]:
        found.append({"code": rule_code("closed_water_test"),
                      "note": f"tiling after a {closed_water_test_hours} h closed-water test; "
                              f"{settings['closed_water_test_hours']} h required"})
    if slab_drilling:
        found.append({"code": rule_code("slab_drilling"), "note": "drilling or bolts into the floor slab"})
    day = local_day(estate, at)
    if works_observed and not permitted_day(settings, calendar, day):
        found.append({"code": rule_code("work_hours"),
                      "note": f"works on {day:%Y-%m-%d}, a day off ({settings.get('work_days')}) on the estate's calendar"})
    elif works_observed and not within_work_hours(settings, estate, at):
        found.append({"code": rule_code("work_hours"),
                      "note": f"works at {at.astimezone(zone_of(estate)):%H:%M}, outside the permitted hours"})
    if fire_extinguisher is False:
        found.append({"code": rule_code("fire_extinguisher"), "note": "no fire extinguisher on site"})
    return found


def _normalise_findings(findings) -> list[dict]:
    codes = finding_codes()
    out = []
    for i, f in enumerate(findings or ()):
        item = {"code": f, "note": ""} if isinstance(f, str) else {"code": f.get("code"), "note": f.get("note", "")}
        if item["code"] not in codes:
            raise ValidationError(Text(f"finding {i + 1}: unknown code {item['code']!r}; use a prohibited act P01-P14 "
                                  "or a technical rule T01-T15", f"第 {i + 1} 项发现：未知违规条款 {item['code']!r}，请选择禁止行为 P01-P14 或技术规定 T01-T15"), field="findings")
        out.append(item)
    return out


@attributed
def record_inspection(session, actor, app: RenovationApplication, *, kind: str, at: dt.datetime | None = None,
                      findings=(), notes: str = "", **measured) -> RenovationInspection:
    """Record a patrol visit; technical findings are added from the measurements given."""
    authorize(session, actor, "renovation.inspect", app)
    if kind not in INSPECTION_KINDS:
        raise ValidationError(Text(f"kind must be one of {', '.join(INSPECTION_KINDS)}", "巡查类型须为：客服、工程部、保安部或管理处主任"), field="kind")
    if kind == "manager" and not (actor.role_names & MANAGER_ROLES):
        raise PermissionDenied(Text(f"{actor.username} is not a manager; record the patrol as cs, engineering or "
                               "security", f"{actor.full_name or actor.username} 不是管理处主任，请按客服、工程部或保安部巡查登记"))
    if app.status not in SITE_STATES:
        raise Conflict(Text(f"{app.number} is '{app.status}': patrols are recorded while works are on", f"装修申请 {app.number} 当前不在施工中，不能登记巡查"), field="status")
    now = utcnow()
    at = at or now
    if at.tzinfo is None:
        raise ValidationError(Text("give the time with its time zone", "请填写带时区的时间"), field="at")
    if at > now + dt.timedelta(minutes=5):
        raise ValidationError(Text("the inspection time is in the future", "巡查时间不能晚于现在"), field="at")
    unknown = set(measured) - {"load_w", "closed_water_test_hours", "slab_drilling", "works_observed",
                               "fire_extinguisher"}
    if unknown:
        raise ValidationError(Text(f"unknown measurement(s) {', '.join(sorted(unknown))}", f"未知的检查数据 {'、'.join(sorted(unknown))}"), field=sorted(unknown)[0])
    items = _normalise_findings(findings)
    calendar = calendar_for(session, app.estate_id)
    for f in technical_findings(settings_of(session, "renovation", DEFAULTS), app.estate, at, calendar=calendar,
                                **measured):
        if f["code"] not in {i["code"] for i in items}:
            items.append(f)
    insp = RenovationInspection(estate_id=app.estate_id, application_id=app.id, inspector_id=actor.id, kind=kind,
                                at=at, findings=items, notes=notes, **measured)
    session.add(insp)
    session.flush()
    return insp


# --- violations ------------------------------------------------------------------------------
@attributed
def record_violation(session, actor, app: RenovationApplication, *, code: str, description: str = "",
                     deadline: dt.date | None = None, deduction_fen: int = 0,
                     inspection: RenovationInspection | None = None, evidence=(), suspend: bool = False,
                     escalated_to: str = "") -> RenovationViolation:
    """Issue a numbered violation notice (RV); with ``suspend`` the works are stopped (停工整改)."""
    authorize(session, actor, "renovation.record_violation", app)
    if app.status not in SITE_STATES:
        raise Conflict(Text(f"{app.number} is '{app.status}': violations are recorded while works are on", f"装修申请 {app.number} 当前不在施工中，不能登记违章"),
                       field="status")
    if code not in finding_codes():
        raise ValidationError(Text(f"unknown code {code!r}; use a prohibited act P01-P14 or a technical rule T01-T15", f"未知违规条款 {code!r}，请选择禁止行为 P01-P14 或技术规定 T01-T15"),
                              field="code")
    if not isinstance(deduction_fen, int) or isinstance(deduction_fen, bool) or deduction_fen < 0:
        raise ValidationError(Text("deduction_fen must be a whole number of fen, 0 or more", "扣款须为不小于零的金额"), field="deduction_fen")
    today = estate_today(session, app.estate)
    # 整改期限 counts working days of the estate's calendar: a notice before a holiday is not due in it.
    deadline = deadline or rectification_deadline(session, app.estate_id, today,
                                                  settings_of(session, "renovation", DEFAULTS))
    if deadline < today:
        raise ValidationError(Text(f"deadline {deadline} is in the past; give a day from {today} on", f"整改期限 {deadline} 已过，请填写 {today} 或之后的日期"), field="deadline")
    if inspection is not None and inspection.application_id != app.id:
        raise ValidationError(Text("the inspection belongs to another application", "该巡查记录属于其他装修申请"), field="inspection_id")
    if suspend:
        if not has_permission(session, actor, "renovation.suspend"):
            raise PermissionDenied(Text(f"{actor.username} lacks the permission 'renovation.suspend' to stop the works", f"{actor.full_name or actor.username} 没有责令停工的权限"))
        if app.status not in ("in_progress", "suspended"):
            raise Conflict(Text(f"works of {app.number} cannot be suspended while '{app.status}'", f"装修申请 {app.number} 当前状态不能停工"), field="suspend")
    with session.begin_nested():
        v = RenovationViolation(
            estate_id=app.estate_id, application_id=app.id, inspection_id=inspection.id if inspection else None,
            number=next_number(session, "RV", estate_id=app.estate_id, year=today.year), code=code,
            description=description, evidence=list(evidence), deadline=deadline, deduction_fen=deduction_fen,
            suspended_works=bool(suspend), escalated_to=escalated_to, recorded_by_id=actor.id)
        session.add(v)
        session.flush()
        if suspend and app.status == "in_progress":
            apply(session, app, "suspend", actor, comment=f"违章 {v.number} ({code}): {description}".strip())
    return v


@attributed
def set_deduction(session, actor, violation: RenovationViolation, deduction_fen: int) -> RenovationViolation:
    """Change a violation's deposit deduction before the deposit is settled."""
    authorize(session, actor, "renovation.record_violation", violation)
    if not isinstance(deduction_fen, int) or isinstance(deduction_fen, bool) or deduction_fen < 0:
        raise ValidationError(Text("deduction_fen must be a whole number of fen, 0 or more", "扣款须为不小于零的金额"), field="deduction_fen")
    if violation.application.status in ("deposit_settled", "closed"):
        raise Conflict(Text(f"the deposit of {violation.application.number} is already settled", f"装修申请 {violation.application.number} 的保证金已结算"), field="deduction_fen")
    violation.deduction_fen = deduction_fen
    session.flush()
    return violation


def violations_of(session, app: RenovationApplication, states) -> list[RenovationViolation]:
    """The application's violations in ``states``, oldest first."""
    stmt = (select(RenovationViolation).where(RenovationViolation.application_id == app.id,
                                              RenovationViolation.status.in_(states))
            .order_by(RenovationViolation.id))
    return list(session.scalars(stmt))


def store_escalation(session, violation, actor, escalated_to: str = "", **data):
    """Effect of ``escalate``: who the violation went to (the street office, the city inspectors...)."""
    if escalated_to:
        violation.escalated_to = escalated_to


def stamp_verified(session, violation, actor, note: str = "", **data):
    """Effect of ``verify``: when and by whom the rectification was checked."""
    violation.verified_at = utcnow()
    violation.verified_by_id = actor.id if actor is not None else None
    if note:
        violation.rectification_note = note


def get_violation(session, estate_id: int, number: str) -> RenovationViolation:
    v = session.scalar(select(RenovationViolation).where(RenovationViolation.estate_id == estate_id,
                                                         RenovationViolation.number == number))
    if v is None:
        raise NotFound(Text(f"no violation numbered {number}", f"没有编号为 {number} 的违章通知单"))
    return v
