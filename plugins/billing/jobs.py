"""Billing's scheduled jobs: the daily arrears follow-up (欠费跟进, ``billing.arrears_followup``) and
deemed delivery (视同交付, ``billing.deemed_delivery``)."""

from __future__ import annotations

from core import Job
from plugins.billing.delivery import deemed_delivery
from plugins.billing.dunning import arrears_followup


def jobs() -> list[Job]:
    return [
        Job(
            "billing.arrears_followup",
            "daily",
            arrears_followup,
            "Open arrears cases for units more than a month behind, keep a follow-up due every 15 days "
            "for the zone specialist, flag overdue follow-ups",
        ),
        Job(
            "billing.deemed_delivery",
            "daily",
            deemed_delivery,
            "Units notified of move-in and not collected within a month are deemed delivered (视同交付) "
            "on that day; their fees start from it",
        ),
    ]
