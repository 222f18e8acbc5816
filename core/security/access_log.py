"""Access to confidential records (spec 1.4 item 9): owner archives are 绝密 (top secret, KF09 §4.5).

Opening one needs ``core.archive.open``, must be within the actor's estates, and leaves a
``core_access_log`` row (who, what, when, why) whether or not anything is changed afterwards.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from core.errors import NotFound
from core.models.audit import AccessLog

OPEN_ARCHIVE = "core.archive.open"


def log_access(session: Session, actor, record, *, action: str = "open", reason: str = "") -> AccessLog:
    """Write an access-log row for ``record`` (no checks: callers check permission and scope first)."""
    mapper = inspect(type(record))
    record_id = "/".join(str(v) for v in mapper.primary_key_from_instance(record))
    estate_id = getattr(record, "estate_id", None)
    row = AccessLog(actor_id=getattr(actor, "id", None), record_table=mapper.local_table.name, record_id=record_id,
                    estate_id=estate_id if isinstance(estate_id, int) else None, action=action,
                    reason=(reason or "").strip()[:500])
    session.add(row)
    session.flush()
    return row


def open_archive(session: Session, actor, party, *, reason: str = ""):
    """Open ``party``'s confidential archive: requires ``core.archive.open`` and the party to be in the
    actor's estates (``NotFound`` otherwise, never saying which); logs the access; returns the party."""
    from core.scoping import in_scope
    from core.security.grants import require

    require(session, actor, OPEN_ARCHIVE)
    if not in_scope(session, actor, party):
        raise NotFound(f"no {type(party).__name__} with id {party.id}")
    log_access(session, actor, party, action="open", reason=reason)
    return party


def access_log(session: Session, *, record=None, actor=None, since: dt.datetime | None = None,
               until: dt.datetime | None = None) -> list[AccessLog]:
    """Access-log rows, newest first, optionally for one record, one staff member or a period."""
    stmt = select(AccessLog).order_by(AccessLog.at.desc(), AccessLog.id.desc())
    if record is not None:
        mapper = inspect(type(record))
        rid = "/".join(str(v) for v in mapper.primary_key_from_instance(record))
        stmt = stmt.where(AccessLog.record_table == mapper.local_table.name, AccessLog.record_id == rid)
    if actor is not None:
        stmt = stmt.where(AccessLog.actor_id == actor.id)
    if since is not None:
        stmt = stmt.where(AccessLog.at >= since)
    if until is not None:
        stmt = stmt.where(AccessLog.at < until)
    return list(session.scalars(stmt))
