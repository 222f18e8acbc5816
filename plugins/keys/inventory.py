"""The monthly key inventory (钥匙盘点, spec 2.12 [INF]): the register against the cabinet.

A count opens with one line per key set the register puts in the office: ``sealed`` and
``in_custody`` keys are expected in the cabinet (in their slot); ``lent`` keys are listed as on
loan. Staff record each tag found and where; closing the count classifies every line as ok,
missing, unexpected (found but the register says it is elsewhere, or an unknown tag) or in the
wrong slot, and returns the discrepancy report.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import Conflict, NotFound, Text, ValidationError, apply, authorize, estate_today, utcnow
from core.models import Estate, StaffUser
from plugins.keys.models import (
    CountResult,
    CountStatus,
    InventoryCount,
    InventoryLine,
    KeySet,
    KeyStatus,
)
from plugins.keys.records import get, stripped

IN_CABINET = (KeyStatus.sealed, KeyStatus.in_custody)
COUNTED = (*IN_CABINET, KeyStatus.lent)


def current_period(session: Session, estate_id: int, now: dt.datetime | None = None) -> str:
    """``YYYY-MM`` at the estate: of ``now`` if given, else of the business date (``core.estate_today``)."""
    return estate_today(session, estate_id, now).strftime("%Y-%m")


def _check_period(period: str) -> str:
    try:
        dt.datetime.strptime(period, "%Y-%m")
    except (TypeError, ValueError):
        raise ValidationError(Text("period must be a month written YYYY-MM, e.g. 2026-03", "盘点期间须为月份，格式 YYYY-MM，例如 2026-03"), field="period") from None
    return period


def open_inventory_count(session: Session, actor: StaffUser | None, *, estate_id: int,
                         period: str | None = None, notes: str = "") -> InventoryCount:
    """Open the month's count with the register's expectations frozen as lines."""
    if session.get(Estate, estate_id) is None:
        raise NotFound(Text(f"no estate with id {estate_id}", f"没有编号为 {estate_id} 的小区"))
    authorize(session, actor, "keys.inventory", estate_id)
    period = _check_period(period) if period else current_period(session, estate_id)
    existing = session.scalar(select(InventoryCount).where(InventoryCount.estate_id == estate_id,
                                                           InventoryCount.period == period))
    if existing is not None:
        raise Conflict(Text(f"the {period} key inventory of this estate was already opened (count {existing.id})", f"本小区 {period} 的钥匙盘点已开始（盘点单 {existing.id}）"),
                       field="period")
    count = InventoryCount(estate_id=estate_id, period=period, opened_by_id=actor.id if actor else None,
                           notes=notes)
    key_sets = session.scalars(select(KeySet).where(KeySet.estate_id == estate_id, KeySet.status.in_(COUNTED))
                               .order_by(KeySet.tag_no))
    for ks in key_sets:
        in_cabinet = KeyStatus(ks.status) in IN_CABINET
        count.lines.append(InventoryLine(estate_id=estate_id, key_set_id=ks.id, tag_no=ks.tag_no,
                                         register_status=KeyStatus(ks.status).value, expected_in_cabinet=in_cabinet,
                                         expected_slot=ks.cabinet_slot if in_cabinet else "",
                                         result=CountResult.pending if in_cabinet else CountResult.on_loan))
    count.expected_count = sum(1 for ln in count.lines if ln.expected_in_cabinet)
    session.add(count)
    session.flush()
    return count


def record_found(session: Session, actor: StaffUser | None, count: InventoryCount | int, *, tag_no: str,
                 slot: str = "", remarks: str = "") -> InventoryLine:
    """Record a tag found in the cabinet (and its slot) during an open count."""
    count = get(session, InventoryCount, count, what="inventory count")
    authorize(session, actor, "keys.inventory", count)
    if count.status != CountStatus.open:
        raise Conflict(Text(f"the {count.period} count is closed; open a new count to record keys", f"{count.period} 的盘点已结束，请新开盘点单登记钥匙"), field="status")
    tag_no = stripped(tag_no)
    if not tag_no:
        raise ValidationError(Text("give the tag number found", "请填写找到的钥匙牌号"), field="tag_no")
    line = next((ln for ln in count.lines if ln.tag_no == tag_no), None)
    if line is None:
        ks = session.scalar(select(KeySet).where(KeySet.estate_id == count.estate_id, KeySet.tag_no == tag_no))
        line = InventoryLine(estate_id=count.estate_id, key_set_id=ks.id if ks else None, tag_no=tag_no,
                             register_status=KeyStatus(ks.status).value if ks else "", expected_in_cabinet=False)
        count.lines.append(line)
    elif line.found:
        raise Conflict(Text(f"tag {tag_no} was already counted (slot {line.found_slot or '?'})", f"钥匙牌号 {tag_no} 已盘点（格位 {line.found_slot or '?'}）"), field="tag_no")
    line.found, line.found_slot, line.remarks = True, stripped(slot), remarks
    session.flush()
    return line


def inventory_report(count: InventoryCount) -> dict:
    """The count's figures and discrepancies (missing, unexpected, wrong slot)."""
    def tags(result):
        return [ln.tag_no for ln in count.lines if ln.result == result]

    return {"period": count.period, "status": CountStatus(count.status).value, "expected": count.expected_count,
            "found": sum(1 for ln in count.lines if ln.found), "missing": tags(CountResult.missing),
            "unexpected": tags(CountResult.unexpected), "on_loan": tags(CountResult.on_loan),
            "wrong_slot": [{"tag_no": ln.tag_no, "expected_slot": ln.expected_slot, "found_slot": ln.found_slot}
                           for ln in count.lines if ln.result == CountResult.wrong_slot],
            "discrepancies": count.discrepancy_count}


def close_inventory_count(session: Session, actor: StaffUser | None, count: InventoryCount | int, *,
                          notes: str | None = None) -> dict:
    """Close the count: classify every line and return the discrepancy report."""
    count = get(session, InventoryCount, count, lock=True, what="inventory count")
    authorize(session, actor, "keys.inventory", count)
    if count.status != CountStatus.open:
        raise Conflict(Text(f"the {count.period} count is already closed", f"{count.period} 的盘点已结束"), field="status")
    apply(session, count, "close", actor, notes=notes)
    session.flush()
    return inventory_report(count)


def monthly_inventory_reminder(session: Session, now: dt.datetime | None = None) -> dict:
    """The job's work: open this month's count for every estate holding keys that has none yet,
    so it shows in the key custodian's list; report counts of earlier months still open."""
    now = now or utcnow()
    estate_ids = list(session.scalars(select(KeySet.estate_id).where(KeySet.status.in_(COUNTED)).distinct()))
    opened, late = [], []
    for estate_id in sorted(estate_ids):
        period = current_period(session, estate_id, now)
        if session.scalar(select(InventoryCount.id).where(InventoryCount.estate_id == estate_id,
                                                          InventoryCount.period == period)) is None:
            open_inventory_count(session, None, estate_id=estate_id, period=period,
                                 notes="opened by keys.monthly_inventory_reminder")
            opened.append({"estate_id": estate_id, "period": period})
    for c in session.scalars(select(InventoryCount).where(InventoryCount.status == CountStatus.open)
                             .order_by(InventoryCount.estate_id, InventoryCount.period)):
        if c.period < current_period(session, c.estate_id, now):
            late.append({"estate_id": c.estate_id, "period": c.period})
    return {"opened": opened, "still_open_from_earlier_months": late, "at": now.isoformat()}


def get_count(session: Session, count_id: int) -> InventoryCount:
    count = session.get(InventoryCount, count_id)
    if count is None:
        raise NotFound(Text(f"no inventory count with id {count_id}", f"没有编号为 {count_id} 的盘点单"))
    return count

