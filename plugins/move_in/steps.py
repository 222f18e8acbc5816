"""Guards and effects of the move-in workflow's steps (``workflows.py``), KF08 §5.3-5.4.

Each guard returns None when the step may go ahead, else a bilingual reason; each effect writes the
step's facts on the case in the same transaction. The keys and the unit's status go through their
owners' services: ``plugins.keys.services`` and core's ``change_unit_status``.
"""

from __future__ import annotations

from core import Text, ValidationError, change_unit_status, estate_today, utcnow
from core.models import UnitStatus
from plugins.billing import services as billing
from plugins.keys import services as keys
from plugins.move_in.models import MoveInCase, MoveInSlot
from plugins.move_in.notices import booked_count, settings


def open_amount_fen(session, case: MoveInCase) -> int:
    """What the unit still owes in billing (fen): the fees come first (KF08 §5.4.4)."""
    return billing.unit_balance_fen(session, case.unit_id)


# --- book ---------------------------------------------------------------------------------------

def guard_slot(session, case: MoveInCase, actor, slot_id=None, **data):
    slot = session.get(MoveInSlot, slot_id) if isinstance(slot_id, int) else None
    if slot is None or slot.estate_id != case.estate_id:
        return Text("choose an appointment slot of this estate", "请选择本小区的预约时段")
    if booked_count(session, slot) >= slot.capacity:
        return Text(f"the slot {slot} is full ({slot.capacity} owners); choose another",
                    f"时段 {slot} 已约满（{slot.capacity} 户），请另选时段")
    return None


def book(session, case: MoveInCase, actor, slot_id=None, **data):
    case.slot_id = slot_id


# --- documents ----------------------------------------------------------------------------------

def guard_documents(session, case: MoveInCase, actor, id_checked=False, contract_checked=False, persons=1,
                    photos_count=0, agent_name="", agent_id_number="", power_of_attorney_id=None, **data):
    if id_checked is not True:
        return Text("check the ID originals of the owner and household members first", "请先核验业主及家庭成员身份证原件")
    if contract_checked is not True:
        return Text("check the purchase contract (original and copy) first", "请先核验购房合同原件及复印件")
    per_person = settings(session)["photos_per_person"]
    persons = persons if isinstance(persons, int) and persons > 0 else 1
    if not isinstance(photos_count, int) or photos_count < per_person * persons:
        return Text(f"{per_person} one-inch photos per person are needed: {per_person * persons} for {persons}",
                    f"每人需一寸彩照 {per_person} 张，{persons} 人共 {per_person * persons} 张")
    if agent_name or agent_id_number or power_of_attorney_id:
        try:
            keys.check_agent(session, actor, case.estate_id, agent_name=agent_name, agent_id_number=agent_id_number,
                             power_of_attorney_id=power_of_attorney_id)
        except ValidationError as exc:  # the keys plugin's own message is the reason
            first = next(iter(exc.errors.values()))[0]
            return first if isinstance(first, Text) else Text(str(first), str(first))
    return None


def record_documents(session, case: MoveInCase, actor, id_checked=False, contract_checked=False, persons=1,
                     photos_count=0, agent_name="", agent_id_number="", power_of_attorney_id=None, **data):
    case.id_checked, case.contract_checked = True, True
    case.persons, case.photos_count = persons, photos_count
    case.agent_name, case.agent_id_number = (agent_name or "").strip(), (agent_id_number or "").strip()
    case.power_of_attorney_id = power_of_attorney_id


# --- fees ---------------------------------------------------------------------------------------

def guard_fees_paid(session, case: MoveInCase, actor, **data):
    owed = open_amount_fen(session, case)
    if owed > 0:
        return Text(f"unit {case.unit.label} still owes {owed / 100:.2f} yuan; the owner pays at the cashier first",
                    f"房屋 {case.unit.label} 尚欠 {owed / 100:.2f} 元，请业主先到收费处缴清")
    return None


def record_fees(session, case: MoveInCase, actor, **data):
    case.open_at_check_fen = open_amount_fen(session, case)
    case.fees_paid_at = utcnow()


# --- inspection, signature ----------------------------------------------------------------------

def record_inspection(session, case: MoveInCase, actor, inspectors="", water_reading="", electricity_reading="",
                      gas_reading="", **data):
    case.inspected_at = utcnow()
    case.inspectors = (inspectors or getattr(actor, "full_name", "") or getattr(actor, "username", "") or "")[:200]
    case.water_reading, case.electricity_reading, case.gas_reading = (
        (water_reading or "")[:32], (electricity_reading or "")[:32], (gas_reading or "")[:32])


def record_signature(session, case: MoveInCase, actor, signed_by_name="", **data):
    case.signed_at = utcnow()
    case.signed_by_name = ((signed_by_name or "").strip() or case.agent_name or case.owner.name)[:200]


# --- keys, delivery, deemed delivery ------------------------------------------------------------

def issue_keys(session, case: MoveInCase, actor, **data):
    """The owner, or the agent named on the case with the power of attorney, signs for the keys."""
    issued = keys.issue_keys_at_move_in(session, actor, case.unit, owner=case.owner, agent_name=case.agent_name,
                                        agent_id_number=case.agent_id_number,
                                        power_of_attorney_id=case.power_of_attorney_id,
                                        detail=f"入伙交付钥匙 {case.number}")
    case.keys_issued_at, case.keys_count = utcnow(), len(issued)


def deliver(session, case: MoveInCase, actor, **data):
    """收楼完成: the unit becomes delivered through the core unit service."""
    unit = case.unit
    if UnitStatus(unit.status) in (UnitStatus.not_delivered, UnitStatus.notified, UnitStatus.deemed_delivered):
        change_unit_status(session, unit, UnitStatus.delivered, actor=actor, reason=f"入伙办结 {case.number}")
    if unit.delivered_on is None:  # core's service may set it itself; the move-in date otherwise
        unit.delivered_on = estate_today(session, case.estate_id)
    case.done_at = utcnow()


def guard_past_notified_date(session, case: MoveInCase, actor, **data):
    today = estate_today(session, case.estate_id)
    if today <= case.notified_by:
        return Text(f"the owner has until {case.notified_by} to come; a unit is deemed delivered only after that",
                    f"业主办理期限至 {case.notified_by}，期满后方可视同交付")
    return None


def deem(session, case: MoveInCase, actor, **data):
    """视同交付 (KF08 §4): the unit is deemed delivered; billing starts fees from the unit's status."""
    case.deemed_on = estate_today(session, case.estate_id)
    if UnitStatus(case.unit.status) == UnitStatus.notified:
        change_unit_status(session, case.unit, UnitStatus.deemed_delivered, actor=actor,
                           reason=f"视同交付 {case.number}（{case.notified_by} 前未办理入伙）")
