"""Demo data for ``wuye demo``: a morning's help requests at the estate (a lift entrapment, a
resident locked out, a written inquiry) and an estate answer about its own parking."""

from __future__ import annotations

from sqlalchemy import select

from core import apply, as_system
from core.models import Estate, Unit
from plugins.help_requests.answers import create_answer
from plugins.help_requests.handling import register_request


def build_demo(session, estate: Estate) -> dict:
    units = list(session.scalars(select(Unit).where(Unit.estate_id == estate.id).order_by(Unit.id).limit(3)))
    if not units:
        return {"requests": 0}
    with as_system(session):
        lift = register_request(session, None, {
            "unit_id": units[0].id, "category": "lift_entrapment", "caller_name": "李阿姨",
            "caller_phone": "13800138001", "location": "2号电梯", "description": "电梯停在 5 楼与 6 楼之间，里面有两人"})
        apply(session, lift, "respond", None, reply="已通知电梯维保单位，安抚被困人员，保安到场")
        apply(session, lift, "resolve", None, result="15 分钟后救出，无人受伤")
        locked = register_request(session, None, {
            "unit_id": units[1 % len(units)].id, "category": "locked_out", "caller_name": "王先生",
            "caller_phone": "13900139002", "description": "出门忘带钥匙，孩子在家里"})
        apply(session, locked, "respond", None, reply="已核实身份，钥匙托管，工作人员陪同开门")
        register_request(session, None, {
            "unit_id": units[2 % len(units)].id, "category": "written_inquiry", "caller_name": "赵女士",
            "caller_phone": "13700137003", "channel": "letter",
            "description": "来函询问地下车库增设充电桩的办理流程和费用"})
        create_answer(session, None, {"estate_id": estate.id, "topic": "parking", "question": "访客车辆怎么进小区？",
                                      "answer": "访客车辆请在岗亭登记，前 30 分钟免费，之后每小时 5 元。",
                                      "keywords": "访客 停车 临时车"})
    return {"requests": 3}
