"""Generating return visits (回访生成): for every source and its rule, the records closed recently get a
visit, due a number of working days after they closed (the estate's business calendar).

The share of records visited is chosen by a hash of the source and record id, so a rerun picks the
same records, and ``(source, record_id)`` is unique, so a rerun creates no duplicates.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import (
    ValidationError,
    add_working_time,
    authorize,
    calendar_for,
    next_number,
    settings_of,
    visible_estate_ids,
    wuye_of,
)
from plugins.return_visits.models import ReturnVisit, VisitRule

REQUIRED_KEYS = ("source", "label", "record_table", "closed_between")


def sources(wuye) -> dict[str, dict]:
    """Every source the enabled plugins contribute through ``wuye_return_visit_sources``, by name."""
    out: dict[str, dict] = {}
    for plugin, items in wuye.call_each("wuye_return_visit_sources"):
        for item in items or ():
            missing = [k for k in REQUIRED_KEYS if k not in item]
            if missing:
                raise ValidationError(f"plugin '{plugin}' returned a return-visit source without {missing}; "
                                      "see docs/plugins/return_visits.md")
            out[item["source"]] = item
    return out


def chosen(source: str, record_id: int, share_percent: int) -> bool:
    """Whether the record is in the rule's share: stable across runs (not random)."""
    if share_percent >= 100:
        return True
    if share_percent <= 0:
        return False
    digest = hashlib.sha256(f"{source}:{record_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < share_percent


def rule_for(session: Session, source: str, estate_id: int) -> VisitRule | None:
    """The estate's own rule for ``source``, else the company-wide one (``estate_id`` empty)."""
    rules = session.scalars(select(VisitRule).where(
        VisitRule.source == source, (VisitRule.estate_id == estate_id) | VisitRule.estate_id.is_(None)))
    ordered = sorted(rules, key=lambda r: r.estate_id is None)  # the estate's first
    return ordered[0] if ordered else None


def create_rule(session: Session, actor, *, source: str, estate_id: int | None = None, share_percent: int = 100,
                within_working_days: int = 1, method="phone", active: bool = True) -> VisitRule:
    """Add a visit rule; a company-wide rule (no estate) needs an actor of every estate."""
    authorize(session, actor, "return_visits.manage_rules", estate_id)
    if estate_id is None and visible_estate_ids(session, actor) is not None:
        raise ValidationError({"estate_id": ["name the estate: a company-wide rule is for staff of every estate"]})
    if not 0 <= share_percent <= 100:
        raise ValidationError({"share_percent": ["give a share between 0 and 100 (percent of closed records)"]})
    if not 0 <= within_working_days <= 60:
        raise ValidationError({"within_working_days": ["give 0 to 60 working days"]})
    if not source or len(source) > 64:
        raise ValidationError({"source": ["name the source, e.g. repairs.order"]})
    dup = session.scalar(select(VisitRule.id).where(
        VisitRule.source == source,
        VisitRule.estate_id.is_(None) if estate_id is None else VisitRule.estate_id == estate_id))
    if dup is not None:
        raise ValidationError({"source": [f"this estate already has a rule for {source}; edit rule {dup}"]})
    rule = VisitRule(source=source, estate_id=estate_id, share_percent=share_percent,
                     within_working_days=within_working_days, method=method, active=active)
    session.add(rule)
    session.flush()
    return rule


def generate(session: Session, now: dt.datetime, *, wuye=None, lookback_days: int | None = None) -> dict:
    """Create the visits for records closed in the ``lookback_days`` before ``now``; returns counts.

    Run as the system (the job). Records already visited, or outside their rule's share, are skipped.
    """
    wuye = wuye or wuye_of(session)
    if lookback_days is None:
        lookback_days = settings_of(session, "return_visits").get("lookback_days", 7)
    since = now - dt.timedelta(days=lookback_days)
    created = skipped = 0
    for name, src in sources(wuye).items():
        existing = set(session.scalars(select(ReturnVisit.record_id).where(ReturnVisit.source == name)))
        for row in src["closed_between"](session, since, now) or ():
            rule = rule_for(session, name, row["estate_id"])
            if (rule is None or not rule.active or row["record_id"] in existing
                    or not chosen(name, row["record_id"], rule.share_percent)):
                skipped += 1
                continue
            closed_at = row["closed_at"]
            due = add_working_time(closed_at, working_days=rule.within_working_days,
                                   calendar=calendar_for(session, row["estate_id"]))
            session.add(ReturnVisit(
                estate_id=row["estate_id"], number=next_number(session, "HF", estate_id=row["estate_id"],
                                                               year=now.year),
                source=name, record_table=src["record_table"], record_id=row["record_id"],
                unit_id=row.get("unit_id"), party_id=row.get("party_id"), phone=row.get("phone") or "",
                summary=(row.get("summary") or "")[:400], handled_by_id=row.get("handled_by_id"),
                closed_at=closed_at, due_at=due, method=rule.method, created_at=now))
            existing.add(row["record_id"])
            created += 1
    session.flush()
    return {"created": created, "skipped": skipped}
