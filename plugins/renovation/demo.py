"""Demo renovations for ``wuye demo``: a few applications in different states, made through the
services and the workflow exactly as staff would (so the demo exercises the real rules)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import estate_today, get_workflow, owners_of
from core.models import Estate, Role, RolePermission, StaffUser, Unit, UnitStatus, staff_estates
from plugins.billing import services as billing
from plugins.renovation import services

CONTRACTOR = {"contractor_name": "金螳螂家装工程有限公司", "contractor_licence_no": "91320100MA1XXXXX0K",
              "contractor_qualification_no": "D232000123", "contractor_site_manager": "周建国",
              "contractor_phone": "13905140001"}
WORKERS = [{"name": "孙立", "id_number": "320102198503120011", "trade": "electrician", "phone": "13851000001",
            "skill_certificate_no": "DG-2019-0311"},
           {"name": "钱峰", "id_number": "320102199011050032", "trade": "tiler", "phone": "13851000002"}]


def _staff_with(session, estate: Estate, permission: str, *, not_id: int | None = None) -> StaffUser | None:
    """A staff member of ``estate`` (or of every estate) whose role holds ``permission``."""
    stmt = (select(StaffUser).join(StaffUser.roles).join(RolePermission, RolePermission.role_id == Role.id)
            .where(RolePermission.permission == permission, StaffUser.active.is_(True))
            .where(Role.all_estates.is_(True) | StaffUser.id.in_(
                select(staff_estates.c.staff_id).where(staff_estates.c.estate_id == estate.id)))
            .order_by(Role.all_estates, StaffUser.id))
    for user in session.scalars(stmt).unique():
        if user.id != not_id:
            return user
    return None


def _units(session, estate: Estate, n: int) -> list[Unit]:
    stmt = (select(Unit).where(Unit.estate_id == estate.id,
                               Unit.status.in_([UnitStatus.occupied, UnitStatus.delivered, UnitStatus.vacant]))
            .order_by(Unit.id))
    out = []
    for unit in session.scalars(stmt):
        if owners_of(session, unit) and services.active_application(session, unit) is None:
            out.append(unit)
        if len(out) == n:
            break
    return out


def build_demo(session, estate: Estate) -> dict:
    """Five applications: submitted, in engineering review, sent back, works in progress, closed."""
    flow = get_workflow(session, "renovation.application")
    cache: dict[str, StaffUser | None] = {}

    def who(permission: str) -> StaffUser | None:
        if permission not in cache:
            cache[permission] = _staff_with(session, estate, permission)
        return cache[permission]

    needed = {t.permission for t in flow.transitions} | {"renovation.apply", "renovation.inspect",
                                                          "renovation.accept"}
    units = _units(session, estate, 5)
    if any(who(p) is None for p in needed) or len(units) < 5:
        return {"skipped": estate.code}  # no staff for this estate in the demo: nothing to show

    def step(app, name: str, comment: str | None = None, **data):
        services.transition(session, who(flow.transition(name).permission), app, name, comment=comment, **data)

    today = estate_today(session, estate)
    apps = []
    for i, unit in enumerate(units):
        owner = owners_of(session, unit)[0]
        plan = CONTRACTOR if i % 2 == 0 else {"self_renovation": True, "worker_guarantee_ref": f"DB-{unit.id}"}
        apps.append(services.apply_for_renovation(
            session, who("renovation.apply"), unit=unit, applicant=owner,
            planned_start=today + dt.timedelta(days=3 - 30 * (i == 4)),
            planned_end=today + dt.timedelta(days=60 - 30 * (i == 4)),
            scope=["wall_finish", "flooring", "electrical", "bathroom"][: 2 + i % 3],
            drawings=[f"{unit.label}-平面图.pdf"], workers=WORKERS, **plan))
    for app in apps[1:]:
        step(app, "receive")
        step(app, "pass_cs_review", comment="资料齐全,同意报工程部二审")
    step(apps[2], "request_revision", comment="请补充卫生间防水做法及闭水试验安排")
    cashier = who("renovation.confirm_payment")
    for app in apps[3:]:
        step(app, "pass_engineering_review", comment="方案不涉及承重结构,同意")
        step(app, "approve", comment="同意装修")
        step(app, "sign_agreement")
        lines = [line.id for line in billing.charges_for(session, source=app.source)]
        billing.record_payment(session, cashier, unit=app.unit, amount_fen=app.waste_fee_fen + app.pass_fee_fen,
                               method="wechat", lines=lines, payer=app.applicant.name)
        services.hold_deposit(session, cashier, app)
        step(app, "confirm_payment")
        step(app, "issue_permit")
        step(app, "start")
        services.record_inspection(session, who("renovation.inspect"), app, kind="cs", load_w=3200,
                                   fire_extinguisher=True, notes="现场整洁,灭火器已配备")
    done = apps[4]
    step(done, "report_completion")
    step(done, "begin_acceptance")
    checks = dict.fromkeys(services.ACCEPTANCE_CHECKS, True)
    services.record_acceptance_check(session, who("renovation.accept"), done, kind="engineering", passed=True,
                                     checks=checks)
    services.record_acceptance_check(session, who("renovation.accept"), done, kind="cs", passed=True)
    step(done, "accept")
    settler = who("renovation.settle_deposit")
    approver = _staff_with(session, estate, "billing.approve_refund", not_id=settler.id)
    if approver is not None:
        services.settle_deposit(session, settler, done, approver=approver)
        step(done, "close")
    return {"applications": [a.number for a in apps]}
