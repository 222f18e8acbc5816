"""Demo data for ``wuye demo``: a few complaints of the estate, at different steps."""

from __future__ import annotations

from sqlalchemy import select

from core import apply, as_system
from core.models import Estate, Unit
from plugins.complaints.handling import register_complaint

COMPLAINTS = (
    ("张女士", "13900001111", "phone", "楼上装修噪音，周末早上七点开始施工", "neighbour"),
    ("李先生", "13900002222", "visit", "地下车库B区照明损坏一周无人处理", "repairs"),
    ("王阿姨", "13900003333", "letter", "保安态度生硬，未帮忙搬运快递", "service_attitude"),
)


def build_demo(session, estate: Estate) -> dict:
    """Register the demo complaints as the system; the second is answered, the third closed invalid."""
    units = list(session.scalars(select(Unit).where(Unit.estate_id == estate.id).order_by(Unit.id).limit(3)))
    if not units:
        return {"complaints": 0}
    made = []
    with as_system(session):
        for unit, (name, phone, channel, summary, category) in zip(units, COMPLAINTS, strict=False):
            made.append(register_complaint(session, None, {
                "unit_id": unit.id, "complainant_name": name, "complainant_phone": phone, "channel": channel,
                "summary": summary, "category": category}))
        if len(made) > 1:
            apply(session, made[1], "acknowledge", None, category="repairs", department="engineering",
                  severity="ordinary")
            apply(session, made[1], "investigate", None)
            apply(session, made[1], "reply", None, investigation="灯具镇流器损坏", reply="已更换灯具，恢复照明",
                  corrective_action="车库照明纳入每周巡检")
        if len(made) > 2:
            apply(session, made[2], "close_invalid", None, comment="经核实快递搬运不属于保安职责，已向业主解释")
    return {"complaints": len(made)}
