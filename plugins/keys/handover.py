"""Developer key handover (开发商钥匙移交): the developer's keys received in one batch, checked one
by one (逐一核对), then sealed together (统一封存) under one seal number.

Public through ``plugins.keys.services``. Every function checks everything before it writes, so
an error leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import Conflict, Text, ValidationError, apply, authorize, estate_today, next_number, utcnow
from core.models import StaffUser
from plugins.keys.models import BatchStatus, CheckResult, HandoverBatch, HandoverLine, KeySet, KeyStatus
from plugins.keys.records import aware, get, is_count, stripped
from plugins.keys.register import check_key_set, require_status
from plugins.keys.workflows.handover import received_lines


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
        raise ValidationError(Text("list at least one key set received from the developer", "请至少列出一套从开发商接收的钥匙"), field="lines")
    seen: set[str] = set()
    plan: list[tuple[KeySet | None, dict]] = []
    for i, raw in enumerate(lines):
        line = dict(raw)
        tag = stripped(line.get("tag_no"))
        if tag in seen:
            raise ValidationError(Text(f"tag number {tag} appears twice in the list (line {i + 1})", f"钥匙牌号 {tag} 在清单中重复（第 {i + 1} 行）"), field="lines")
        seen.add(tag)
        copies = line.get("copies", 1)
        existing = session.scalar(select(KeySet).where(KeySet.estate_id == estate_id, KeySet.tag_no == tag))
        if existing is None:
            check_key_set(session, estate_id, tag, line.get("unit_id"), line.get("facility_room_id"), copies)
        elif KeyStatus(existing.status) != KeyStatus.with_developer or (
                existing.unit_id, existing.facility_room_id) != (line.get("unit_id"), line.get("facility_room_id")):
            raise Conflict(Text(f"line {i + 1}: tag {tag} is already registered ({existing}, "
                           f"'{KeyStatus(existing.status).value}'); it cannot be received again", f"第 {i + 1} 行：钥匙牌号 {tag} 已登记（{existing}），不能重复接收"), field="lines")
        elif not is_count(copies):
            raise ValidationError(Text(f"line {i + 1}: copies must be at least 1", f"第 {i + 1} 行：把数至少为 1"), field="lines")
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
        raise Conflict(Text(f"batch {line.batch.number} is sealed; its lines can no longer change", f"批次 {line.batch.number} 已封存，明细不能再修改"), field="result")
    try:
        res = CheckResult(result)
    except ValueError:
        res = None
    if res in (None, CheckResult.pending):
        raise ValidationError(Text("result must be present, missing or damaged", "核对结果须为：在册、缺失或损坏"), field="result")
    if counted_copies is None:
        counted_copies = 0 if res == CheckResult.missing else line.expected_copies
    if not is_count(counted_copies, 0):
        raise ValidationError(Text("counted copies must be a whole number, 0 or more", "实点把数须为不小于 0 的整数"), field="counted_copies")
    if res == CheckResult.missing and counted_copies:
        raise ValidationError(Text("a missing key set has 0 counted copies", "缺失的钥匙实点把数为 0"), field="counted_copies")
    if res != CheckResult.missing and counted_copies == 0:
        raise ValidationError(Text(f"a key set that is {res.value} has at least one copy; mark it missing otherwise", f"{res.__labels__[res.value][1]}的钥匙至少有一把，否则请标为缺失"),
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
        raise Conflict(Text(f"batch {batch.number} was already sealed under seal {batch.seal_no}", f"批次 {batch.number} 已用封条 {batch.seal_no} 封存"), field="status")
    pending = [ln.key_set.tag_no for ln in batch.lines if ln.result == CheckResult.pending]
    if pending:
        raise Conflict(Text(f"check every key one by one before sealing; not yet checked: {', '.join(pending)}", f"封存前请逐一核对钥匙，尚未核对：{'、'.join(pending)}"),
                       field="lines")
    seal_no = stripped(seal_no)
    if not seal_no:
        raise ValidationError(Text("give the seal number (封条编号)", "请填写封条编号"), field="seal_no")
    for ln in received_lines(batch):
        require_status(ln.key_set, (KeyStatus.with_developer,), "received from the developer")
    apply(session, batch, "seal", actor, comment=f"seal {seal_no}", seal_no=seal_no)
    session.flush()
    return handover_discrepancies(batch)
