"""Issuing keys to owners and custody agreements (钥匙托管书), spec 2.12 and KF08 §5.4.6.

``issue_to_owner`` and ``take_spare_into_custody`` are the services a move-in plugin calls (it
need not depend on keys: it can look them up only when ``keys`` is enabled). Keys are never issued
by themselves when a unit's status changes: see ``movein.issue_keys_at_move_in``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import (
    Conflict,
    NotFound,
    Text,
    ValidationError,
    apply,
    authorize,
    estate_today,
    next_number,
    owners_of,
    utcnow,
)
from core.models import Party, StaffUser, Unit
from plugins.keys.agents import check_agent
from plugins.keys.models import (
    ConsentChannel,
    CustodyAgreement,
    CustodyReason,
    CustodyStatus,
    KeySet,
    KeyStatus,
    KeyUse,
)
from plugins.keys.records import aware, get, staff, stripped
from plugins.keys.register import require_status
from plugins.keys.workflows.key_set import active_agreement, open_loan


def issue_to_owner(session: Session, actor: StaffUser | None, key_set: KeySet | int, *,
                   owner: Party | int | None = None, detail: str = "", agent=None, agent_name: str = "",
                   agent_id_number: str = "", power_of_attorney_id: int | None = None) -> KeySet:
    """Hand a sealed key set to the unit's owner, who signs the register (交付业主), or to the owner's
    agent with the power of attorney on file (``agent_name``, ``agent_id_number``,
    ``power_of_attorney_id``: see ``agents.check_agent``).

    ``owner`` defaults to the unit's first owner today. Writes an issue line in the
    钥匙领(借)用登记表.
    """
    key_set = get(session, KeySet, key_set, lock=True, what="key set")
    authorize(session, actor, "keys.manage", key_set)
    if key_set.unit_id is None:
        raise Conflict(Text(f"key set {key_set.tag_no} opens a facility room: only unit keys go to owners", f"钥匙 {key_set.tag_no} 属于设备房，只有房屋钥匙交付业主"),
                       field="key_set_id")
    require_status(key_set, (KeyStatus.sealed,), "issued to the owner")
    day = estate_today(session, key_set.estate_id)
    owners = owners_of(session, key_set.unit, day)
    if owner is None:
        if not owners:
            raise ValidationError(Text(f"unit {key_set.unit.label} has no owner on record; record the owner first", f"房屋 {key_set.unit.label} 没有业主记录，请先登记业主"),
                                  field="owner_id")
        owner = owners[0]
    elif not isinstance(owner, Party):
        owner = session.get(Party, owner)
        if owner is None:
            raise ValidationError(Text("no such party", "没有该业主"), field="owner_id")
    if all(p.id != owner.id for p in owners):
        raise ValidationError(Text(f"{owner.name} does not own unit {key_set.unit.label}", f"{owner.name} 不是房屋 {key_set.unit.label} 的业主"), field="owner_id")
    if agent is None:
        agent = check_agent(session, actor, key_set.estate_id, agent_name=agent_name,
                            agent_id_number=agent_id_number, power_of_attorney_id=power_of_attorney_id)
    return apply(session, key_set, "issue_to_owner", actor, owner=owner, detail=detail, agent=agent)


def _uses(permitted_uses: Iterable[str]) -> list[str]:
    if isinstance(permitted_uses, str) or not permitted_uses:
        raise ValidationError(Text("list the uses the owner permits, e.g. repairs, inspection", "请填写业主允许的用途，例如：维修、查验"), field="permitted_uses")
    out = []
    for use in permitted_uses:
        try:
            value = KeyUse(use).value
        except ValueError:
            raise ValidationError(Text(f"unknown use {use!r}; use one of " + ", ".join(u.value for u in KeyUse), f"未知用途 {use!r}，可选：" + "、".join(zh for _, zh in KeyUse.__labels__.values())),
                                  field="permitted_uses") from None
        if value not in out:
            out.append(value)
    return out


def _persons(authorised_persons) -> list[dict]:
    out = []
    for p in authorised_persons or ():
        person = {"name": p} if isinstance(p, str) else dict(p)
        if not stripped(person.get("name")):
            raise ValidationError(Text("each authorised person needs a name", "每位授权人都须填写姓名"), field="authorised_persons")
        out.append({k: str(v) for k, v in person.items() if k in ("name", "phone", "relation", "id_number")})
    return out


def create_custody_agreement(session: Session, actor: StaffUser | None, *, unit_id: int, owner_id: int,
                             reason: str, permitted_uses: Iterable[str], start_on: dt.date,
                             end_on: dt.date | None = None, authorised_persons=(), reason_detail: str = "",
                             owner_confirmed_at: dt.datetime | None = None,
                             confirmation_channel: str = "in_person", witnessed_by_id: int | None = None,
                             key_set_id: int | None = None) -> CustodyAgreement:
    """Record a 钥匙托管书 the owner signed (or confirmed by phone/app), witnessed by staff.

    The owner must own the unit on ``start_on``. One active agreement per unit at a time.
    """
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound(Text(f"no unit with id {unit_id}", f"没有编号为 {unit_id} 的房屋"))
    authorize(session, actor, "keys.custody", unit)
    owner = session.get(Party, owner_id)
    if owner is None:
        raise ValidationError(Text(f"no party with id {owner_id}", f"没有编号为 {owner_id} 的业主"), field="owner_id")
    if not isinstance(start_on, dt.date) or isinstance(start_on, dt.datetime):
        raise ValidationError(Text("give the start date", "请填写开始日期"), field="start_on")
    if all(p.id != owner.id for p in owners_of(session, unit, start_on)):
        raise ValidationError(Text(f"{owner.name} does not own unit {unit.label} on {start_on}; only an owner can "
                              "leave keys in custody", f"{owner.name} 在 {start_on} 不是房屋 {unit.label} 的业主，只有业主可以托管钥匙"), field="owner_id")
    try:
        reason = CustodyReason(reason)
    except ValueError:
        raise ValidationError(Text("reason must be one of " + ", ".join(r.value for r in CustodyReason), "原因须为：" + "、".join(zh for _, zh in CustodyReason.__labels__.values())),
                              field="reason") from None
    uses, persons = _uses(permitted_uses), _persons(authorised_persons)
    if end_on is not None and end_on < start_on:
        raise ValidationError(Text(f"end date {end_on} is before the start date {start_on}", f"结束日期 {end_on} 早于开始日期 {start_on}"), field="end_on")
    aware(owner_confirmed_at, "owner_confirmed_at")
    now = utcnow()
    if owner_confirmed_at is not None and owner_confirmed_at > now + dt.timedelta(minutes=5):
        raise ValidationError(Text("the owner's confirmation cannot be in the future", "业主确认时间不能晚于现在"), field="owner_confirmed_at")
    try:
        channel = ConsentChannel(confirmation_channel)
    except ValueError:
        raise ValidationError(Text("confirmation channel must be one of " + ", ".join(c.value for c in ConsentChannel), "确认方式须为：" + "、".join(zh for _, zh in ConsentChannel.__labels__.values())),
                              field="confirmation_channel") from None
    if witnessed_by_id is None and actor is None:
        raise ValidationError(Text("name the staff member who witnessed the owner's confirmation", "请选择见证业主确认的员工"),
                              field="witnessed_by_id")
    witness = staff(session, witnessed_by_id if witnessed_by_id is not None else actor, "witnessed_by_id")
    if key_set_id is not None:
        key_set = session.get(KeySet, key_set_id)
        if key_set is None or key_set.unit_id != unit.id:
            raise ValidationError(Text(f"key set {key_set_id} is not a key set of unit {unit.label}", f"钥匙 {key_set_id} 不属于房屋 {unit.label}"), field="key_set_id")
    overlap = session.scalar(
        select(CustodyAgreement).where(CustodyAgreement.unit_id == unit.id,
                                       CustodyAgreement.status == CustodyStatus.active)
        .where((CustodyAgreement.end_on.is_(None)) | (CustodyAgreement.end_on >= start_on)))
    if overlap is not None and (end_on is None or overlap.start_on <= end_on):
        raise Conflict(Text(f"unit {unit.label} already has active custody agreement {overlap.number}; end it first", f"房屋 {unit.label} 已有有效的托管书 {overlap.number}，请先终止"),
                       field="start_on")
    year = estate_today(session, unit.estate_id).year  # numbered in the year it is recorded
    number = next_number(session, "KC", estate_id=unit.estate_id, year=year)
    agreement = CustodyAgreement(
        estate_id=unit.estate_id, number=number, unit_id=unit.id, owner_id=owner.id, key_set_id=key_set_id, reason=reason, reason_detail=reason_detail,
        permitted_uses=uses, authorised_persons=persons, start_on=start_on, end_on=end_on,
        owner_confirmed_at=owner_confirmed_at or now, confirmation_channel=channel, witnessed_by_id=witness.id,
        created_by_id=actor.id if actor else None)
    session.add(agreement)
    session.flush()
    return agreement


def take_into_custody(session: Session, actor: StaffUser | None, key_set: KeySet | int,
                      agreement: CustodyAgreement | int | None = None) -> KeySet:
    """Put a unit's key set into custody (托管) under the unit's active agreement."""
    key_set = get(session, KeySet, key_set, lock=True, what="key set")
    authorize(session, actor, "keys.custody", key_set)
    require_status(key_set, (KeyStatus.sealed, KeyStatus.issued_to_owner), "taken into custody")
    if agreement is not None:
        agreement = get(session, CustodyAgreement, agreement, what="custody agreement")
    else:
        if key_set.unit_id is None:
            raise Conflict(Text(f"key set {key_set.tag_no} opens a facility room: custody agreements are for units", f"钥匙 {key_set.tag_no} 属于设备房，钥匙托管只适用于房屋"),
                           field="key_set_id")
        agreement = active_agreement(session, key_set.unit_id, estate_today(session, key_set.estate_id),
                                     key_set.id)
    if agreement is None:
        raise Conflict(Text(f"unit {key_set.place} has no active custody agreement (钥匙托管书) for today; "
                       "record the owner's agreement first", f"房屋 {key_set.place} 今天没有有效的钥匙托管书，请先登记业主的托管协议"), field="custody_agreement")
    return apply(session, key_set, "take_into_custody", actor, agreement=agreement)


def take_spare_into_custody(session: Session, actor: StaffUser | None, key_set: KeySet | int, *, owner_id: int,
                            permitted_uses: Iterable[str] = ("repairs", "inspection"),
                            reason: str = "repairs_pending", start_on: dt.date | None = None,
                            end_on: dt.date | None = None, **agreement_fields) -> CustodyAgreement:
    """Move-in with defects pending (KF08 §5.4.6): the owner signs a 钥匙托管书 and leaves a spare key.

    Records the agreement and takes the (sealed or issued) key set into custody in one go.
    """
    key_set = get(session, KeySet, key_set, lock=True, what="key set")
    authorize(session, actor, "keys.custody", key_set)
    if key_set.unit_id is None:
        raise Conflict(Text(f"key set {key_set.tag_no} opens a facility room: custody agreements are for units", f"钥匙 {key_set.tag_no} 属于设备房，钥匙托管只适用于房屋"),
                       field="key_set_id")
    require_status(key_set, (KeyStatus.sealed, KeyStatus.issued_to_owner), "taken into custody")
    agreement = create_custody_agreement(
        session, actor, unit_id=key_set.unit_id, owner_id=owner_id, reason=reason, permitted_uses=permitted_uses,
        start_on=start_on or estate_today(session, key_set.estate_id), end_on=end_on,
        key_set_id=key_set.id, **agreement_fields)
    apply(session, key_set, "take_into_custody", actor, agreement=agreement)
    return agreement


def end_custody_agreement(session: Session, actor: StaffUser | None, agreement: CustodyAgreement | int, *,
                          note: str = "") -> CustodyAgreement:
    """End a custody agreement; a key still in custody goes back to the owner (release_custody)."""
    agreement = get(session, CustodyAgreement, agreement, lock=True, what="custody agreement")
    authorize(session, actor, "keys.custody", agreement)
    if agreement.status != CustodyStatus.active:
        raise Conflict(Text(f"agreement {agreement.number} already ended on {agreement.ended_at:%Y-%m-%d}", f"托管书 {agreement.number} 已于 {agreement.ended_at:%Y-%m-%d} 终止"),
                       field="status")
    key_set = agreement.key_set
    if key_set is not None and KeyStatus(key_set.status) == KeyStatus.lent:
        loan = open_loan(session, key_set)
        raise Conflict(Text(f"key set {key_set.tag_no} is out on loan {loan.number if loan else ''}; get it back "
                       "before ending the agreement", f"钥匙 {key_set.tag_no} 已借出，请先收回再终止托管"), field="key_set_id")
    apply(session, agreement, "end", actor, comment=note or None, note=note)
    session.flush()
    return agreement


def release_custody(session: Session, actor: StaffUser | None, key_set: KeySet | int, *, note: str = "") -> KeySet:
    """Give a custody key back to the owner; its agreement ends (解除托管)."""
    key_set = get(session, KeySet, key_set, lock=True, what="key set")
    authorize(session, actor, "keys.custody", key_set)
    require_status(key_set, (KeyStatus.in_custody,), "released from custody")
    return apply(session, key_set, "release_custody", actor, comment=note or None, note=note)
