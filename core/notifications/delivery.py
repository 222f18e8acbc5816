"""The delivery job ``core.deliver_notifications`` (every minute): sends queued deliveries that are due.

A failed attempt counts toward ``[notifications] max_attempts`` and waits ``backoff_seconds * 2^(n-1)``
before the next one (60 s, 2 min, 4 min... by default); after the last attempt the row is ``failed``
with the error kept in ``last_error``. Rows are claimed in batches of ``batch_size``, oldest due first.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select

from core.clock import utcnow
from core.errors import ValidationError
from core.models.notification import DeliveryStatus, Notification
from core.notifications import registry
from core.notifications.settings import notification_settings

log = logging.getLogger("wuye.notifications")


def backoff(settings: dict, attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: ``backoff_seconds`` doubled each time (capped at a day)."""
    seconds = settings["backoff_seconds"] * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, 86_400))


def attempt(session, row: Notification, settings: dict, now: dt.datetime) -> bool:
    """Try to send one delivery now; record the outcome on the row. True when sent."""
    channel = registry.channels(session).get(row.channel)
    row.attempts += 1
    try:
        if channel is None:
            raise RuntimeError(f"channel {row.channel!r} is not available (its plugin is not enabled)")
        channel.send(row, settings)
    except Exception as exc:  # any failure of a mail server or gateway is an attempt to retry
        row.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        if row.attempts >= settings["max_attempts"]:
            row.status, row.next_attempt_at = DeliveryStatus.failed, None
        else:
            row.next_attempt_at = now + backoff(settings, row.attempts)
        log.warning("notification %s over %s to %s failed (attempt %s): %s", row.id, row.channel, row.address,
                    row.attempts, row.last_error)
        return False
    row.status, row.sent_at, row.next_attempt_at, row.last_error = DeliveryStatus.sent, now, None, ""
    return True


def deliver_due(session, now: dt.datetime | None = None, *, settings: dict | None = None) -> dict:
    """Send every queued delivery due at ``now`` (one batch); the job's summary ``{sent, failed, retrying}``."""
    now = now or utcnow()
    settings = settings or notification_settings(session)
    rows = session.scalars(select(Notification).where(Notification.status == DeliveryStatus.queued,
                                                      Notification.next_attempt_at <= now)
                           .order_by(Notification.next_attempt_at, Notification.id)
                           .limit(settings["batch_size"]).with_for_update(skip_locked=True)).all()
    summary = {"sent": 0, "failed": 0, "retrying": 0}
    for row in rows:
        if attempt(session, row, settings, now):
            summary["sent"] += 1
        elif row.status == DeliveryStatus.failed:
            summary["failed"] += 1
        else:
            summary["retrying"] += 1
        session.flush()
    return summary


def retry(session, row: Notification, now: dt.datetime | None = None) -> Notification:
    """Queue a failed (or skipped after an address was added) delivery again, due at once, attempts reset."""
    if row.status not in (DeliveryStatus.failed, DeliveryStatus.queued):
        raise ValidationError(f"only failed or queued deliveries can be retried; this one is {row.status.value}",
                              field="status")
    row.status, row.attempts, row.next_attempt_at = DeliveryStatus.queued, 0, now or utcnow()
    session.flush()
    return row
