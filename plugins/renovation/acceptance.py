"""Completion acceptance (完工验收): engineering and customer service each record their check of a
round; the ``accept`` transition needs both passed in the current round and no open violation, and
a failed round goes to rectification and back for another (001 L279, 完工验收表).

Public through ``plugins.renovation.services``; the guards and effects serve ``workflows.py``.
"""

from __future__ import annotations

from sqlalchemy import select

from core import Conflict, Text, ValidationError, attributed, authorize
from plugins.renovation.models import OPEN_VIOLATION_STATES, RenovationAcceptanceCheck, RenovationApplication
from plugins.renovation.site import violations_of

# The completion acceptance checklist (完工验收表, 001 L279).
ACCEPTANCE_CHECKS = ("structure", "pipes", "closed_water_test", "access_openings", "gas_position", "ac_units",
                     "downpipes", "flues", "water_heater_exhaust", "common_parts")
SIDES = ("engineering", "cs")


@attributed
def record_acceptance_check(session, actor, app: RenovationApplication, *, kind: str, passed: bool,
                            checks: dict | None = None, rectification_items: str = "") -> RenovationAcceptanceCheck:
    """Engineering or customer service records its side of the acceptance for the current round."""
    authorize(session, actor, "renovation.accept", app)
    if kind not in SIDES:
        raise ValidationError(Text("kind must be 'engineering' or 'cs'", "验收类型须为工程部或客服"), field="kind")
    if app.status != "acceptance":
        raise Conflict(Text(f"{app.number} is '{app.status}'; start the acceptance first", f"装修申请 {app.number} 尚未开始验收，请先开始验收"), field="status")
    checks = dict(checks or {})
    unknown = set(checks) - set(ACCEPTANCE_CHECKS)
    if unknown:
        raise ValidationError(Text(f"unknown check(s) {', '.join(sorted(unknown))}; use {', '.join(ACCEPTANCE_CHECKS)}", f"未知检查项目 {'、'.join(sorted(unknown))}"),
                              field="checks")
    if passed and not all(checks.values()):
        failed = ", ".join(k for k, v in checks.items() if not v)
        raise ValidationError(Text(f"cannot pass with failed check(s): {failed}", f"有不合格项目时不能验收合格：{failed}"), field="passed")
    if not passed and not rectification_items.strip():
        raise ValidationError(Text("list the items to rectify", "请列出整改项目"), field="rectification_items")
    existing = session.scalar(select(RenovationAcceptanceCheck).where(
        RenovationAcceptanceCheck.application_id == app.id, RenovationAcceptanceCheck.round == app.acceptance_round,
        RenovationAcceptanceCheck.kind == kind))
    if existing is not None:
        raise Conflict(Text(f"the {kind} check of round {app.acceptance_round} is already recorded", f"第 {app.acceptance_round} 轮的该项验收已登记"), field="kind")
    check = RenovationAcceptanceCheck(estate_id=app.estate_id, application_id=app.id, round=app.acceptance_round,
                                      kind=kind, passed=passed, checks=checks,
                                      rectification_items=rectification_items.strip(), checked_by_id=actor.id)
    session.add(check)
    session.flush()
    return check


# --- guards and effects of the acceptance transitions --------------------------------------------
def next_acceptance_round(session, app, actor, **data):
    """Effect of ``begin_acceptance`` and ``report_rectified``: checks are recorded per round."""
    app.acceptance_round = (app.acceptance_round or 0) + 1


def guard_no_open_violations(session, app, actor, **data):
    open_ = violations_of(session, app, OPEN_VIOLATION_STATES)
    if open_:
        numbers = ", ".join(v.number for v in open_)
        return Text(f"violation(s) {numbers} are still open: verify their rectification before acceptance",
                    f"违章 {numbers} 尚未处理完毕，请先复查整改情况再验收")
    return None


def guard_both_checks_passed(session, app, actor, **data):
    checks = session.scalars(select(RenovationAcceptanceCheck).where(
        RenovationAcceptanceCheck.application_id == app.id,
        RenovationAcceptanceCheck.round == app.acceptance_round)).all()
    passed = {c.kind for c in checks if c.passed}
    missing = [label for kind, label in (("engineering", "engineering"), ("cs", "customer service"))
               if kind not in passed]
    if missing:
        return Text(f"acceptance needs a passed check by {' and '.join(missing)} in this round "
                    "(record_acceptance_check); failed items go to rectification",
                    "本轮验收须工程部和客服均验收合格；不合格项目须整改")
    return None
