"""Billing's scheduled job: the daily arrears follow-up (欠费跟进, ``billing.arrears_followup``)."""

from __future__ import annotations

from core import Job
from plugins.billing.dunning import arrears_followup


def jobs() -> list[Job]:
    return [
        Job(
            "billing.arrears_followup",
            "daily",
            arrears_followup,
            "Open arrears cases for units more than a month behind, keep a follow-up due every 15 days "
            "for the zone specialist, flag overdue follow-ups",
        )
    ]
