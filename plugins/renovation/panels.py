"""Renovation (装修) on the unit's page, the party's page and in the search.

The unit panel lists the unit's applications, current first, with their status in the user's
language, and offers "register a renovation" (装修申请). The party panel lists the applications the
party made. The search finds applications by number (``RN-2026-000012``) or permit (``ZX-...``).
"""

from __future__ import annotations

from sqlalchemy import func, or_

from core import Panel, SearchHit, Text, get_workflow, has_permission, scoped_select
from plugins.renovation.models import RenovationApplication

VIEW = "renovation.view"
VIEW_NAME = "renovation_applications"
SHOWN = 8


def status_label(session, value: str) -> str:
    """The application's status as the workflow names it, in the user's language."""
    for state in get_workflow(session, "renovation.application").states:
        if state.name == value:
            return Text(state.label or state.name, state.label_zh or state.label or state.name)
    return value


def _final(session) -> set[str]:
    return {s.name for s in get_workflow(session, "renovation.application").states if s.final}


def _rows(session, apps) -> list[list]:
    final = _final(session)
    return [[Panel.link(a.number, VIEW_NAME, a.id), a.applied_on,
             Panel.flag(status_label(session, a.status), "secondary" if a.status in final else "info"),
             a.planned_start, a.planned_end] for a in apps]


COLUMNS = [Text("Number", "申请编号"), Text("Applied on", "申请日期"), Text("Status", "状态"),
           Text("Start", "计划开工"), Text("End", "计划完工")]


def unit_panels(session, actor, unit) -> list[Panel]:
    if not has_permission(session, actor, VIEW):
        return []
    apps = list(session.scalars(scoped_select(session, actor, RenovationApplication)
                                .where(RenovationApplication.unit_id == unit.id)
                                .order_by(RenovationApplication.applied_on.desc(), RenovationApplication.id.desc())
                                .limit(SHOWN)))
    final = _final(session)
    current = [a for a in apps if a.status not in final]
    actions = []
    if has_permission(session, actor, "renovation.apply"):
        actions.append(Panel.action(Text("Register a renovation", "登记装修申请"), VIEW_NAME, unit_id=unit.id))
    facts = [(Text("Renovating now", "在装修"), Text("Yes", "是") if current else Text("No", "否"))]
    return [Panel(title="Renovation", title_zh="装修", key="renovation", facts=facts, columns=COLUMNS,
                  rows=_rows(session, apps), actions=actions,
                  empty=Text("No renovation applications.", "暂无装修申请。"), order=20)]


def party_panels(session, actor, party) -> list[Panel]:
    if not has_permission(session, actor, VIEW):
        return []
    apps = list(session.scalars(scoped_select(session, actor, RenovationApplication)
                                .where(RenovationApplication.applicant_id == party.id)
                                .order_by(RenovationApplication.applied_on.desc()).limit(SHOWN)))
    if not apps:
        return []
    return [Panel(title="Renovation applications", title_zh="装修申请", key="renovation", columns=COLUMNS,
                  rows=_rows(session, apps), order=20)]


def search(session, actor, query) -> list[SearchHit]:
    """Applications by number (RN-) or permit number (ZX-; repair orders are RP-), from their first characters."""
    q = query.strip().upper()
    if not (q.startswith(("RN", "ZX"))) or not has_permission(session, actor, VIEW):
        return []
    like = q.replace("%", "").replace("_", "") + "%"
    stmt = (scoped_select(session, actor, RenovationApplication)
            .where(or_(func.upper(RenovationApplication.number).like(like),
                       func.upper(RenovationApplication.permit_no).like(like)))
            .order_by(RenovationApplication.number).limit(10))
    return [SearchHit(kind=Text("Renovation application", "装修申请"), title=a.number,
                      subtitle=f"{a.unit.label} · {status_label(session, a.status)} · {a.applied_on.isoformat()}",
                      view=VIEW_NAME, record_id=a.id, rank=0 if q in (a.number, a.permit_no) else 5)
            for a in session.scalars(stmt)]
