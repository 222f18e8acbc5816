"""Move-in on the unit's page and in the search.

The unit panel tells what happened in the move-in (入伙): the case and its step, the notified date,
the unit's open amount in billing, the defects (with their repair orders), who signed and how many
key sets were handed over; it offers "issue the move-in notice" when the unit has no case.
"""

from __future__ import annotations

from sqlalchemy import func

from core import (
    Panel,
    SearchHit,
    Text,
    estate_now,
    get_workflow,
    has_permission,
    scoped_select,
    visible_estate_ids,
    wuye_of,
)
from plugins.move_in.labels import DEFECT_STATES, RESPONSIBLE
from plugins.move_in.models import MoveInCase, MoveInDefect
from plugins.move_in.steps import open_amount_fen

VIEW = "move_in.view"
CASES, DEFECTS = "move_in_cases", "move_in_defects"
COLUMNS = [Text("Defect", "整改项"), Text("Rectified by", "整改责任"), Text("Repair order", "维修单"),
           Text("Rectify by", "整改期限"), Text("State", "状态")]


def status_label(session, value: str):
    """The case's step as the workflow names it, in the user's language."""
    for state in get_workflow(session, "move_in.case").states:
        if state.name == value:
            return Text(state.label, state.label_zh)
    return value


def _local(session, case, moment) -> str:
    return estate_now(session, case.estate, moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _repair_link(session, defect: MoveInDefect):
    """The defect's repair order, linked to the repairs screen when repairs is enabled."""
    if defect.repair_order_id is None:
        return "—"
    if wuye_of(session).is_enabled("repairs"):
        return Panel.link(defect.repair_number, "repairs_orders", defect.repair_order_id)
    return defect.repair_number


def unit_panels(session, actor, unit) -> list[Panel]:
    """The unit's latest move-in case and its defects."""
    estates = visible_estate_ids(session, actor)  # None: every estate
    if not has_permission(session, actor, VIEW) or (estates is not None and unit.estate_id not in estates):
        return []
    case = session.scalar(scoped_select(session, actor, MoveInCase).where(MoveInCase.unit_id == unit.id)
                          .order_by(MoveInCase.id.desc()).limit(1))
    actions = []
    if case is None:
        if has_permission(session, actor, "move_in.manage"):
            actions.append(Panel.action(Text("Issue the move-in notice", "发入伙通知书"), CASES, unit_id=unit.id))
        facts = [(Text("Move-in case", "入伙办理"), Text("None yet", "暂无入伙办理记录"))]
        return [Panel(title="Move-in", title_zh="入伙", key="move_in", facts=facts, columns=[], rows=[],
                      actions=actions, empty=Text("No move-in case.", "暂无入伙办理记录。"), order=15)]
    done = case.status == "done"
    facts = [
        (Text("Move-in case", "入伙办理"), Panel.link(case.number, CASES, case.id)),
        (Text("Step", "进度"), Panel.flag(status_label(session, case.status), "success" if done else "info")),
        (Text("Come by", "办理期限"), case.notified_by),
        (Text("Open amount", "未缴金额"), Panel.money(open_amount_fen(session, case))),
        (Text("Inspected", "验房"), _local(session, case, case.inspected_at)),
        (Text("Handover form signed by", "收楼确认书签署人"), case.signed_by_name or "—"),
        (Text("Key sets handed over", "交付钥匙套数"), case.keys_count),
    ]
    if case.deemed_on:
        facts.append((Text("Deemed delivered on", "视同交付日期"), case.deemed_on))
    defects = list(session.scalars(scoped_select(session, actor, MoveInDefect).where(MoveInDefect.case_id == case.id)
                                   .order_by(MoveInDefect.id)))
    rows = [[Panel.link(f"{d.location} {d.description}".strip()[:40], DEFECTS, d.id),
             Text(*RESPONSIBLE[d.responsible]) if d.responsible in RESPONSIBLE else d.responsible,
             _repair_link(session, d), d.due_on,
             Panel.flag(Text(*DEFECT_STATES.get(d.state, (d.state, d.state))),
                        "success" if d.state == "accepted" else "warning")] for d in defects]
    if has_permission(session, actor, "move_in.manage") and not done:
        actions.append(Panel.action(Text("Record a defect", "登记整改项"), DEFECTS, case_id=case.id))
    return [Panel(title="Move-in", title_zh="入伙", key="move_in", facts=facts, columns=COLUMNS, rows=rows,
                  actions=actions, empty=Text("No defects found at the inspection.", "验房无整改项。"), order=15)]


def search(session, actor, query) -> list[SearchHit]:
    """Move-in cases by number (MI-...), from their first characters."""
    q = query.strip().upper()
    if not q.startswith("MI") or not has_permission(session, actor, VIEW):
        return []
    like = q.replace("%", "").replace("_", "") + "%"
    stmt = (scoped_select(session, actor, MoveInCase).where(func.upper(MoveInCase.number).like(like))
            .order_by(MoveInCase.number).limit(10))
    return [SearchHit(kind=Text("Move-in case", "入伙办理"), title=c.number,
                      subtitle=f"{c.unit.label} · {status_label(session, c.status)}", view=CASES, record_id=c.id,
                      rank=0 if q == c.number else 5) for c in session.scalars(stmt)]
