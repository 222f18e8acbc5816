"""The staff member's in-app messages (我的消息): unread ones also show in the to-do inbox (待办).

In-app deliveries are rows of ``core_notifications`` with ``channel = 'inapp'``; reading one sets
its ``read_at``. Queries use the index ``(staff_id, channel, read_at)``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update

from core.clock import utcnow
from core.models.notification import DeliveryStatus, Notification
from core.text import Text

KIND = "notification"  # the inbox kind of unread messages
GROUP = Text("Unread messages", "未读消息")
CAP = 99
URL = "/admin/notifications/"


def _mine(actor):
    return (Notification.staff_id == actor.id, Notification.channel == "inapp",
            Notification.status == DeliveryStatus.delivered)


def messages(session, actor, *, unread_only: bool = False, limit: int = 50, offset: int = 0) -> list[Notification]:
    """The actor's in-app messages, newest first."""
    stmt = select(Notification).where(*_mine(actor))
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return list(session.scalars(stmt.order_by(Notification.created_at.desc(), Notification.id.desc())
                                .limit(limit).offset(offset)))


def unread_count(session, actor) -> int:
    """How many in-app messages the actor has not read (stops counting at 100)."""
    if actor is None:
        return 0
    inner = select(Notification.id).where(*_mine(actor), Notification.read_at.is_(None)).limit(CAP + 1)
    return session.scalar(select(func.count()).select_from(inner.subquery())) or 0


def mark_read(session, actor, ids: list[int] | None = None, *, now: dt.datetime | None = None) -> int:
    """Mark the actor's messages ``ids`` (all unread ones when None) read; others' ids are ignored.
    Returns how many changed."""
    stmt = update(Notification).where(*_mine(actor), Notification.read_at.is_(None))
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(list(ids) or [-1]))
    result = session.execute(stmt.values(read_at=now or utcnow()).execution_options(synchronize_session="fetch"))
    return result.rowcount or 0


def add_unread(session, actor, inbox, item_class, *, rows: bool = True, limit: int = 20) -> None:
    """Add the actor's unread messages to ``inbox`` (a ``core.services.inbox.Inbox``) as items of
    ``item_class`` (``InboxItem``, passed in so this module does not import the inbox service)."""
    n = unread_count(session, actor)
    if not n:
        return
    inbox.counts[KIND] = (min(n, CAP), n > CAP)
    inbox.groups[KIND] = GROUP
    if not rows:
        return
    for row in messages(session, actor, unread_only=True, limit=limit):
        inbox.items.append(item_class(kind=KIND, group=GROUP, title=row.subject or row.event,
                                      label=row.created_at.strftime("%Y-%m-%d %H:%M"), url=f"{URL}?id={row.id}",
                                      estate_id=row.estate_id, record_id=row.id))
