"""The key register (钥匙登记) and developer handover batches (开发商钥匙移交, 统一封存).

Public through ``plugins.keys.services``. Every function checks everything before it writes, so
an error leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import Conflict, NotFound, ValidationError, apply, authorize, estate_today, next_number, utcnow
from core.models import StaffUser, Unit
from plugins.keys.models import (
    BatchStatus,
    CheckResult,
    FacilityRoom,
    FacilityRoomKind,
    HandoverBatch,
    HandoverLine,
    KeySet,
    KeyStatus,
)
from plugins.keys.records import aware, get, is_count, staff, stripped
from plugins.keys.workflows.handover import received_lines

KEY_SET_EDITABLE = ("tag_no", "key_type", "copies", "cabinet_slot", "notes")


# --- facility rooms -----------------------------------------------------------------------------

def create_facility_room(session: Session, actor: StaffUser | None, *, estate_id: int, name: str,
                         kind: str = "other", location: str = "", responsible_staff_id: int | None = None,
                         notes: str = "") -> FacilityRoom:
    """Register a room whose keys the office keeps (配电房, 监控室, 办公室 ...)."""
    authorize(session, actor, "keys.manage", estate_id)
    name = stripped(name)
    if not name:
        raise ValidationError("give the room a name, e.g. 1号配电房", field="name")
    try:
        kind = FacilityRoomKind(kind)
    except ValueError:
        raise ValidationError(f"unknown room kind {kind!r}; use one of "
                              + ", ".join(k.value for k in FacilityRoomKind), field="kind") from None
    if responsible_staff_id is not None:
        staff(session, responsible_staff_id, "responsible_staff_id")
    if session.scalar(select(FacilityRoom.id).where(FacilityRoom.estate_id == estate_id, FacilityRoom.name == name)):
        raise Conflict(f"estate {estate_id} already has a room named {name!r}", field="name")
    room = FacilityRoom(estate_id=estate_id, name=name, kind=kind, location=location,
                        responsible_staff_id=responsible_staff_id, notes=notes)
    session.add(room)
    session.flush()
    return room


# --- key sets -----------------------------------------------------------------------------------

def _check_key_set(session: Session, estate_id: int, tag_no: str, unit_id: int | None,
                   facility_room_id: int | None, copies: int, exclude_id: int | None = None) -> str:
    tag_no = stripped(tag_no)
    if not tag_no:
        raise ValidationError("give the tag number (钥匙牌号)", field="tag_no")
    if (unit_id is None) == (facility_room_id is None):
        raise ValidationError("a key set belongs to exactly one unit or one facility room: give unit_id or "
                              "facility_room_id, not both and not neither", field="unit_id")
    if unit_id is not None:
        unit = session.get(Unit, unit_id)
        if unit is None or unit.estate_id != estate_id:
            raise ValidationError(f"unit {unit_id} is not a unit of estate {estate_id}", field="unit_id")
    else:
        room = session.get(FacilityRoom, facility_room_id)
        if room is None or room.estate_id != estate_id:
            raise ValidationError(f"facility room {facility_room_id} is not a room of estate {estate_id}",
                                  field="facility_room_id")
    if not is_count(copies):
        raise ValidationError("number of copies must be a whole number of at least 1", field="copies")
    clash = session.scalar(select(KeySet).where(KeySet.estate_id == estate_id, KeySet.tag_no == tag_no,
                                                KeySet.id != (exclude_id or 0)))
    if clash is not None:
        raise Conflict(f"tag number {tag_no} is already used by key set {clash} in this estate; "
                       "choose another tag", field="tag_no")
    return tag_no


def create_key_set(session: Session, actor: StaffUser | None, *, estate_id: int, tag_no: str,
                   unit_id: int | None = None, facility_room_id: int | None = None, key_type: str = "",
                   copies: int = 1, cabinet_slot: str = "", notes: str = "") -> KeySet:
    """Register a key set; it starts ``with_developer`` (开发商持有) as the workflow's initial state."""
    authorize(session, actor, "keys.manage", estate_id)
    tag_no = _check_key_set(session, estate_id, tag_no, unit_id, facility_room_id, copies)
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
        raise ValidationError(f"{field} cannot be edited here; {hint}", field=field)
    values = {f: getattr(key_set, f) for f in KEY_SET_EDITABLE} | changes
    values["tag_no"] = _check_key_set(session, key_set.estate_id, values["tag_no"], key_set.unit_id,
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
        raise Conflict(f"key set {key_set.tag_no} is '{KeyStatus(key_set.status).value}': it can be {action} "
                       f"only when {' or '.join(s.value for s in allowed)}", field="status")


def receive_from_developer(session: Session, actor: StaffUser | None, key_set: KeySet | int, *,
                           copies: int | None = None, comment: str | None = None) -> KeySet:
    """Receive one key set from the developer outside a batch and seal it in the office."""
    key_set = get(session, KeySet, key_set, lock=True, what="key set")
    authorize(session, actor, "keys.manage", key_set)
    require_status(key_set, (KeyStatus.with_developer,), "received from the developer")
    if copies is not None and not is_count(copies):
        raise ValidationError("copies received must be at least 1", field="copies")
    return apply(session, key_set, "receive_from_developer", actor, comment=comment, copies=copies)


def seal_key_set(session: Session, actor: StaffUser | None, key_set: KeySet | int, *, comment: str,
                 copies: int | None = None) -> KeySet:
    """Seal keys in the office (封存): handed back by the owner, or found / re-cut after a loss."""
    key_set = get(session, KeySet, key_set, lock=True, what="key set")
    authorize(session, actor, "keys.manage", key_set)
    require_status(key_set, (KeyStatus.issued_to_owner, KeyStatus.lost), "sealed")
    if not stripped(comment):
        raise ValidationError("say why the keys are sealed (returned by the owner, found, new keys cut)",
                              field="comment")
    if copies is not None and not is_count(copies):
        raise ValidationError("copies must be at least 1", field="copies")
    return apply(session, key_set, "seal", actor, comment=comment, copies=copies)


def destroy_key_set(session: Session, actor: StaffUser | None, key_set: KeySet | int, *, reason: str) -> KeySet:
    """Destroy keys (销毁), e.g. the old keys after a lock change; final."""
    key_set = get(session, KeySet, key_set, lock=True, what="key set")
    authorize(session, actor, "keys.manage", key_set)
    require_status(key_set, (KeyStatus.with_developer, KeyStatus.sealed, KeyStatus.lost), "destroyed")
    if not stripped(reason):
        raise ValidationError("give the reason the keys are destroyed", field="reason")
    return apply(session, key_set, "destroy", actor, comment=reason)


# --- developer handover -------------------------------------------------------------------------

def receive_handover_batch(session: Session, actor: StaffUser | None, *, estate_id: int, lines: list[dict],
                           phase: str = "", developer_name: str = "", developer_contact: str = "",
                           received_at: dt.datetime | None = None, notes: str = "") -> HandoverBatch:
    """Receive the developer's keys (status ``received``); each line is then checked one by one.

    ``lines``: ``{"tag_no", "unit_id" | "facility_room_id", "copies", "key_type", "cabinet_slot"}``.
    A tag already in the register must still be ``with_developer`` and open the same place;
    otherwise a new key set is registered.
    """
    authorize(session, actor, "keys.manage", estate_id)
    aware(received_at, "received_at")
    if not lines:
        raise ValidationError("list at least one key set received from the developer", field="lines")
    seen: set[str] = set()
    plan: list[tuple[KeySet | None, dict]] = []
    for i, raw in enumerate(lines):
        line = dict(raw)
        tag = stripped(line.get("tag_no"))
        if tag in seen:
            raise ValidationError(f"tag number {tag} appears twice in the list (line {i + 1})", field="lines")
        seen.add(tag)
        copies = line.get("copies", 1)
        existing = session.scalar(select(KeySet).where(KeySet.estate_id == estate_id, KeySet.tag_no == tag))
        if existing is None:
            _check_key_set(session, estate_id, tag, line.get("unit_id"), line.get("facility_room_id"), copies)
        elif KeyStatus(existing.status) != KeyStatus.with_developer or (
                existing.unit_id, existing.facility_room_id) != (line.get("unit_id"), line.get("facility_room_id")):
            raise Conflict(f"line {i + 1}: tag {tag} is already registered ({existing}, "
                           f"'{KeyStatus(existing.status).value}'); it cannot be received again", field="lines")
        elif not is_count(copies):
            raise ValidationError(f"line {i + 1}: copies must be at least 1", field="lines")
        plan.append((existing, line | {"tag_no": tag, "copies": copies}))
    # The batch's year is the day the keys were received at the estate.
    year = estate_today(session, estate_id, received_at).year
    batch = HandoverBatch(estate_id=estate_id, number=next_number(session, "KH", estate_id=estate_id, year=year),
                          phase=phase, developer_name=developer_name, developer_contact=developer_contact,
                          received_at=received_at or utcnow(), received_by_id=actor.id if actor else None,
                          notes=notes)
    session.add(batch)
    session.flush()
    for existing, line in plan:
        key_set = existing or KeySet(estate_id=estate_id, tag_no=line["tag_no"], unit_id=line.get("unit_id"),
                                     facility_room_id=line.get("facility_room_id"),
                                     key_type=line.get("key_type", ""), copies=line["copies"],
                                     cabinet_slot=line.get("cabinet_slot", ""))
        session.add(key_set)
        session.flush()
        batch.lines.append(HandoverLine(estate_id=estate_id, key_set_id=key_set.id,
                                        expected_copies=line["copies"]))
    session.flush()
    return batch


def check_handover_line(session: Session, actor: StaffUser | None, line: HandoverLine | int, *, result: str,
                        counted_copies: int | None = None, remarks: str = "") -> HandoverLine:
    """Record the one-by-one check of a line (逐一核对): present, missing or damaged."""
    line = get(session, HandoverLine, line, what="handover line")
    authorize(session, actor, "keys.manage", line)
    if line.batch.status == BatchStatus.sealed:
        raise Conflict(f"batch {line.batch.number} is sealed; its lines can no longer change", field="result")
    try:
        res = CheckResult(result)
    except ValueError:
        res = None
    if res in (None, CheckResult.pending):
        raise ValidationError("result must be present, missing or damaged", field="result")
    if counted_copies is None:
        counted_copies = 0 if res == CheckResult.missing else line.expected_copies
    if not is_count(counted_copies, 0):
        raise ValidationError("counted copies must be a whole number, 0 or more", field="counted_copies")
    if res == CheckResult.missing and counted_copies:
        raise ValidationError("a missing key set has 0 counted copies", field="counted_copies")
    if res != CheckResult.missing and counted_copies == 0:
        raise ValidationError(f"a key set that is {res.value} has at least one copy; mark it missing otherwise",
                              field="counted_copies")
    line.result, line.counted_copies, line.remarks = res, counted_copies, remarks
    line.checked_at, line.checked_by_id = utcnow(), actor.id if actor else None
    session.flush()
    batch = line.batch
    if batch.status == BatchStatus.received and all(ln.result != CheckResult.pending for ln in batch.lines):
        apply(session, batch, "verify", actor, comment="every key checked one by one")
    return line


def handover_discrepancies(batch: HandoverBatch) -> list[dict]:
    """Lines that are not simply present with the listed copies: missing, damaged or short."""
    out = []
    for ln in batch.lines:
        if ln.result == CheckResult.present and ln.counted_copies == ln.expected_copies:
            continue
        out.append({"tag_no": ln.key_set.tag_no, "place": ln.key_set.place, "result": CheckResult(ln.result).value,
                    "expected_copies": ln.expected_copies, "counted_copies": ln.counted_copies,
                    "remarks": ln.remarks})
    return out


def seal_handover_batch(session: Session, actor: StaffUser | None, batch: HandoverBatch | int, *,
                        seal_no: str) -> list[dict]:
    """Seal a verified batch (统一封存) under ``seal_no``; received keys become ``sealed``.

    Missing keys stay ``with_developer``. Returns the discrepancies to report to the developer.
    """
    batch = get(session, HandoverBatch, batch, lock=True, what="handover batch")
    authorize(session, actor, "keys.manage", batch)
    if batch.status == BatchStatus.sealed:
        raise Conflict(f"batch {batch.number} was already sealed under seal {batch.seal_no}", field="status")
    pending = [ln.key_set.tag_no for ln in batch.lines if ln.result == CheckResult.pending]
    if pending:
        raise Conflict(f"check every key one by one before sealing; not yet checked: {', '.join(pending)}",
                       field="lines")
    seal_no = stripped(seal_no)
    if not seal_no:
        raise ValidationError("give the seal number (封条编号)", field="seal_no")
    for ln in received_lines(batch):
        require_status(ln.key_set, (KeyStatus.with_developer,), "received from the developer")
    apply(session, batch, "seal", actor, comment=f"seal {seal_no}", seal_no=seal_no)
    session.flush()
    return handover_discrepancies(batch)


def get_key_set(session: Session, key_set_id: int) -> KeySet:
    """A key set by id (``NotFound`` otherwise)."""
    key_set = session.get(KeySet, key_set_id)
    if key_set is None:
        raise NotFound(f"no key set with id {key_set_id}")
    return key_set
