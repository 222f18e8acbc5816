"""The key register (钥匙登记): facility rooms, key sets and the key-set changes outside a loan or
custody (received from the developer one by one, sealed, destroyed).

Public through ``plugins.keys.services``. Every function checks everything before it writes, so
an error leaves the database as it was.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import Conflict, NotFound, Text, ValidationError, apply, authorize
from core.models import StaffUser, Unit
from plugins.keys.models import FacilityRoom, FacilityRoomKind, KeySet, KeyStatus
from plugins.keys.records import get, is_count, staff, stripped

KEY_SET_EDITABLE = ("tag_no", "key_type", "copies", "cabinet_slot", "notes")


# --- facility rooms -----------------------------------------------------------------------------

def create_facility_room(session: Session, actor: StaffUser | None, *, estate_id: int, name: str,
                         kind: str = "other", location: str = "", responsible_staff_id: int | None = None,
                         notes: str = "") -> FacilityRoom:
    """Register a room whose keys the office keeps (配电房, 监控室, 办公室 ...)."""
    authorize(session, actor, "keys.manage", estate_id)
    name = stripped(name)
    if not name:
        raise ValidationError(Text("give the room a name, e.g. 1号配电房", "请填写设备房名称，例如 1号配电房"), field="name")
    try:
        kind = FacilityRoomKind(kind)
    except ValueError:
        raise ValidationError(Text(f"unknown room kind {kind!r}; use one of "
                              + ", ".join(k.value for k in FacilityRoomKind), f"未知设备房类型 {kind!r}"), field="kind") from None
    if responsible_staff_id is not None:
        staff(session, responsible_staff_id, "responsible_staff_id")
    if session.scalar(select(FacilityRoom.id).where(FacilityRoom.estate_id == estate_id, FacilityRoom.name == name)):
        raise Conflict(Text(f"estate {estate_id} already has a room named {name!r}", f"本小区已有名为 {name!r} 的设备房"), field="name")
    room = FacilityRoom(estate_id=estate_id, name=name, kind=kind, location=location,
                        responsible_staff_id=responsible_staff_id, notes=notes)
    session.add(room)
    session.flush()
    return room


# --- key sets -----------------------------------------------------------------------------------

def check_key_set(session: Session, estate_id: int, tag_no: str, unit_id: int | None,
                  facility_room_id: int | None, copies: int, exclude_id: int | None = None) -> str:
    """Check a key set's tag, place and copies (new or changed); returns the tag as registered."""
    tag_no = stripped(tag_no)
    if not tag_no:
        raise ValidationError(Text("give the tag number (钥匙牌号)", "请填写钥匙牌号"), field="tag_no")
    if (unit_id is None) == (facility_room_id is None):
        raise ValidationError(Text("a key set belongs to exactly one unit or one facility room: give unit_id or "
                              "facility_room_id, not both and not neither", "每套钥匙只属于一个房屋或一个设备房：请二选一填写"), field="unit_id")
    if unit_id is not None:
        unit = session.get(Unit, unit_id)
        if unit is None or unit.estate_id != estate_id:
            raise ValidationError(Text(f"unit {unit_id} is not a unit of estate {estate_id}", f"房屋 {unit_id} 不属于本小区"), field="unit_id")
    else:
        room = session.get(FacilityRoom, facility_room_id)
        if room is None or room.estate_id != estate_id:
            raise ValidationError(Text(f"facility room {facility_room_id} is not a room of estate {estate_id}", f"设备房 {facility_room_id} 不属于本小区"),
                                  field="facility_room_id")
    if not is_count(copies):
        raise ValidationError(Text("number of copies must be a whole number of at least 1", "把数须为不小于 1 的整数"), field="copies")
    clash = session.scalar(select(KeySet).where(KeySet.estate_id == estate_id, KeySet.tag_no == tag_no,
                                                KeySet.id != (exclude_id or 0)))
    if clash is not None:
        raise Conflict(Text(f"tag number {tag_no} is already used by key set {clash} in this estate; "
                       "choose another tag", f"钥匙牌号 {tag_no} 已被本小区的钥匙 {clash} 使用，请换一个牌号"), field="tag_no")
    return tag_no


def create_key_set(session: Session, actor: StaffUser | None, *, estate_id: int, tag_no: str,
                   unit_id: int | None = None, facility_room_id: int | None = None, key_type: str = "",
                   copies: int = 1, cabinet_slot: str = "", notes: str = "") -> KeySet:
    """Register a key set; it starts ``with_developer`` (开发商持有) as the workflow's initial state."""
    authorize(session, actor, "keys.manage", estate_id)
    tag_no = check_key_set(session, estate_id, tag_no, unit_id, facility_room_id, copies)
    key_set = KeySet(estate_id=estate_id, tag_no=tag_no, unit_id=unit_id, facility_room_id=facility_room_id,
                     key_type=key_type, copies=copies, cabinet_slot=cabinet_slot, notes=notes)
    session.add(key_set)
    session.flush()
    return key_set


def update_key_set(session: Session, actor: StaffUser | None, key_set: KeySet | int, **changes) -> KeySet:
    """Change a key set's tag, type, copies, cabinet slot or notes (never its status or owner)."""
    key_set = get(session, KeySet, key_set, what="key set")
    authorize(session, actor, "keys.manage", key_set)
    unknown = sorted(set(changes) - set(KEY_SET_EDITABLE))
    if unknown:
        field = unknown[0]
        hint = "use a workflow transition" if field == "status" else f"editable: {', '.join(KEY_SET_EDITABLE)}"
        raise ValidationError(Text(f"{field} cannot be edited here; {hint}", f"{field} 不能在此修改"), field=field)
    values = {f: getattr(key_set, f) for f in KEY_SET_EDITABLE} | changes
    values["tag_no"] = check_key_set(session, key_set.estate_id, values["tag_no"], key_set.unit_id,
                                      key_set.facility_room_id, values["copies"], exclude_id=key_set.id)
    for name, value in values.items():
        setattr(key_set, name, value)
    session.flush()
    return key_set


def key_sets_of_unit(session: Session, unit_id: int, status: KeyStatus | None = None) -> list[KeySet]:
    """The unit's key sets (optionally in one status), by tag number."""
    stmt = select(KeySet).where(KeySet.unit_id == unit_id).order_by(KeySet.tag_no)
    if status is not None:
        stmt = stmt.where(KeySet.status == status)
    return list(session.scalars(stmt))


def require_status(key_set: KeySet, allowed: tuple[KeyStatus, ...], action: str) -> None:
    """A ``Conflict`` on ``status`` unless the key set is in one of ``allowed`` (checked before the engine,
    so the message names what the key can be ``action`` from)."""
    if KeyStatus(key_set.status) not in allowed:
        raise Conflict(Text(f"key set {key_set.tag_no} is '{KeyStatus(key_set.status).value}': it can be {action} "
                       f"only when {' or '.join(s.value for s in allowed)}", f"钥匙 {key_set.tag_no} 当前为“{KeyStatus.__labels__[KeyStatus(key_set.status).value][1]}”，只有在“{'”或“'.join(KeyStatus.__labels__[s.value][1] for s in allowed)}”时才能操作"), field="status")


def receive_from_developer(session: Session, actor: StaffUser | None, key_set: KeySet | int, *,
                           copies: int | None = None, comment: str | None = None) -> KeySet:
    """Receive one key set from the developer outside a batch and seal it in the office."""
    key_set = get(session, KeySet, key_set, lock=True, what="key set")
    authorize(session, actor, "keys.manage", key_set)
    require_status(key_set, (KeyStatus.with_developer,), "received from the developer")
    if copies is not None and not is_count(copies):
        raise ValidationError(Text("copies received must be at least 1", "接收把数至少为 1"), field="copies")
    return apply(session, key_set, "receive_from_developer", actor, comment=comment, copies=copies)


def seal_key_set(session: Session, actor: StaffUser | None, key_set: KeySet | int, *, comment: str,
                 copies: int | None = None) -> KeySet:
    """Seal keys in the office (封存): handed back by the owner, or found / re-cut after a loss."""
    key_set = get(session, KeySet, key_set, lock=True, what="key set")
    authorize(session, actor, "keys.manage", key_set)
    require_status(key_set, (KeyStatus.issued_to_owner, KeyStatus.lost), "sealed")
    if not stripped(comment):
        raise ValidationError(Text("say why the keys are sealed (returned by the owner, found, new keys cut)", "请说明封存原因（业主交回、找回、新配钥匙）"),
                              field="comment")
    if copies is not None and not is_count(copies):
        raise ValidationError(Text("copies must be at least 1", "把数至少为 1"), field="copies")
    return apply(session, key_set, "seal", actor, comment=comment, copies=copies)


def destroy_key_set(session: Session, actor: StaffUser | None, key_set: KeySet | int, *, reason: str) -> KeySet:
    """Destroy keys (销毁), e.g. the old keys after a lock change; final."""
    key_set = get(session, KeySet, key_set, lock=True, what="key set")
    authorize(session, actor, "keys.manage", key_set)
    require_status(key_set, (KeyStatus.with_developer, KeyStatus.sealed, KeyStatus.lost), "destroyed")
    if not stripped(reason):
        raise ValidationError(Text("give the reason the keys are destroyed", "请填写销毁原因"), field="reason")
    return apply(session, key_set, "destroy", actor, comment=reason)


def get_key_set(session: Session, key_set_id: int) -> KeySet:
    """A key set by id (``NotFound`` otherwise)."""
    key_set = session.get(KeySet, key_set_id)
    if key_set is None:
        raise NotFound(Text(f"no key set with id {key_set_id}", f"没有编号为 {key_set_id} 的钥匙"))
    return key_set
