"""Scheduled jobs of the webhooks (``wuye jobs run`` runs the due ones)."""

from __future__ import annotations

from core import Job
from plugins.webhooks.delivery import deliver_job


def jobs() -> list[Job]:
    # deliver_job(session, now) sends in short transactions of its own (see delivery.py)
    return [Job("webhooks.deliver", "every 1 minutes", deliver_job,
                "Send the webhook deliveries that are due, retry failed ones with backoff, prune the log")]
