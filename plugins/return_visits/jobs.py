"""Scheduled jobs of the return_visits plugin (run by ``wuye jobs run``; ``func(session, now)``)."""

from __future__ import annotations

from core import Job, as_system, utcnow
from plugins.return_visits.generation import generate as _generate


def generate(session, now=None) -> dict:
    """Create the visits for records closed recently (see ``generation.generate``)."""
    with as_system(session):
        return _generate(session, now or utcnow())


def jobs() -> list[Job]:
    """The plugin's scheduled jobs (``wuye_scheduled_jobs``)."""
    return [Job("return_visits.generate", "hourly", generate,
                "Generate return visits (回访) for repairs, complaints and orders closed since the last run")]
