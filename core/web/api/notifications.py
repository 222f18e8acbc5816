"""API routes of core notifications beyond the generated resources (mounted under /api/v1):

* ``GET /api/v1/notifications/mine?unread=1&limit=50``: the caller's in-app messages, newest first,
  with the unread count;
* ``POST /api/v1/notifications/<id>/read``: mark one of them read (someone else's message is 404);
* ``POST /api/v1/notifications/read-all``: mark all of them read;
* ``POST /api/v1/notification-log/<id>/retry``: queue a failed delivery again
  (``core.notifications.manage``; deliveries of other estates are 404).

The generated resources ``/api/v1/notification-templates`` and ``/api/v1/notification-log`` are in
``core.web.notifications_specs``.
"""

from __future__ import annotations

from flask import Blueprint, request

from core.errors import NotFound, PermissionDenied, ValidationError
from core.models.notification import Notification
from core.notifications.delivery import retry as retry_delivery
from core.notifications.inbox import mark_read, messages, unread_count
from core.notifications.permissions import MANAGE
from core.scoping import get_scoped
from core.security.grants import require
from core.web.api.resources import MAX_ID, api_call
from core.web.context import actor, db

MAX_LIMIT = 200


def _user():
    user = actor()
    if user is None:
        raise PermissionDenied("sign in (an API token) to read your messages")
    return user


def message_json(row: Notification) -> dict:
    return {"id": row.id, "event": row.event, "subject": row.subject, "body": row.body,
            "created_at": row.created_at.isoformat(), "read_at": row.read_at.isoformat() if row.read_at else None,
            "record_table": row.record_table or None, "record_id": row.record_id, "estate_id": row.estate_id}


@api_call
def mine():
    """The caller's in-app messages (``unread=1``: only unread ones)."""
    user = _user()
    raw = request.args.get("limit", "50")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationError(f"limit must be a whole number from 1 to {MAX_LIMIT}", field="limit")
    unread_only = request.args.get("unread", "") in ("1", "true", "yes")
    rows = messages(db(), user, unread_only=unread_only, limit=int(raw))
    return {"unread": unread_count(db(), user), "items": [message_json(r) for r in rows]}


@api_call
def read(ident: int):
    """Mark one of the caller's messages read (idempotent)."""
    user, session = _user(), db()
    row = session.get(Notification, ident) if 0 < ident <= MAX_ID else None
    if row is None or row.staff_id != user.id or row.channel != "inapp":
        raise NotFound(f"no message of yours with id {ident}")
    mark_read(session, user, [ident])
    session.commit()
    session.refresh(row)
    return message_json(row)


@api_call
def read_all():
    """Mark every unread message of the caller read."""
    user, session = _user(), db()
    n = mark_read(session, user)
    session.commit()
    return {"marked": n, "unread": 0}


@api_call
def retry(ident: int):
    """Queue a failed delivery again (attempts reset, due now)."""
    user, session = _user(), db()
    require(session, user, MANAGE)
    if not 0 < ident <= MAX_ID:
        raise NotFound(f"no delivery with id {ident}")
    row = retry_delivery(session, get_scoped(session, user, Notification, ident))
    session.commit()
    return {"id": row.id, "status": row.status.value, "attempts": row.attempts,
            "next_attempt_at": row.next_attempt_at.isoformat() if row.next_attempt_at else None}


def blueprint():
    """A Flask Blueprint mounted under /api/v1."""
    bp = Blueprint("notifications_api", __name__)
    bp.add_url_rule("/notifications/mine", "mine", mine, methods=["GET"])
    bp.add_url_rule("/notifications/<int:ident>/read", "read", read, methods=["POST"])
    bp.add_url_rule("/notifications/read-all", "read_all", read_all, methods=["POST"])
    bp.add_url_rule("/notification-log/<int:ident>/retry", "retry", retry, methods=["POST"])
    return bp
