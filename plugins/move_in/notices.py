"""The developer's handover list, appointment slots and the move-in notice (入伙通知书, KF08 §5.2-5.3).

Issuing the notice opens the unit's move-in case: the owner is to come by ``notified_by`` (the day
the notice was received plus ``deemed_after_months``, KF08 §4), and the unit becomes ``notified``
through the core unit service. Every function checks ``move_in.manage`` on the estate and raises
a ``core.errors`` error naming the field before anything is written.
"""

from __future__ import annotations

import calendar
import datetime as dt

from sqlalchemy import func, select

from core import (
    Conflict,
    Text,
    ValidationError,
    attributed,
    authorize,
    change_unit_status,
    estate_today,
    load,
    next_number,
    owners_of,
    settings_of,
)
from core.models import Party, Unit, UnitStatus
from plugins.move_in.models import OPEN_STATES, MoveInBatch, MoveInBatchUnit, MoveInCase, MoveInSlot
from plugins.move_in.schemas import BatchSchema, SlotSchema
from plugins.move_in.settings import Settings


def settings(session) -> dict:
    """The validated ``[plugins.move_in]`` settings (the defaults without an instance)."""
    return settings_of(session, "move_in", Settings().load({}))


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months (the 31st becomes the month's last day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _unit(session, unit_id) -> Unit:
    unit = session.get(Unit, unit_id) if unit_id else None
    if unit is None:
        raise ValidationError(Text("no such unit; choose the unit from the list", "没有该房屋，请从列表中选择"),
                              field="unit_id")
    return unit


@attributed
def create_batch(session, actor, **data) -> MoveInBatch:
    """Record the developer's handover list (开发商交房清单): a phase and the units handed over."""
    values = load(BatchSchema(), data)
    authorize(session, actor, "move_in.manage", values["estate_id"])
    unit_ids = values.pop("unit_ids", [])
    if values.get("move_in_from") and values.get("move_in_to") and values["move_in_to"] < values["move_in_from"]:
        raise ValidationError(Text("the last move-in day is before the first", "集中入伙结束日期早于开始日期"),
                              field="move_in_to")
    units = [_unit(session, uid) for uid in dict.fromkeys(unit_ids)]
    for unit in units:
        if unit.estate_id != values["estate_id"]:
            raise ValidationError(Text(f"unit {unit.label} belongs to another estate", f"房屋 {unit.label} 不属于本小区"),
                                  field="unit_ids")
    year = (values.get("handed_over_on") or estate_today(session, values["estate_id"])).year
    batch = MoveInBatch(number=next_number(session, "MB", estate_id=values["estate_id"], year=year), **values)
    session.add(batch)
    session.flush()
    for unit in units:
        session.add(MoveInBatchUnit(estate_id=batch.estate_id, batch_id=batch.id, unit_id=unit.id))
    session.flush()
    return batch


@attributed
def create_slot(session, actor, **data) -> MoveInSlot:
    """Open an appointment slot (预约时段) at the move-in office."""
    values = load(SlotSchema(), data)
    authorize(session, actor, "move_in.manage", values["estate_id"])
    if values["ends_at"] <= values["starts_at"]:
        raise ValidationError(Text("the slot must end after it starts", "结束时间须晚于开始时间"), field="ends_at")
    batch_id = values.get("batch_id")
    if batch_id is not None:
        batch = session.get(MoveInBatch, batch_id)
        if batch is None or batch.estate_id != values["estate_id"]:
            raise ValidationError(Text("choose a batch of this estate", "请选择本小区的入伙批次"), field="batch_id")
    slot = MoveInSlot(**values)
    session.add(slot)
    session.flush()
    return slot


def booked_count(session, slot: MoveInSlot) -> int:
    """Cases booked into ``slot``."""
    return int(session.scalar(select(func.count()).select_from(MoveInCase).where(MoveInCase.slot_id == slot.id)))


@attributed
def issue_notice(session, actor, *, unit_id: int, owner_id: int | None = None, batch_id: int | None = None,
                 notice_sent_on: dt.date | None = None, notice_received_on: dt.date | None = None) -> MoveInCase:
    """Issue the move-in notice (入伙通知书) to the unit's owner and open the case (``notified``)."""
    unit = _unit(session, unit_id)
    authorize(session, actor, "move_in.manage", unit)
    today = estate_today(session, unit.estate_id)
    sent = notice_sent_on or today
    received = notice_received_on or sent
    if received < sent:
        raise ValidationError(Text("the owner cannot receive the notice before it was sent", "收到通知日期早于发出日期"),
                              field="notice_received_on")
    owners = owners_of(session, unit, received)
    if owner_id is None:
        if not owners:
            raise ValidationError(Text(f"unit {unit.label} has no owner on record; record the owner first",
                                       f"房屋 {unit.label} 没有业主记录，请先登记业主"), field="owner_id")
        owner = owners[0]
    else:
        owner = session.get(Party, owner_id)
        if owner is None or all(p.id != owner.id for p in owners):
            raise ValidationError(Text(f"the party chosen does not own unit {unit.label}",
                                       f"所选人员不是房屋 {unit.label} 的业主"), field="owner_id")
    if UnitStatus(unit.status) not in (UnitStatus.not_delivered, UnitStatus.notified):
        raise Conflict(Text(f"unit {unit.label} is already '{UnitStatus(unit.status).value}'; a move-in notice is for "
                            "units not yet delivered", f"房屋 {unit.label} 已交付，不能再发入伙通知"), field="unit_id")
    open_case = session.scalar(select(MoveInCase).where(MoveInCase.unit_id == unit.id,
                                                        MoveInCase.status.in_(OPEN_STATES)))
    if open_case is not None:
        raise Conflict(Text(f"unit {unit.label} already has move-in case {open_case.number}",
                            f"房屋 {unit.label} 已有入伙办理 {open_case.number}"), field="unit_id")
    if batch_id is not None:
        batch = session.get(MoveInBatch, batch_id)
        if batch is None or batch.estate_id != unit.estate_id:
            raise ValidationError(Text("choose a batch of this estate", "请选择本小区的入伙批次"), field="batch_id")
    case = MoveInCase(estate_id=unit.estate_id, number=next_number(session, "MI", estate_id=unit.estate_id,
                                                                   year=sent.year),
                      unit_id=unit.id, owner_id=owner.id, batch_id=batch_id, notice_sent_on=sent,
                      notice_received_on=received,
                      notified_by=add_months(received, settings(session)["deemed_after_months"]),
                      handled_by_id=getattr(actor, "id", None))
    session.add(case)
    session.flush()
    if UnitStatus(unit.status) == UnitStatus.not_delivered:
        change_unit_status(session, unit, UnitStatus.notified, actor=actor, reason=f"入伙通知 {case.number}")
    return case
