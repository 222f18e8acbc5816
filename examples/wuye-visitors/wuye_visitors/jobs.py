"""Scheduled jobs of the visitor register (``wuye jobs run`` runs the due ones)."""

from __future__ import annotations

from core import Job
from wuye_visitors.visits import flag_overstays


def jobs() -> list[Job]:
    # func(session, now): its own transaction, a system session (actor None), returns a summary dict
    return [Job("visitors.flag_overstays", "every 30 minutes", flag_overstays,
                "Flag visitors still inside after [plugins.visitors] overstay_hours (滞留访客)")]
