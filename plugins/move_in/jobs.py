"""Scheduled jobs of the move-in plugin (run by ``wuye jobs run``; ``func(session, now)``)."""

from __future__ import annotations

from core import Job
from plugins.move_in import deemed


def reminders(session, now=None) -> dict:
    """Mark cases 3 days before their notified date for a reminder letter or call (催告)."""
    return deemed.remind_due(session)


def deemed_delivery(session, now=None) -> dict:
    """Owners who did not come by the notified date: the case is deemed and the unit deemed delivered."""
    return deemed.deem_overdue(session)


def jobs() -> list[Job]:
    """The plugin's scheduled jobs (``wuye_scheduled_jobs``)."""
    return [
        Job("move_in.reminders", "daily", reminders,
            "Remind owners 3 days before the move-in deadline (入伙催告)"),
        Job("move_in.deemed_delivery", "daily", deemed_delivery,
            "Mark owners who did not come by the notified date as deemed delivered (视同交付)"),
    ]
