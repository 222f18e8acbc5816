"""The joint inspection (联合验房, KF08 §5.4.5) and its defect list (房屋整改工程记录表).

A defect engineering rectifies becomes a repair order when the repairs plugin is enabled: it goes
through the core's reception (``register_intake`` + ``route_intake``), so move-in never imports
repairs. Without repairs, and for the developer's warranty items, the defect stays on this list
with its one-week limit until it is reported rectified and re-inspected.
"""

from __future__ import annotations

import datetime as dt

from core import (
    Conflict,
    Text,
    ValidationError,
    attributed,
    authorize,
    estate_today,
    load,
    register_intake,
    route_intake,
    wuye_of,
)
from plugins.move_in.models import MoveInCase, MoveInDefect
from plugins.move_in.notices import settings
from plugins.move_in.schemas import DefectSchema

# Defects are recorded from the payment on (the inspection follows it) until the case is done.
DEFECT_STATES = ("fees_paid", "inspected", "signed", "keys_issued")


@attributed
def record_defect(session, actor, **data) -> MoveInDefect:
    """Record a defect (整改项) on a case: ``case_id``, ``description``, ``location``, ``responsible``
    (``engineering``: a repair order when repairs is enabled; ``developer``: a warranty item)."""
    values = load(DefectSchema(), data)
    case = session.get(MoveInCase, values["case_id"])
    if case is None:
        raise ValidationError(Text("no such move-in case", "没有该入伙办理记录"), field="case_id")
    authorize(session, actor, "move_in.manage", case)
    if case.status not in DEFECT_STATES:
        raise Conflict(Text(f"defects are recorded at the joint inspection, after the fees are paid; case "
                            f"{case.number} is '{case.status}'", f"整改项在缴费后的联合验房中登记，{case.number} 当前不可登记"),
                       field="case_id")
    today = estate_today(session, case.estate_id)
    defect = MoveInDefect(estate_id=case.estate_id, due_on=today + dt.timedelta(days=settings(session)["rectification_days"]),
                          **values)
    session.add(defect)
    session.flush()
    if defect.responsible == "engineering" and wuye_of(session).is_enabled("repairs"):
        _to_repairs(session, actor, case, defect)
    return defect


def _to_repairs(session, actor, case: MoveInCase, defect: MoveInDefect) -> None:
    where = f"{defect.location}：" if defect.location else ""
    intake = register_intake(session, actor, unit_id=case.unit_id, party_id=case.owner_id, channel="walk_in",
                             category="repair", summary=f"入伙验房整改 {case.number}"[:200],
                             content=f"{where}{defect.description}（整改期限 {defect.due_on}）")
    order = route_intake(session, intake, actor)
    defect.repair_order_id = order.id
    defect.repair_number = str(getattr(order, "number", ""))[:32]
    session.flush()


@attributed
def report_rectified(session, actor, defect: MoveInDefect, *, rectified_on: dt.date | None = None) -> MoveInDefect:
    """Engineering or the developer reports the defect rectified (the owner is invited to re-inspect)."""
    authorize(session, actor, "move_in.manage", defect)
    if defect.state not in ("open", "failed"):
        raise Conflict(Text("this defect is already rectified", "该整改项已整改"), field="state")
    defect.rectified_on = rectified_on or estate_today(session, defect.estate_id)
    defect.state = "rectified"
    session.flush()
    return defect


@attributed
def reinspect(session, actor, defect: MoveInDefect, *, passed: bool, note: str = "") -> MoveInDefect:
    """The second inspection (复验) with the owner; a failure goes back to open and to the CS supervisor."""
    authorize(session, actor, "move_in.manage", defect)
    if defect.state != "rectified":
        raise Conflict(Text("re-inspect a defect once it is reported rectified", "整改完成后才能复验"), field="state")
    defect.state = "accepted" if passed else "failed"
    defect.reinspection_note = (note or "")[:400]
    session.flush()
    return defect


def open_defects(case: MoveInCase) -> list[MoveInDefect]:
    """The case's defects not yet accepted at re-inspection."""
    return [d for d in case.defects if d.state != "accepted"]
