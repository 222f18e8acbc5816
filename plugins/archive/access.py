"""Access to owner archives (KF09 §4.5: archives are 绝密, top secret).

* Opening an archive needs ``archive.view`` and the archive's estate; its ``normal`` parts are shown.
* A ``confidential`` part (ID numbers, contracts; a level per section) also needs an approved access
  request of the actor for that part (查阅申请), decided by a manager who is not the requester, and
  valid for ``access_hours`` (company setting, default 24) from approval.
* Every opening of a part, granted or refused, is written to ``archive_access_events`` (who, when,
  which part, under which approval) and to core's ``core_access_log``. A refusal is *returned*
  (``SectionAccess.granted`` False), not raised, so the caller commits the log row before telling
  the user; ``require_section`` raises ``AccessRefused`` for callers that want an exception.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from core import (
    Audience,
    PermissionDenied,
    Text,
    ValidationError,
    authorize,
    has_permission,
    scoped_select,
    send_notification,
    utcnow,
    visible_estate_ids,
)
from core.models.audit import AccessLog
from plugins.archive.models import (
    AccessOutcome,
    AccessRequestStatus,
    ArchiveAccessEvent,
    ArchiveAccessRequest,
    OwnerArchive,
    Sensitivity,
)
from plugins.archive.sections import Section, all_sections, find_section

VIEW, REQUEST, APPROVE, VIEW_LOG = "archive.view", "archive.request_access", "archive.approve_access", "archive.view_log"


class AccessRefused(PermissionDenied):
    """Opening a part of an archive was refused (and logged)."""


@dataclass
class SectionAccess:
    """The result of opening one part: granted with the section, or refused with the reason."""

    key: str
    granted: bool
    section: Section | None
    message: str = ""
    event: ArchiveAccessEvent | None = None
    heading: tuple[str, str] = ("", "")  # the part's title (en, zh), also when refused


def _log(session, actor, archive: OwnerArchive, key: str, level: str, outcome: AccessOutcome, reason: str,
         request: ArchiveAccessRequest | None, now: dt.datetime) -> ArchiveAccessEvent:
    event = ArchiveAccessEvent(estate_id=archive.estate_id, archive_id=archive.id, actor_id=getattr(actor, "id", None),
                               section=key[:64], sensitivity=Sensitivity(level), outcome=outcome,
                               request_id=request.id if request is not None else None, reason=(reason or "")[:500],
                               at=now)
    session.add(event)
    # core's register of confidential-record access: one row per opening as well
    session.add(AccessLog(actor_id=getattr(actor, "id", None), record_table=OwnerArchive.__tablename__,
                          record_id=str(archive.id), estate_id=archive.estate_id,
                          action="open" if outcome == AccessOutcome.granted else "refused",
                          reason=f"{key}: {reason}"[:500], at=now))
    session.flush()
    return event


def valid_approval(session, actor, archive: OwnerArchive, key: str, now: dt.datetime):
    """The actor's approved, unexpired request for this part of this archive, or None."""
    if actor is None:
        return None
    return session.scalars(select(ArchiveAccessRequest).where(
        ArchiveAccessRequest.archive_id == archive.id, ArchiveAccessRequest.section == key,
        ArchiveAccessRequest.requester_id == actor.id,
        ArchiveAccessRequest.status == AccessRequestStatus.approved.value,
        ArchiveAccessRequest.valid_until > now).order_by(ArchiveAccessRequest.valid_until.desc())).first()


def _refusal(session, actor, archive: OwnerArchive) -> Text | None:
    """Why the actor may not open the archive at all, or None."""
    if actor is None:
        return Text("no staff member is acting; sign in", "请先登录")
    if not has_permission(session, actor, VIEW):
        return Text("opening owner archives needs the permission archive.view; ask the office manager",
                    "查阅业主档案需要权限 archive.view，请联系管理处经理")
    ids = visible_estate_ids(session, actor)
    if ids is not None and archive.estate_id not in ids:
        return Text("this archive belongs to an estate you do not work for", "该档案不属于您负责的管理处")
    return None


def open_section(session, actor, archive: OwnerArchive, key: str, *, now: dt.datetime | None = None,
                 reason: str = "") -> SectionAccess:
    """Open one part of ``archive``: checks permission, estate and, for a confidential part, an
    approved request of the actor; logs the opening either way and returns the outcome."""
    now = now or utcnow()
    section = find_section(session, archive, key)
    refusal = _refusal(session, actor, archive)
    request = None
    if refusal is None and section.confidential:
        request = valid_approval(session, actor, archive, key, now)
        if request is None:
            refusal = Text(f"the part '{key}' is confidential: ask for access (查阅申请) and wait for the office "
                           "manager's approval, then open it within the approved time",
                           f"“{section.title_zh}”为绝密资料：请先提交查阅申请，经管理处经理批准后在有效期内查阅")
    if refusal is not None:
        event = _log(session, actor, archive, key, section.level, AccessOutcome.refused, str(refusal), None, now)
        return SectionAccess(key, False, None, refusal, event, (section.title, section.title_zh))
    event = _log(session, actor, archive, key, section.level, AccessOutcome.granted, reason, request, now)
    return SectionAccess(key, True, section, "", event, (section.title, section.title_zh))


def require_section(session, actor, archive: OwnerArchive, key: str, *, now: dt.datetime | None = None,
                    reason: str = "") -> Section:
    """``open_section`` that raises ``AccessRefused`` (after logging) instead of returning a refusal.
    The caller must commit before reporting the error, or the log row is rolled back with it."""
    result = open_section(session, actor, archive, key, now=now, reason=reason)
    if not result.granted:
        raise AccessRefused(result.message)
    return result.section


def open_archive(session, actor, archive: OwnerArchive, *, now: dt.datetime | None = None,
                 reason: str = "") -> list[SectionAccess]:
    """Open the archive: every normal part (each logged), plus the confidential parts the actor holds
    a valid approval for; other confidential parts are listed as locked (not logged: not opened).
    Refused as a whole (and logged) without ``archive.view`` or outside the actor's estates."""
    now = now or utcnow()
    refusal = _refusal(session, actor, archive)
    if refusal is not None:
        event = _log(session, actor, archive, "archive", Sensitivity.normal.value, AccessOutcome.refused,
                     str(refusal), None, now)
        return [SectionAccess("archive", False, None, refusal, event, ("Owner archive", "业主档案"))]
    out = []
    for section in all_sections(session, archive):
        request = valid_approval(session, actor, archive, section.key, now) if section.confidential else None
        if section.confidential and request is None:
            out.append(SectionAccess(section.key, False, None,
                                     Text("confidential: needs the office manager's approval", "绝密：需经理批准后查阅"),
                                     heading=(section.title, section.title_zh)))
            continue
        event = _log(session, actor, archive, section.key, section.level, AccessOutcome.granted, reason, request, now)
        out.append(SectionAccess(section.key, True, section, "", event, (section.title, section.title_zh)))
    return out


def request_access(session, actor, archive: OwnerArchive, section: str, reason: str, *,
                   now: dt.datetime | None = None) -> ArchiveAccessRequest:
    """Ask for access to a confidential part (查阅申请): who, why, which part."""
    authorize(session, actor, REQUEST, archive)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["say why you need to see this part of the archive"]})
    if len(reason) > 500:
        raise ValidationError({"reason": ["at most 500 characters"]})
    found = find_section(session, archive, section)
    if not found.confidential:
        raise ValidationError({"section": [f"the part '{section}' is not confidential: open the archive, "
                                           "no approval is needed"]})
    req = ArchiveAccessRequest(estate_id=archive.estate_id, archive_id=archive.id, section=section, reason=reason,
                               requester_id=actor.id, requested_at=now or utcnow())
    session.add(req)
    session.flush()
    if session.info.get("wuye") is not None:  # tell the managers who decide (also in their inbox)
        send_notification(session, "archive.access_requested",
                          Audience(roles=("office_manager",), estate_id=archive.estate_id),
                          context={"number": archive.number, "requester": actor.full_name or actor.username,
                                   "section": found.title_zh, "reason": reason},
                          record=req, estate_id=archive.estate_id, actor=actor, now=req.requested_at)
    return req


def access_events(session, actor, *, archive: OwnerArchive | None = None, outcome: str | None = None,
                  limit: int = 200) -> list[ArchiveAccessEvent]:
    """The access log (查阅登记) a manager may see, newest first."""
    authorize(session, actor, VIEW_LOG)
    stmt = scoped_select(session, actor, ArchiveAccessEvent)
    if archive is not None:
        stmt = stmt.where(ArchiveAccessEvent.archive_id == archive.id)
    if outcome is not None:
        stmt = stmt.where(ArchiveAccessEvent.outcome == AccessOutcome(outcome))
    return list(session.scalars(stmt.order_by(ArchiveAccessEvent.at.desc(), ArchiveAccessEvent.id.desc())
                                .limit(limit)))
